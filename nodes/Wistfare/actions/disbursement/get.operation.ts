import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getDisbursement } from '../../transport/client';
import type { WistfareSession } from '../../transport/types';
import { eachItem } from '../items';
import { requireText } from '../validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Disbursement ID',
		name: 'disbursementId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'disb_def456',
		description: 'The ID Wistfare gave the payout',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['disbursement'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const session: WistfareSession = {};
	return await eachItem.call(this, description, async (itemIndex) => {
		const id = requireText('disbursementId', this.getNodeParameter('disbursementId', itemIndex));
		return [await getDisbursement.call(this, id, { itemIndex, session })];
	});
}
