import type { IDataObject } from 'n8n-workflow';

import { wistfareRequest, type WistfareContext } from './request';
import type {
	Disbursement,
	DisbursementPage,
	InitiateDisbursementParams,
	ListDisbursementsParams,
	RequestOptions,
} from './types';

/** The largest page the API is known to serve. */
export const MAX_PAGE_SIZE = 100;

export async function initiateDisbursement(
	this: WistfareContext,
	params: InitiateDisbursementParams,
	options: RequestOptions = {},
): Promise<Disbursement> {
	return (await wistfareRequest.call(this, {
		method: 'POST',
		path: '/v1/disbursements',
		body: params,
		...options,
	})) as Disbursement;
}

export async function getDisbursement(
	this: WistfareContext,
	id: string,
	options: RequestOptions = {},
): Promise<Disbursement> {
	return (await wistfareRequest.call(this, {
		method: 'GET',
		path: `/v1/disbursements/${encodeURIComponent(id)}`,
		...options,
	})) as Disbursement;
}

/** One page, with both spellings of the envelope (`perPage`/`per_page`, `hasMore`/`has_more`) read. */
export async function listDisbursements(
	this: WistfareContext,
	params: ListDisbursementsParams,
	options: RequestOptions = {},
): Promise<DisbursementPage> {
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(params)) {
		if (value !== undefined && value !== '') qs[key] = value;
	}
	const raw = (await wistfareRequest.call(this, {
		method: 'GET',
		path: '/v1/disbursements',
		qs,
		...options,
	})) as IDataObject;
	return normalizePage(raw, params);
}

export function normalizePage(raw: IDataObject, params: ListDisbursementsParams): DisbursementPage {
	const data = Array.isArray(raw?.data) ? (raw.data as Disbursement[]) : [];
	const page = Number(raw?.page ?? params.page ?? 1);
	const perPage = Number(raw?.perPage ?? raw?.per_page ?? params.perPage ?? data.length);
	const total = raw?.total === undefined ? undefined : Number(raw.total);
	const flag = raw?.hasMore ?? raw?.has_more;
	const hasMore =
		typeof flag === 'boolean'
			? flag
			: total !== undefined
				? page * perPage < total
				: data.length > 0 && data.length >= perPage;
	return { data, total, page, perPage, hasMore: hasMore && data.length > 0 };
}

export type ListFilters = Pick<ListDisbursementsParams, 'status' | 'referenceId' | 'walletId' | 'fromDate' | 'toDate'>;

/**
 * The server may ignore a filter it does not know: every filter is applied here as well.
 * Dates compare as instants; a date without a zone is read as UTC.
 */
export function matchesFilters(disbursement: Disbursement, filters: ListFilters): boolean {
	if (filters.status && disbursement.status !== filters.status) return false;
	if (filters.referenceId && disbursement.referenceId !== filters.referenceId) return false;
	if (filters.walletId && disbursement.walletId !== filters.walletId) return false;
	const created = Date.parse(disbursement.createdAt);
	if (filters.fromDate && !(created >= parseInstant(filters.fromDate))) return false;
	if (filters.toDate && !(created <= parseInstant(filters.toDate))) return false;
	return true;
}

export function parseInstant(value: string): number {
	const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
	return Date.parse(hasZone || !value.includes('T') ? value : `${value}Z`);
}

/** Pages through a listing, newest first, until the server says there is no more. */
export async function* disbursementPages(
	this: WistfareContext,
	params: Omit<ListDisbursementsParams, 'page'>,
	options: RequestOptions = {},
): AsyncGenerator<DisbursementPage> {
	for (let page = 1; ; page++) {
		const result = await listDisbursements.call(this, { ...params, page }, options);
		yield result;
		if (!result.hasMore) return;
	}
}

/**
 * Like `disbursementPages`, for reading a listing to its end: once the first page gives the total,
 * `depth` pages are in flight at once, yielded in order. Payouts arriving meanwhile shift pages as
 * with one-by-one paging: one may come twice, none is skipped.
 */
export async function* disbursementPagesAhead(
	this: WistfareContext,
	params: Omit<ListDisbursementsParams, 'page'>,
	options: RequestOptions = {},
	depth = 3,
): AsyncGenerator<DisbursementPage> {
	const first = await listDisbursements.call(this, { ...params, page: 1 }, options);
	yield first;
	if (!first.hasMore) return;
	const planned = first.total !== undefined && first.perPage > 0 ? Math.ceil(first.total / first.perPage) : 1;
	let next = 2;
	const inFlight: Array<Promise<DisbursementPage>> = [];
	const launch = () => {
		if (next > planned) return;
		const request = listDisbursements.call(this, { ...params, page: next++ }, options);
		request.catch(() => undefined); // awaited in order below; this only keeps an early stop quiet
		inFlight.push(request);
	};
	for (let i = 0; i < depth; i++) launch();
	let last = first;
	while (inFlight.length) {
		last = await inFlight.shift()!;
		launch();
		yield last;
	}
	// The listing grew past the total it announced: go on one page at a time.
	for (let page = next; last.hasMore; page++) {
		last = await listDisbursements.call(this, { ...params, page }, options);
		yield last;
	}
}
