import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as disbursement from './actions/disbursement';
import * as wallet from './actions/wallet';
import { router } from './actions/router';
import { searchDisbursements } from './methods/listSearch';

export class Wistfare implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wistfare',
		name: 'wistfare',
		icon: { light: 'file:wistfare.svg', dark: 'file:wistfare.dark.svg' },
		group: ['output'],
		version: 1,
		// Read as a person says it: "Initiate disbursement".
		subtitle:
			'={{ $parameter["resource"] === "wallet" ? "Get wallet" : $parameter["operation"] === "initiate" ? "Initiate disbursement" : $parameter["operation"] === "get" ? "Get disbursement" : "List disbursements" }}',
		description: 'Pay vendors, drivers and staff to mobile money with Wistfare, and track the payouts',
		defaults: { name: 'Wistfare' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'wistfareApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Disbursement', value: 'disbursement' },
					{ name: 'Wallet', value: 'wallet' },
				],
				default: 'disbursement',
			},
			...disbursement.description,
			...wallet.description,
		],
	};

	methods = { listSearch: { searchDisbursements } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
