import type { IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clock } from '../Wistfare/transport/clock';
import { getDisbursement, listDisbursements, MAX_PAGE_SIZE } from '../Wistfare/transport/client';
import { isDocumentedStatus, MAY_CHANGE_AFTER_FINAL } from '../Wistfare/transport/status';
import type { Disbursement, DisbursementPage, ListDisbursementsParams, WistfareSession } from '../Wistfare/transport/types';
import { createdMs, scanFloor, windowFloor, type Backfill, type CatchUp, type Observation, type TriggerState } from './state';

function oldestOf(found: Map<string, Disbursement>): number | undefined {
	let oldest: number | undefined;
	for (const disbursement of found.values()) oldest = Math.min(oldest ?? Infinity, createdMs(disbursement));
	return oldest;
}

function newestOf(found: Map<string, Disbursement>, top: string | null): string | null {
	let newest = top;
	for (const disbursement of found.values()) {
		if (newest === null || createdMs(disbursement) > Date.parse(newest)) newest = disbursement.createdAt;
	}
	return newest;
}

export interface Scope {
	businessId: string;
	walletId?: string;
	/** The poll's requests share what the server has shown of itself. */
	session: WistfareSession;
}

export interface ObserveOptions {
	windowMs: number;
	/** Completed payouts changed since then are watched; undefined: none are. */
	watchFrom?: number;
	/** Past this instant no new request starts: the poll returns what it has. */
	deadline: number;
}

/** How far back the activation's walk looks for payouts in a status it cannot list by name. */
export const UNKNOWN_STATUS_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;
/** Pages the activation's walk reads per poll, so that activation costs no more than a poll. */
export const BACKFILL_PAGES_PER_POLL = 3;
/** Watched completed payouts fetched one by one per poll, in rotation, for a change no list shows. */
export const WATCH_CHECKS_PER_POLL = 10;
/** How often a scan that came up short of the server's total is read again. */
const MAX_RESCANS = 2;
/** Server-side filters are a saving only: the server may ignore them, so margins stay on the safe side. */
const FROM_DATE_MARGIN_MS = 1000;

const iso = (ms: number) => new Date(ms).toISOString();

function inScope(disbursement: Disbursement, scope: Scope): boolean {
	return !scope.walletId || disbursement.walletId === scope.walletId;
}

class Budget {
	exhausted = false;

	constructor(private readonly deadline: number) {}

	/** Whether another request may start; once not, the poll stops fetching. */
	allows(): boolean {
		if (clock.now() >= this.deadline) this.exhausted = true;
		return !this.exhausted;
	}
}

/** One page of the scope's payouts. */
function page(this: IPollFunctions, scope: Scope, params: Partial<ListDisbursementsParams>, number: number): Promise<DisbursementPage> {
	return listDisbursements.call(
		this,
		{ businessId: scope.businessId, walletId: scope.walletId, perPage: MAX_PAGE_SIZE, ...params, page: number },
		{ session: scope.session },
	);
}

/**
 * Every payout created at or after `floor`, newest first, read down to the floor. Pages shift when
 * payouts arrive meanwhile, and a server may order ties differently on each request: when the pages
 * held fewer payouts than the server counted, they are read again and the readings joined. What a
 * reading still misses is within the window and read by the next poll.
 */
async function readDown(this: IPollFunctions, scope: Scope, floor: number, budget: Budget, below?: number | null) {
	const found = new Map<string, Disbursement>();
	const fromDate = floor - FROM_DATE_MARGIN_MS;
	const dateFilter = {
		...(Number.isFinite(fromDate) ? { fromDate: iso(fromDate) } : {}),
		...(typeof below === 'number' ? { toDate: iso(below) } : {}),
	};
	for (let reading = 0; reading <= MAX_RESCANS; reading++) {
		let total: number | undefined;
		let filterIgnored = false;
		const matched = new Set<string>();
		for (let number = 1; ; number++) {
			if (!budget.allows()) return { found, complete: false };
			const result = await page.call(this, scope, dateFilter, number);
			if (number === 1) total = result.total;
			let reached = false;
			for (const disbursement of result.data) {
				const created = createdMs(disbursement);
				if (created < fromDate) filterIgnored = true;
				else matched.add(disbursement.id);
				if (created < floor) reached = true;
				else if (typeof below !== 'number' || created <= below) found.set(disbursement.id, disbursement);
			}
			if (reached || !result.hasMore) break;
		}
		// The server's total counts what its date filter matched: short of it, a page left some out.
		if (total === undefined || filterIgnored || matched.size >= total) break;
	}
	return { found, complete: true };
}

