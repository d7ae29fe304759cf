import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../../api/client';
import { disbursementPages, disbursementPagesAhead, MAX_PAGES_PER_CALL } from '../../api/pages';
import { matchesFilters, parseInstant, type ListFilters } from '../../payout/filters';
import { STATUS_OPTIONS } from '../../payout/status';
import type { WistfareSession } from '../../api/session';
import { CREDENTIAL_TYPE } from '../../api/request';
import { businessIdField, idOrDefault } from '../fields';
import { eachItem } from '../items';
import { InvalidField } from '../validation';

const properties: INodeProperties[] = [
	businessIdField('The business whose payouts to list'),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { returnAll: [true] } },
		options: [
			{
				displayName: 'Max Pages',
				name: 'maxPages',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: MAX_PAGES_PER_CALL,
				description: `Stop with an error after reading this many pages of the listing (up to ${MAX_PAGE_SIZE} payouts each), so that a server that keeps answering cannot keep the execution going`,
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['disbursement'], operation: ['list'] } }, properties);

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
	if (filters.fromDate && filters.toDate && parseInstant(filters.fromDate) > parseInstant(filters.toDate)) {
		throw new InvalidField('toDate', `"${filters.toDate}" is before From Date "${filters.fromDate}": no payout can match`);
	}
	return filters;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const session: WistfareSession = {};
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return await eachItem.call(this, description, async (itemIndex) => await listItem.call(this, itemIndex, session, credentials));
}

async function listItem(this: IExecuteFunctions, itemIndex: number, session: WistfareSession, credentials: ICredentialDataDecryptedObject): Promise<IDataObject[]> {
	const businessId = idOrDefault('businessId', this.getNodeParameter('businessId', itemIndex), credentials);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Number(this.getNodeParameter('limit', itemIndex, 50));
	if (!returnAll && !(Number.isInteger(limit) && limit >= 1)) {
		throw new InvalidField('limit', `${limit} is not a whole number of at least 1`);
	}
	const filters = readFilters(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	const maxPages = returnAll ? Number((this.getNodeParameter('options', itemIndex, {}) as IDataObject).maxPages ?? MAX_PAGES_PER_CALL) : undefined;
	if (maxPages !== undefined && !(Number.isInteger(maxPages) && maxPages >= 1)) {
		throw new InvalidField('maxPages', `${maxPages} is not a whole number of at least 1`);
	}
	// With a small limit, ask for no more than needed; client-side filtering may still need more pages.
	const perPage = Math.min(MAX_PAGE_SIZE, limit);
	const results: IDataObject[] = [];
	// Pages shift while payouts are made: a payout may come twice, and is output once.
	const output = new Set<string>();
	let ignored = false;
	// Return All reads to the end, so several pages may be in flight; a limit reads no page it does not need.
	const pages = returnAll ? disbursementPagesAhead : disbursementPages;
	for await (const page of pages.call(this, { businessId, perPage, ...filters }, { itemIndex, session, maxPages })) {
		for (const disbursement of page.data) {
			if (!matchesFilters(disbursement, filters)) {
				if (!ignored) {
					ignored = true;
					this.addExecutionHints({
						type: 'warning',
						location: 'outputPane',
						message: 'Wistfare sent payouts that do not match the filters (it ignored one of them); the node left them out itself.',
					});
				}
				continue;
			}
			if (output.has(disbursement.id)) continue;
			output.add(disbursement.id);
			results.push(disbursement);
			if (results.length >= limit) return results;
		}
	}
	return results;
}
