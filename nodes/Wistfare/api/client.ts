import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DEFAULT_CURRENCY } from '../payout/currency';
import { toDecimal, toMinor } from '../payout/money';
import { fromWire, inPackageOrder } from './dialect';
import { wistfareRequest, type WistfareContext } from './request';
import type { Disbursement, DisbursementPage, InitiateDisbursementParams, ListDisbursementsParams } from '../payout/types';
import type { RequestOptions } from './session';

/** The largest page the API is known to serve. */
export const MAX_PAGE_SIZE = 100;

/** The money fields of a payout, shown in their currency's form. */
const MONEY_FIELDS = ['amount', 'feeAmount', 'netAmount'] as const;

/**
 * A disbursement from the server in the package's names, whichever dialect it came in, its amounts in
 * the currency's own form (`"5000.00"` RWF is shown `"5000"`; `"12.5"` USD `"12.50"`). A value that is
 * not exactly such an amount is left as it came.
 */
export function toDisbursement(raw: unknown): Disbursement {
	const payout = fromWire(raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as IDataObject) : {});
	const currency = typeof payout.currency === 'string' && payout.currency ? payout.currency.toUpperCase() : DEFAULT_CURRENCY;
	for (const field of MONEY_FIELDS) {
		const minor = payout[field] === undefined || payout[field] === null ? undefined : toMinor(payout[field], currency);
		if (minor !== undefined) payout[field] = toDecimal(minor, currency);
	}
	return payout as Disbursement;
}

/** An answer that is not a payout the package can work with: names what was missing. */
function invalidAnswer(context: WistfareContext, what: string, answer: IDataObject, itemIndex?: number): NodeApiError {
	const error = new NodeApiError(
		context.getNode(),
		{ code: 'invalid_answer' },
		{
			message: `${what} has no payout id (neither "id" nor "disbursement_id")`,
			description: `Fields in the answer: ${Object.keys(answer).join(', ') || 'none'}. Neither Wistfare dialect (camelCase or snake_case) reads it as a payout.`,
			itemIndex,
		},
	);
	error.context = { ...error.context, code: 'invalid_answer' };
	return error;
}

const hasId = (disbursement: IDataObject) => typeof disbursement.id === 'string' && disbursement.id !== '';

/**
 * The payout Wistfare created. A short answer (the vendor Dart SDK reads only the id, status and
 * fees) is completed from what was sent, so the output is always the whole payout. An answer with no
 * id throws `invalid_answer`: the payout may exist, and the caller reconciles by reference.
 */
export async function initiateDisbursement(
	this: WistfareContext,
	params: InitiateDisbursementParams,
	options: RequestOptions = {},
): Promise<Disbursement> {
	const answer = toDisbursement(
		await wistfareRequest.call(this, { method: 'POST', path: '/v1/disbursements', body: params, ...options }),
	);
	if (!hasId(answer)) throw invalidAnswer(this, 'Wistfare accepted the payout request but its answer', answer, options.itemIndex);
	const sent: IDataObject = { currency: DEFAULT_CURRENCY, description: null, ...params };
	return inPackageOrder({ ...sent, ...answer }) as Disbursement;
}

export async function getDisbursement(
	this: WistfareContext,
	id: string,
	options: RequestOptions = {},
): Promise<Disbursement> {
	const answer = toDisbursement(
		await wistfareRequest.call(this, { method: 'GET', path: `/v1/disbursements/${encodeURIComponent(id)}`, ...options }),
	);
	if (!hasId(answer)) throw invalidAnswer(this, `Wistfare's answer for payout "${id}"`, answer, options.itemIndex);
	return answer;
}

/**
 * `GET /v1/wallets?wallet_id=…` (vendor SDKs; not on the vendor's docs page, so a server may answer
 * 404 or another shape): the answer in the package's names, its `data` list too. The caller reads it.
 */
export async function getWallet(this: WistfareContext, walletId: string, options: RequestOptions = {}): Promise<IDataObject> {
	const answer = toDisbursement(await wistfareRequest.call(this, { method: 'GET', path: '/v1/wallets', qs: { walletId }, ...options }));
	if (Array.isArray(answer.data)) answer.data = (answer.data as unknown[]).map(toDisbursement);
	return answer;
}

/** `GET /v1/fees/{business_id}?transaction_type=disbursement` (vendor SDKs; may be missing, as above). */
export async function getFeeConfig(this: WistfareContext, businessId: string, options: RequestOptions = {}): Promise<IDataObject> {
	const path = `/v1/fees/${encodeURIComponent(businessId)}`;
	return toDisbursement(await wistfareRequest.call(this, { method: 'GET', path, qs: { transactionType: 'disbursement' }, ...options }));
}

/** One page, with both spellings of the envelope (`perPage`/`per_page`, `hasMore`/`has_more`) read. */
export async function listDisbursements(
	this: WistfareContext,
	params: ListDisbursementsParams,
	options: RequestOptions = {},
): Promise<DisbursementPage> {
	const raw = (await wistfareRequest.call(this, {
		method: 'GET',
		path: '/v1/disbursements',
		qs: { ...params },
		...options,
	})) as IDataObject;
	const page = normalizePage(raw, params);
	const without = page.data.find((disbursement) => !hasId(disbursement));
	if (without) throw invalidAnswer(this, 'A payout in Wistfare\'s list answer', without, options.itemIndex);
	return page;
}

/**
 * A page in the package's names. A thin envelope (no `hasMore`, no `total`) or a page smaller than
 * asked never ends the listing early: without the server's word, only an empty page (or one shorter
 * than the page size the server itself reported) is the last.
 */
export function normalizePage(raw: IDataObject, params: ListDisbursementsParams): DisbursementPage {
	const data = Array.isArray(raw?.data) ? raw.data.map(toDisbursement) : [];
	const page = Number(raw?.page ?? params.page ?? 1);
	const served = raw?.perPage ?? raw?.per_page;
	const asked = params.perPage ?? data.length;
	// Unreported, the server's page size is what it served, when that is less than asked.
	const perPage = served !== undefined ? Number(served) : Math.min(asked, data.length || asked);
	const total = raw?.total === undefined || raw.total === null ? undefined : Number(raw.total);
	const flag = raw?.hasMore ?? raw?.has_more;
	const hasMore =
		typeof flag === 'boolean'
			? flag
			: total !== undefined
				? (page - 1) * perPage + data.length < total
				: served !== undefined
					? data.length >= perPage
					: data.length > 0;
	return { data, total, page, perPage, hasMore: hasMore && data.length > 0 };
}
