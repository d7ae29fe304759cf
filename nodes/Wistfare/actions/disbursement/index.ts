import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as initiate from './initiate';
import * as list from './list.operation';

/** Each operation owns its batch: the router hands it the whole input. */
export const operations = { get, initiate, list };

export type DisbursementOperation = keyof typeof operations;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['disbursement'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a payout by its ID',
				action: 'Get a disbursement',
			},
			{
				name: 'Initiate',
				value: 'initiate',
				description: 'Send money from a business wallet',
				action: 'Initiate a disbursement',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List payouts, newest first',
				action: 'List disbursements',
			},
		],
		default: 'initiate',
	},
	...initiate.description,
	...get.description,
	...list.description,
];
