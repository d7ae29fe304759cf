import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getDisbursement } from '../../transport/client';
import { requireText } from '../validation';

export const description: INodeProperties[] = [
	{
		displayName: 'Disbursement ID',
		name: 'disbursementId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'disb_def456',
		description: 'The ID Wistfare gave the payout',
		displayOptions: { show: { resource: ['disbursement'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = requireText('disbursementId', this.getNodeParameter('disbursementId', itemIndex));
	return [await getDisbursement.call(this, id, { itemIndex })];
}
