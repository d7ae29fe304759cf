import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	disbursementPages,
	disbursementPagesAhead,
	MAX_PAGE_SIZE,
	matchesFilters,
	type ListFilters,
} from '../../transport/client';
import { STATUS_OPTIONS } from '../../transport/types';
import { businessIdField } from '../fields';
import { InvalidField, requireText } from '../validation';

const show = { resource: ['disbursement'], operation: ['list'] };

export const description: INodeProperties[] = [
	businessIdField('The business whose payouts to list', { show }),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'From Date',
				name: 'fromDate',
				type: 'dateTime',
				default: '',
				description: 'Only payouts created at or after this time',
			},
			{
				displayName: 'Reference ID',
				name: 'referenceId',
				type: 'string',
				default: '',
				description: 'Only the payout(s) with this reference',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'completed',
				options: STATUS_OPTIONS,
			},
			{
				displayName: 'To Date',
				name: 'toDate',
				type: 'dateTime',
				default: '',
				description: 'Only payouts created at or before this time',
			},
			{
				displayName: 'Wallet ID',
				name: 'walletId',
				type: 'string',
				default: '',
				description: 'Only payouts from this wallet',
			},
		],
	},
];

function readFilters(raw: IDataObject): ListFilters {
	const filters: ListFilters = {};
	for (const key of ['status', 'referenceId', 'walletId', 'fromDate', 'toDate'] as const) {
		const value = raw[key];
		if (value === undefined || value === null || String(value).trim() === '') continue;
		const text = String(value).trim();
		if ((key === 'fromDate' || key === 'toDate') && Number.isNaN(Date.parse(text))) {
			throw new InvalidField(key, `"${text}" is not a date`);
		}
		filters[key] = text;
	}
	return filters;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const businessId = requireText('businessId', this.getNodeParameter('businessId', itemIndex));
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Number(this.getNodeParameter('limit', itemIndex, 50));
	if (!returnAll && !(Number.isInteger(limit) && limit >= 1)) {
		throw new InvalidField('limit', `${limit} is not a whole number of at least 1`);
	}
	const filters = readFilters(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	// With a small limit, ask for no more than needed; client-side filtering may still need more pages.
	const perPage = Math.min(MAX_PAGE_SIZE, limit);
	const results: IDataObject[] = [];
	// Return All reads to the end, so several pages may be in flight; a limit reads no page it does not need.
	const pages = returnAll ? disbursementPagesAhead : disbursementPages;
	for await (const page of pages.call(this, { businessId, perPage, ...filters }, { itemIndex })) {
		for (const disbursement of page.data) {
			if (!matchesFilters(disbursement, filters)) continue;
			results.push(disbursement);
			if (results.length >= limit) return results;
		}
	}
	return results;
}
