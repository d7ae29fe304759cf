import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as disbursement from './actions/disbursement';
import * as wallet from './actions/wallet';
import { router } from './actions/router';
import { searchDisbursements } from './methods/listSearch';

/** n8n's value for the "Custom API Call" option it adds to Resource and Operation. */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function customApiCallNotice(field: 'resource' | 'operation'): INodeProperties {
	return {
		displayName:
			'Custom API Call sends a request you write to Wistfare with this credential\'s key, through n8n\'s HTTP Request node. It has none of Initiate\'s protections: no look-up of the Reference ID before paying (a re-run can pay twice), no funds check, none of the credential\'s guards (Max Amount Per Payout, Allowed Destinations, Max Total Per Day), no waiting out of 429s. To pay, use Disbursement → Initiate.',
		name: `${field}CustomApiCallNotice`,
		type: 'notice',
		default: '',
		displayOptions: { show: { [field]: [CUSTOM_API_CALL] } },
	};
}

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
			// n8n adds "Custom API Call" to Resource and Operation for any node whose credential
			// authenticates requests; what it bypasses is said where it is picked.
			customApiCallNotice('resource'),
			customApiCallNotice('operation'),
			...disbursement.description,
			...wallet.description,
		],
	};

	methods = { listSearch: { searchDisbursements } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
