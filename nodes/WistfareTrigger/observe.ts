import type { IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { disbursementPages, getDisbursement, MAX_PAGE_SIZE } from '../Wistfare/transport/client';
import { clock } from '../Wistfare/transport/clock';
import { isDocumentedStatus } from '../Wistfare/transport/status';
import type { Disbursement, WistfareSession } from '../Wistfare/transport/types';
import { LOOKBACK_MS, scanFloor, type Observation, type TriggerState } from './state';

export interface Scope {
	businessId: string;
	walletId?: string;
	/** The poll's requests share what the server has shown of itself. */
	session: WistfareSession;
}

/** How far back the first poll looks for payouts in flight in a status it cannot list by name. */
export const UNKNOWN_STATUS_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/** Server-side filters are a saving only: the server may ignore them, so margins stay on the safe side. */
const FROM_DATE_MARGIN_MS = 1000;

function created(disbursement: Disbursement): number {
	const value = Date.parse(disbursement.createdAt);
	return Number.isNaN(value) ? 0 : value;
}

function inScope(disbursement: Disbursement, scope: Scope): boolean {
	return !scope.walletId || disbursement.walletId === scope.walletId;
}

/**
 * Payouts created since the cursor (minus the lookback), newest first. Pages shift when payouts
 * arrive meanwhile: an item may come twice (kept once), none is skipped. On the first poll, the
 * payouts near the newest one.
 */
async function scanNew(this: IPollFunctions, previous: TriggerState | undefined, scope: Scope) {
	let floor = scanFloor(previous);
	const baseline = previous === undefined;
	const found = new Map<string, Disbursement>();
	const fromDate = floor === undefined ? undefined : new Date(floor - FROM_DATE_MARGIN_MS).toISOString();
	for await (const page of disbursementPages.call(this, {
		businessId: scope.businessId,
		walletId: scope.walletId,
		perPage: MAX_PAGE_SIZE,
		fromDate,
	}, { session: scope.session })) {
		let reachedFloor = false;
		for (const disbursement of page.data) {
			if (baseline && floor === undefined) floor = created(disbursement) - LOOKBACK_MS;
			if (floor !== undefined && created(disbursement) < floor) {
				reachedFloor = true;
				continue;
			}
			if (inScope(disbursement, scope)) found.set(disbursement.id, disbursement);
		}
		// On the first poll the newest page is enough when nothing sits near the top.
		if (reachedFloor || (baseline && floor === undefined)) break;
	}
	return [...found.values()];
}

/** Full pages of the scope's payouts, with a status and created since `from` when given. */
function scopePages(this: IPollFunctions, scope: Scope, status?: string, from?: number) {
	return disbursementPages.call(this, {
		businessId: scope.businessId,
		walletId: scope.walletId,
		perPage: MAX_PAGE_SIZE,
		status,
		fromDate: from === undefined ? undefined : new Date(from - FROM_DATE_MARGIN_MS).toISOString(),
	}, { session: scope.session });
}

/**
 * Lists payouts with one status, reading off the ones in `wanted`. Stops when all are found, at the
 * end, or as soon as the server shows it ignores the filter (then `get` fetches the rest one by one).
 */
async function readStatusList(
	this: IPollFunctions,
	scope: Scope,
	status: string,
	wanted: Set<string>,
	into: Record<string, Disbursement | null>,
	oldest?: number,
): Promise<void> {
	for await (const page of scopePages.call(this, scope, status, oldest)) {
		let filterIgnored = false;
		let pastOldest = false;
		for (const disbursement of page.data) {
			if (wanted.has(disbursement.id)) {
				into[disbursement.id] = disbursement;
				wanted.delete(disbursement.id);
			}
			if (disbursement.status !== status) filterIgnored = true;
			if (oldest !== undefined && created(disbursement) < oldest) pastOldest = true;
		}
		if (wanted.size === 0 || pastOldest || (filterIgnored && oldest === undefined)) return;
	}
}

/** Fetches what the next decision needs: new payouts and the current status of the ones in flight. */
export async function observe(
	this: IPollFunctions,
	previous: TriggerState | undefined,
	scope: Scope,
	baselineWatchFrom?: number,
): Promise<Observation> {
	const now = clock.now();
	const scanned = await scanNew.call(this, previous, scope);
	const refreshed: Record<string, Disbursement | null> = {};
	const covered = new Set(scanned.map((disbursement) => disbursement.id));

	if (previous === undefined) {
		// Baseline: every payout in flight now, and completed ones still inside the refund window.
		for (const status of ['pending', 'processing']) {
			await collectAll.call(this, scope, status, refreshed);
		}
		if (baselineWatchFrom !== undefined) await collectAll.call(this, scope, 'completed', refreshed, baselineWatchFrom);
		// A status Wistfare does not document cannot be listed by name: recent history is read instead.
		await collectAll.call(this, scope, undefined, refreshed, now - UNKNOWN_STATUS_HORIZON_MS);
		return { now, scanned, refreshed };
	}

	const byStatus = new Map<string, Set<string>>();
	for (const [id, status] of Object.entries(previous.tracked)) {
		if (covered.has(id)) continue;
		if (!byStatus.has(status)) byStatus.set(status, new Set());
		byStatus.get(status)!.add(id);
	}
	const missing = new Set<string>();
	for (const [status, wanted] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
		// A payout may have moved to a status listed later in this loop: look there too.
		for (const id of missing) wanted.add(id);
		missing.clear();
		await readStatusList.call(this, scope, status, wanted, refreshed);
		for (const id of wanted) if (!(id in refreshed)) missing.add(id);
	}
	const watched = Object.entries(previous.watch).filter(([id]) => !covered.has(id));
	if (watched.length > 0) {
		const oldest = Math.min(...watched.map(([, [createdAt]]) => createdAt));
		await readStatusList.call(this, scope, 'refunded', new Set(watched.map(([id]) => id)), refreshed, oldest);
	}
	// What no listing showed is fetched by id: absence from a list is never taken as a change.
	for (const id of missing) {
		if (id in refreshed) continue;
		refreshed[id] = await getOrNull.call(this, id, scope.session);
	}
	return { now, scanned, refreshed };
}

async function getOrNull(this: IPollFunctions, id: string, session: WistfareSession): Promise<Disbursement | null> {
	try {
		return await getDisbursement.call(this, id, { session });
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return null;
		throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error);
	}
}

/**
 * Baseline only: every payout with a status, optionally only those created since `from`. Without a
 * status: the payouts since `from` whose status is not a documented one.
 */
async function collectAll(
	this: IPollFunctions,
	scope: Scope,
	status: string | undefined,
	into: Record<string, Disbursement | null>,
	from?: number,
): Promise<void> {
	for await (const page of scopePages.call(this, scope, status, from)) {
		let pastFrom = false;
		for (const disbursement of page.data) {
			if (from !== undefined && created(disbursement) < from) pastFrom = true;
			else if (!inScope(disbursement, scope)) continue;
			else if (status === undefined ? !isDocumentedStatus(disbursement.status) : disbursement.status === status) {
				into[disbursement.id] = disbursement;
			}
		}
		if (pastFrom) return;
	}
}
