import type { ICredentialDataDecryptedObject, IDataObject, IDisplayOptions, IHookFunctions, INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../api/request';
import { InvalidField } from './validation';

/** What the credential gives a node that leaves its Business ID or Wallet ID empty. */
const DEFAULTS = {
	businessId: { credential: 'defaultBusinessId', label: 'Default Business ID' },
	walletId: { credential: 'defaultWalletId', label: 'Default Wallet ID' },
} as const;

/** The Business ID field, shared by the operations and the triggers; each says what it does with it. */
export function businessIdField(description: string, displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		default: '',
		placeholder: 'Empty: the credential\'s Default Business ID',
		description: `${description}. Empty: the credential's Default Business ID.`,
		...(displayOptions ? { displayOptions } : {}),
	};
}

/** The Wallet ID field of the operations that act on one wallet; each says what it does with it. */
export function walletIdField(description: string): INodeProperties {
	return { displayName: 'Wallet ID', name: 'walletId', type: 'string', default: '', placeholder: 'Empty: the credential\'s Default Wallet ID', description: `${description}. Empty: the credential's Default Wallet ID.` };
}

/**
 * A Business ID or Wallet ID as typed in the node, or, left empty, the credential's default; refused
 * (naming both places) when neither is set.
 */
export function idOrDefault(field: keyof typeof DEFAULTS, typed: unknown, credentials: ICredentialDataDecryptedObject): string {
	const own = typeof typed === 'number' ? String(typed) : typeof typed === 'string' ? typed.trim() : '';
	if (own) return own;
	const fallback = credentials[DEFAULTS[field].credential];
	if (typeof fallback === 'string' && fallback.trim()) return fallback.trim();
	throw new InvalidField(field, `is empty: set it here, or set ${DEFAULTS[field].label} on the credential`);
}

/** The triggers' Wallet ID option (under Options). */
export const walletIdOption: INodeProperties = {
	displayName: 'Wallet ID',
	name: 'walletId',
	type: 'string',
	default: '',
	description: 'Only payouts from this wallet',
};

/** The business (the node's or the credential's) and wallet (optional, under Options) a trigger watches, read and checked. */
export async function watchedScope(this: IPollFunctions | IWebhookFunctions | IHookFunctions): Promise<{ businessId: string; walletId?: string }> {
	let businessId: string;
	try {
		businessId = idOrDefault('businessId', this.getNodeParameter('businessId', ''), await this.getCredentials(CREDENTIAL_TYPE));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Invalid "Business ID": ${(error as InvalidField).problem}`);
	}
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const walletId = typeof options.walletId === 'string' && options.walletId.trim() ? options.walletId.trim() : undefined;
	return { businessId, walletId };
}

/** A parameter's label as the panel shows it, found in the descriptions (collections included). */
export function labelOf(properties: INodeProperties[], name: string): string {
	for (const property of properties) {
		if (property.name === name) return property.displayName;
		const nested = (property.options ?? []).filter((option): option is INodeProperties => 'displayName' in option && 'type' in option);
		const found = nested.length ? labelOf(nested, name) : undefined;
		if (found !== undefined && found !== name) return found;
	}
	return name;
}
