import type { IDataObject, IDisplayOptions, IHookFunctions, INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The Business ID field, shared by the operations and the trigger; each says what it does with it. */
export function businessIdField(description: string, displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'biz_123',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}

/** The Wallet ID field (required) of the operations that act on one wallet; each says what it does with it. */
export function walletIdField(description: string): INodeProperties {
	return { displayName: 'Wallet ID', name: 'walletId', type: 'string', required: true, default: '', placeholder: 'wal_456', description };
}

/** The triggers' Wallet ID option (under Options). */
export const walletIdOption: INodeProperties = {
	displayName: 'Wallet ID',
	name: 'walletId',
	type: 'string',
	default: '',
	description: 'Only payouts from this wallet',
};

/** The business (required) and wallet (optional, under Options) a trigger watches, read and checked. */
export function watchedScope(this: IPollFunctions | IWebhookFunctions | IHookFunctions): { businessId: string; walletId?: string } {
	const businessId = String(this.getNodeParameter('businessId', '') ?? '').trim();
	if (!businessId) throw new NodeOperationError(this.getNode(), 'Invalid "Business ID": is empty: a value is required');
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
