import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getDisbursement } from '../../api/client';
import type { WistfareSession } from '../../api/session';
import { eachItem } from '../items';
import { requireText } from '../validation';

/** The payout to act on: picked from recent payouts, or given by its ID, as n8n's UX guidelines ask. */
export const disbursementLocator: INodeProperties = {
	displayName: 'Disbursement ID',
	name: 'disbursementId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The payout: search recent payouts by their Reference ID, or give the ID Wistfare gave it',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Search by Reference ID…',
			typeOptions: { searchListMethod: 'searchDisbursements', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'disb_def456',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\S+\\s*$', errorMessage: 'A disbursement ID has no spaces, e.g. disb_def456' },
				},
			],
		},
	],
};

// Business ID first: the From List picker below searches that business's payouts.
const properties: INodeProperties[] = [
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		default: '',
		placeholder: 'biz_123',
		description: 'Used only to search payouts in From List (below): the business whose recent payouts to show',
	},
	disbursementLocator,
];

export const description = updateDisplayOptions({ show: { resource: ['disbursement'], operation: ['get'] } }, properties);

/** A locator's value, or a plain string from workflows saved before the field was a locator. */
export function locatorValue(raw: unknown): unknown {
	return raw && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const session: WistfareSession = {};
	return await eachItem.call(this, description, async (itemIndex) => {
		const id = requireText('disbursementId', locatorValue(this.getNodeParameter('disbursementId', itemIndex)));
		return [await getDisbursement.call(this, id, { itemIndex, session })];
	});
}
