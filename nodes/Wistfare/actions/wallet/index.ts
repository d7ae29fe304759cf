import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

/** Each operation owns its batch: the router hands it the whole input. */
export const operations = { get };

export type WalletOperation = keyof typeof operations;

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['wallet'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a wallet\'s balance, currency and state',
				action: 'Get a wallet',
			},
		],
		default: 'get',
	},
	...get.description,
];