/**
 * Lists payouts with one status, reading off the ones in `wanted`. Stops when all are found, at the
 * end, at `oldest`, or as soon as the server shows it ignores the filter (then `get` fetches the rest).
 */
async function readStatusList(
	this: IPollFunctions,
	scope: Scope,
	status: string,
	wanted: Set<string>,
	into: Record<string, Disbursement | null>,
	budget: Budget,
	oldest?: number,
): Promise<void> {
	for (let number = 1; wanted.size > 0 && budget.allows(); number++) {
		const result = await page.call(this, scope, { status, fromDate: oldest === undefined ? undefined : iso(oldest - FROM_DATE_MARGIN_MS) }, number);
		let filterIgnored = false;
		let pastOldest = false;
		for (const disbursement of result.data) {
			if (wanted.has(disbursement.id)) {
				into[disbursement.id] = disbursement;
				wanted.delete(disbursement.id);
			}
			if (disbursement.status !== status) filterIgnored = true;
			if (oldest !== undefined && createdMs(disbursement) < oldest) pastOldest = true;
		}
		if (!result.hasMore || pastOldest || (filterIgnored && oldest === undefined)) return;
	}
}

/** Every payout in scope with a status, into `into` (the baseline's payouts in flight). */
async function collectStatus(this: IPollFunctions, scope: Scope, status: string, into: Record<string, Disbursement | null>, budget: Budget) {
	for (let number = 1; budget.allows(); number++) {
		const result = await page.call(this, scope, { status }, number);
		for (const disbursement of result.data) {
			if (inScope(disbursement, scope) && disbursement.status === status) into[disbursement.id] = disbursement;
		}
		if (!result.hasMore) return;
	}
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
 * Fetches what the next decision needs: new payouts, the current status of the ones in flight and
 * watched, and a few pages of the activation's walk. Stops starting requests at the deadline: what it
 * did not read is read by the next poll, and nothing is concluded from what was not read.
 */
export async function observe(
	this: IPollFunctions,
	previous: TriggerState | undefined,
	scope: Scope,
	options: ObserveOptions,
): Promise<Observation> {
	const now = clock.now();
	const budget = new Budget(options.deadline);

	// Step 1: the scan, down to the window under the cursor (the first poll: under the newest payout);
	// first the rest of a scan the last poll's budget cut short.
	const floor = scanFloor(previous, options.windowMs, now);
	let scannedMap: Map<string, Disbursement>;
	let scanComplete: boolean;
	let catchUp: CatchUp | undefined;
	if (previous === undefined) {
		const first = await page.call(this, scope, {}, 1);
		const newest = first.data.length ? Math.max(...first.data.map(createdMs)) : undefined;
		const read =
			newest === undefined
				? { found: new Map<string, Disbursement>(), complete: true }
				: await readDown.call(this, scope, windowFloor(newest, options.windowMs, now), budget);
		scannedMap = read.found;
		scanComplete = read.complete;
		// The newest payout sets the cursor, even when it is too old for the window.
		for (const disbursement of first.data) if (!scannedMap.has(disbursement.id)) scannedMap.set(disbursement.id, disbursement);
	} else {
		scannedMap = new Map();
		// No cursor: the business had no payout at activation, so every payout is new (0: the epoch).
		const from = floor ?? 0;
		let top: string | null = null;
		let below: number | null = null;
		let caughtUp = true;
		if (previous.catchUp) {
			({ top, below } = previous.catchUp);
			const rest = await readDown.call(this, scope, from, budget, below);
			scannedMap = rest.found;
			caughtUp = rest.complete;
			if (!caughtUp) below = oldestOf(rest.found) ?? below;
		}
		scanComplete = caughtUp;
		if (caughtUp) {
			const read = await readDown.call(this, scope, from, budget);
			for (const [id, disbursement] of read.found) scannedMap.set(id, disbursement);
			scanComplete = read.complete;
			below = read.complete ? null : (oldestOf(read.found) ?? null);
			top = newestOf(read.found, top);
		}
		if (!scanComplete) catchUp = { floor: from, below, top };
	}
	const scanned = [...scannedMap.values()].filter((disbursement) => inScope(disbursement, scope));
	const covered = new Set(scanned.map((disbursement) => disbursement.id));
	const refreshed: Record<string, Disbursement | null> = {};

	// Step 2 (the first poll): every payout in flight now; older history is walked over later polls.
	if (previous === undefined) {
		for (const status of ['pending', 'processing']) await collectStatus.call(this, scope, status, refreshed, budget);
		const newest = scanned.length ? Math.max(...scanned.map(createdMs)) : undefined;
		const from = Math.min(now - UNKNOWN_STATUS_HORIZON_MS, options.watchFrom ?? Infinity);
		const backfill = newest === undefined ? undefined : { to: iso(newest), from, page: 1 };
		return { now, scanned, scanComplete, refreshed, backfill };
	}

	// Step 3: payouts in flight, by the status they last had; what left its list is fetched by id.
	const byStatus = new Map<string, Set<string>>();
	const missing = new Set<string>();
	for (const [id, [status]] of Object.entries(previous.tracked)) {
		if (covered.has(id)) continue;
		// A status Wistfare does not document is not asked for by name (a strict server may refuse it):
		// such a payout is fetched by id.
		if (!isDocumentedStatus(status)) {
			missing.add(id);
			continue;
		}
		if (!byStatus.has(status)) byStatus.set(status, new Set());
		byStatus.get(status)!.add(id);
	}
	let leftOver = new Set<string>();
	for (const [status, wanted] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
		// A payout may have moved to a status listed later in this loop: look there too.
		for (const id of leftOver) wanted.add(id);
		await readStatusList.call(this, scope, status, wanted, refreshed, budget);
		leftOver = new Set([...wanted].filter((id) => !(id in refreshed)));
	}
	for (const id of leftOver) missing.add(id);

	// Step 4: watched completed payouts: the final statuses by list, anything else in rotation by id.
	const watched = Object.entries(previous.watch).filter(([id]) => !covered.has(id));
	if (watched.length > 0) {
		const oldest = Math.min(...watched.map(([, [createdAt]]) => createdAt));
		for (const status of ['failed', 'refunded']) {
			const wanted = new Set(watched.map(([id]) => id).filter((id) => !(id in refreshed)));
			await readStatusList.call(this, scope, status, wanted, refreshed, budget, oldest);
		}
		const unseen = watched.map(([id]) => id).filter((id) => !(id in refreshed));
		for (const id of watchRotation(unseen, now, WATCH_CHECKS_PER_POLL)) missing.add(id);
	}

	// Step 5: what no listing showed is fetched by id: absence from a list is never taken as a change.
	for (const id of missing) {
		if (id in refreshed || !budget.allows()) continue;
		refreshed[id] = await getOrNull.call(this, id, scope.session);
	}

	// Step 6: a few pages of the activation's walk.
	const walk = previous.backfill ? await walkBack.call(this, scope, previous.backfill, budget) : undefined;
	return { now, scanned, scanComplete, catchUp, refreshed, backfilled: walk?.found, backfill: walk ? walk.next : undefined };
}

/** Up to BACKFILL_PAGES_PER_POLL pages of the activation's walk; `next` undefined when it is done. */
async function walkBack(this: IPollFunctions, scope: Scope, backfill: Backfill, budget: Budget) {
	const found: Disbursement[] = [];
	const to = Date.parse(backfill.to);
	let number = backfill.page;
	for (let read = 0; read < BACKFILL_PAGES_PER_POLL; read++) {
		if (!budget.allows()) return { found, next: { ...backfill, page: number } };
		const result = await page.call(this, scope, { toDate: backfill.to, fromDate: iso(backfill.from - FROM_DATE_MARGIN_MS) }, number);
		let pastFrom = false;
		for (const disbursement of result.data) {
			const created = createdMs(disbursement);
			if (created < backfill.from) pastFrom = true;
			else if (created <= to && inScope(disbursement, scope) && (!isDocumentedStatus(disbursement.status) || MAY_CHANGE_AFTER_FINAL.has(disbursement.status))) {
				found.push(disbursement);
			}
		}
		number++;
		if (pastFrom || !result.hasMore) return { found, next: undefined };
	}
	return { found, next: { ...backfill, page: number } };
}
