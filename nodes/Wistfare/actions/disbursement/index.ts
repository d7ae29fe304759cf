import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as initiate from './initiate.operation';
import * as list from './list.operation';

/** Initiate runs as a batch (checked first, then sent with bounded concurrency); these run item by item. */
export const itemOperations = { get, list };

export type DisbursementOperation = 'initiate' | keyof typeof itemOperations;

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
