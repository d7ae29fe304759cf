import type { IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asN8nError } from '../api/errors';
import { getDisbursement } from '../api/client';
import { DOCUMENTED_AFTER_COMPLETED, isDocumentedStatus, MAY_CHANGE_AFTER_FINAL } from '../payout/status';
import type { Disbursement } from '../payout/types';
import type { WistfareSession } from '../api/session';
import { Budget, fromDateOf, inScope, pages, type Scope } from './reading';
import { createdMs, type Backfill, type TriggerState } from './state';

/** Pages the activation's walk reads per poll, so that activation costs no more than a poll. */
export const BACKFILL_PAGES_PER_POLL = 3;
/** Watched completed payouts fetched one by one per poll, in rotation, for a change no list shows. */
export const WATCH_CHECKS_PER_POLL = 10;

type Found = Record<string, Disbursement | null>;

/**
 * Payouts listed with one status, into `into`: every one in scope, or (with `wanted`) the ones
 * wanted, stopping once all are found. Also stops at the end, below `oldest`, or, when looking for
 * wanted ones without `oldest`, as soon as the server shows it ignores the filter (the rest are then
 * fetched by id).
 */
export async function listByStatus(
	this: IPollFunctions,
	scope: Scope,
	status: string,
	into: Found,
	budget: Budget,
	wanted?: Set<string>,
	oldest?: number,
): Promise<void> {
	const filter = { status, ...(oldest === undefined ? {} : fromDateOf(oldest)) };
	if (wanted?.size === 0) return;
	for await (const result of pages.call(this, scope, filter, budget)) {
		let filterIgnored = false;
		let pastOldest = false;
		for (const disbursement of result.data) {
			const take = wanted ? wanted.delete(disbursement.id) : disbursement.status === status && inScope(disbursement, scope);
			if (take) into[disbursement.id] = disbursement;
			if (disbursement.status !== status) filterIgnored = true;
			if (oldest !== undefined && createdMs(disbursement) < oldest) pastOldest = true;
		}
		if (wanted?.size === 0 || pastOldest || (wanted && filterIgnored && oldest === undefined)) return;
	}
}

async function getOrNull(this: IPollFunctions, id: string, session: WistfareSession): Promise<Disbursement | null> {
	try {
		return await getDisbursement.call(this, id, { session });
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return null;
		throw asN8nError(this.getNode(), error);
	}
}

/**
 * The watched completed payouts to fetch one by one this poll: a slice that turns with time, so that
 * over successive polls every one is looked at, whatever the state saved.
 */
export function watchRotation(ids: string[], now: number, perPoll: number, periodMs = 60_000): string[] {
	if (ids.length <= perPoll) return ids;
	const sorted = [...ids].sort();
	const slices = Math.ceil(sorted.length / perPoll);
	const slice = Math.floor(now / periodMs) % slices;
	return sorted.slice(slice * perPoll, slice * perPoll + perPoll);
}

/**
 * The current state of the payouts in flight and watched that the scan did not cover: by the
 * status lists they were last in, then by id what no list showed (absence from a list is never
 * taken as a change).
 */
export async function refresh(this: IPollFunctions, previous: TriggerState, scope: Scope, covered: Set<string>, now: number, budget: Budget): Promise<Found> {
	const refreshed: Found = {};
	// Step 1: payouts in flight, by the status they last had. A status Wistfare does not document is
	// not asked for by name (a strict server may refuse it): such a payout is fetched by id.
	const byStatus = new Map<string, Set<string>>();
	const missing = new Set<string>();
	for (const [id, [status]] of Object.entries(previous.tracked)) {
		if (covered.has(id)) continue;
		if (!isDocumentedStatus(status)) missing.add(id);
		else byStatus.set(status, (byStatus.get(status) ?? new Set()).add(id));
	}
	let leftOver = new Set<string>();
	for (const [status, wanted] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
		// A payout may have moved to a status listed later in this loop: look there too.
		for (const id of leftOver) wanted.add(id);
		await listByStatus.call(this, scope, status, refreshed, budget, wanted);
		leftOver = new Set([...wanted].filter((id) => !(id in refreshed)));
	}
	for (const id of leftOver) missing.add(id);

	// Step 2: watched completed payouts: the final statuses by list, anything else in rotation by id.
	const watched = Object.entries(previous.watch).filter(([id]) => !covered.has(id));
	if (watched.length > 0) {
		const oldest = Math.min(...watched.map(([, [createdAt]]) => createdAt));
		for (const status of DOCUMENTED_AFTER_COMPLETED) {
			const wanted = new Set(watched.map(([id]) => id).filter((id) => !(id in refreshed)));
			await listByStatus.call(this, scope, status, refreshed, budget, wanted, oldest);
		}
		const unseen = watched.map(([id]) => id).filter((id) => !(id in refreshed));
		for (const id of watchRotation(unseen, now, WATCH_CHECKS_PER_POLL)) missing.add(id);
	}

	// Step 3: what no listing showed, by id.
	for (const id of missing) {
		if (id in refreshed || !budget.allows()) continue;
		refreshed[id] = await getOrNull.call(this, id, scope.session);
	}
	return refreshed;
}

/**
 * Up to BACKFILL_PAGES_PER_POLL pages of the activation's walk; `next` undefined when it is done. It
 * goes on where the walk says: the next page, or (a server that does not honour `page`) an earlier `to`.
 */
export async function walkBack(this: IPollFunctions, scope: Scope, backfill: Backfill, budget: Budget) {
	const found: Disbursement[] = [];
	let resume = { page: backfill.page, to: backfill.to };
	let read = 0;
	for await (const result of pages.call(this, scope, { toDate: backfill.to, ...fromDateOf(backfill.from) }, budget, backfill.page)) {
		let pastFrom = false;
		const to = Date.parse(resume.to);
		for (const disbursement of result.data) {
			const created = createdMs(disbursement);
			const moving = !isDocumentedStatus(disbursement.status) || MAY_CHANGE_AFTER_FINAL.has(disbursement.status);
			if (created < backfill.from) pastFrom = true;
			else if (created <= to && inScope(disbursement, scope) && moving) found.push(disbursement);
		}
		resume = { page: result.next.page, to: result.next.toDate ?? resume.to };
		if (pastFrom || !result.hasMore) return { found, next: undefined };
		if (++read >= BACKFILL_PAGES_PER_POLL) break;
	}
	return { found, next: { ...backfill, ...resume } };
}
