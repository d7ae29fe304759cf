import type { IPollFunctions } from 'n8n-workflow';

import { clock } from '../api/clock';
import { listDisbursements, MAX_PAGE_SIZE } from '../api/client';
import { disbursementPages, type WalkedPage } from '../api/pages';
import type { Disbursement, DisbursementPage, ListDisbursementsParams } from '../payout/types';
import type { WistfareSession } from '../api/session';

/** What one poll reads: the business (and wallet) watched. */
export interface Scope {
	businessId: string;
	walletId?: string;
	/** The poll's requests share what the server has shown of itself. */
	session: WistfareSession;
}

/** Server-side date filters are a saving only: the server may ignore them, so margins stay on the safe side. */
const FROM_DATE_MARGIN_MS = 1000;

export const iso = (ms: number) => new Date(ms).toISOString();

/** A date filter from `ms` down a margin, or none for a floor that is not a date. */
export function fromDateOf(ms: number): Partial<ListDisbursementsParams> {
	const from = ms - FROM_DATE_MARGIN_MS;
	return Number.isFinite(from) ? { fromDate: iso(from) } : {};
}

export function inScope(disbursement: Disbursement, scope: Scope): boolean {
	return !scope.walletId || disbursement.walletId === scope.walletId;
}

/** n8n's poll budget: past the deadline no request starts, and the poll returns what it has. */
export class Budget {
	exhausted = false;

	constructor(private readonly deadline: number) {}

	/** Whether another request may start; once not, the poll stops fetching. */
	allows(): boolean {
		if (clock.now() >= this.deadline) this.exhausted = true;
		return !this.exhausted;
	}
}

/** The newest page of the scope's payouts, with no filter. */
export function firstPage(this: IPollFunctions, scope: Scope): Promise<DisbursementPage> {
	const query = { businessId: scope.businessId, walletId: scope.walletId, perPage: MAX_PAGE_SIZE, page: 1 };
	return listDisbursements.call(this, query, { session: scope.session });
}

/**
 * The scope's payouts page after page, newest first, from `startPage`. A poll reads on only while
 * its budget allows: checked before the first page and after each one.
 */
export async function* pages(
	this: IPollFunctions,
	scope: Scope,
	params: Partial<ListDisbursementsParams>,
	budget: Budget,
	startPage = 1,
): AsyncGenerator<WalkedPage & { number: number }> {
	if (!budget.allows()) return;
	let number = startPage;
	const query = { businessId: scope.businessId, walletId: scope.walletId, perPage: MAX_PAGE_SIZE, ...params };
	for await (const page of disbursementPages.call(this, query, { session: scope.session }, startPage)) {
		yield { ...page, number: number++ };
		if (!budget.allows()) return;
	}
}
