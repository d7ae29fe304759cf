import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { initiateDisbursement } from '../../transport/client';
import type { InitiateDisbursementParams } from '../../transport/types';
import {
	normalizeAmount,
	normalizeCurrency,
	normalizeDestinationRef,
	requireText,
} from '../validation';

const show = { resource: ['disbursement'], operation: ['initiate'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'biz_123',
		description: 'The business that pays',
		displayOptions: { show },
	},
	{
		displayName: 'Wallet ID',
		name: 'walletId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'wal_456',
		description: 'The business wallet the money leaves from',
		displayOptions: { show },
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '5000',
		description:
			'In major units as a plain decimal, e.g. 5000. RWF and other currencies without a minor unit take whole numbers only; others at most 2 decimals.',
		displayOptions: { show },
	},
	{
		displayName: 'Destination Type',
		name: 'destinationType',
		type: 'options',
		required: true,
		default: 'mobile_money',
		options: [{ name: 'Mobile Money', value: 'mobile_money' }],
		description:
			'The rail the money goes out on. Use an expression for another rail Wistfare supports for your business.',
		displayOptions: { show },
	},
	{
		displayName: 'Destination Ref',
		name: 'destinationRef',
		type: 'string',
		required: true,
		default: '',
		placeholder: '250788000000',
		description:
			'Who receives the money. For mobile money: the phone number in international form, 9 to 15 digits (a leading + is removed).',
		displayOptions: { show },
	},
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		default: '',
		placeholder: 'invoice-2026-0042',
		hint: 'Use a value unique per payout from your own data (an invoice or payroll line), so the payout can be found later',
		description: 'Your own reference for this payout; Wistfare advises always setting one',
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: 'RWF',
				description: 'ISO 4217 code, e.g. RWF',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'Shown with the payout in Wistfare',
			},
			{
				displayName: 'Destination Name',
				name: 'destinationName',
				type: 'string',
				default: '',
				description: 'The name of the person or business receiving the money',
			},
		],
	},
];

/** Reads and checks one item's parameters: everything that can be wrong fails before a request. */
export function readInitiateParams(this: IExecuteFunctions, itemIndex: number): InitiateDisbursementParams {
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const destinationType = requireText('destinationType', this.getNodeParameter('destinationType', itemIndex));
	const currency = normalizeCurrency(additional.currency);
	const params: InitiateDisbursementParams = {
		businessId: requireText('businessId', this.getNodeParameter('businessId', itemIndex)),
		walletId: requireText('walletId', this.getNodeParameter('walletId', itemIndex)),
		amount: normalizeAmount(this.getNodeParameter('amount', itemIndex), currency),
		destinationType,
		destinationRef: normalizeDestinationRef(this.getNodeParameter('destinationRef', itemIndex), destinationType),
		currency,
	};
	const referenceId = String(this.getNodeParameter('referenceId', itemIndex, '') ?? '').trim();
	if (referenceId) params.referenceId = referenceId;
	for (const field of ['description', 'destinationName'] as const) {
		const value = additional[field];
		if (typeof value === 'string' && value.trim() !== '') params[field] = value.trim();
	}
	return params;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const params = readInitiateParams.call(this, itemIndex);
	return [await initiateDisbursement.call(this, params, { itemIndex })];
}
