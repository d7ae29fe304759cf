import type { IPollFunctions } from 'n8n-workflow';

import type { Disbursement, DisbursementPage } from '../payout/types';
import { Budget, firstPage, fromDateOf, pages, type Scope } from './reading';
import { createdMs, unlistedFloor } from './state';

/** What a scan read of the list. */
export interface Reading {
	/** Payouts created at or after the floor (on the first poll, also the rest of the newest page). */
	found: Map<string, Disbursement>;
	/** It read down to the floor; false: the budget ran out, and `nextPage` is where to go on. */
	complete: boolean;
	/** The server's count shows the reading held every payout it listed. */
	verified: boolean;
	nextPage: number;
}

/** How often a reading that came up short of the server's count is read again. */
const MAX_RESCANS = 2;
/**
 * Without a count, a reading where a payout came twice is read again until the joined readings stop
 * growing for this many readings in a row, at most `MAX_UNCOUNTED_READINGS` in all: each reading of a
 * tie split by a page boundary leaves a different few out, so the joined readings miss one only if
 * every reading left that one out.
 */
const STABLE_READINGS = 2;
const MAX_UNCOUNTED_READINGS = 8;

interface ReadFrom {
	/** The page of the listing to start at (1: the top). Going on by page, pages are not read again. */
	startPage?: number;
	/** Without a date filter (the first poll: the floor is known only from page 1). */
	unfiltered?: boolean;
	/** Already read: page `startPage − 1`, joined into the reading. */
	before?: DisbursementPage;
}

/**
 * Every payout created at or after `floor`, newest first, read down to the floor. Pages shift when
 * payouts arrive meanwhile (one may come twice, none is skipped), and a server may order ties
 * differently on each request, so that a page boundary leaves one out. A reading is verified when
 * the server's count matches what it read or, without a count, when no payout came twice (the
 * listing down to the floor has a fixed length: a payout left out means another came twice). One
 * that is not is read again and the readings joined; what is still unverified is read once more by
 * the next poll (see `scanFloor`). Without a count, this can only make a miss unlikely, not impossible.
 */
export async function readDown(this: IPollFunctions, scope: Scope, floor: number, budget: Budget, from: ReadFrom = {}): Promise<Reading> {
	const found = new Map<string, Disbursement>();
	const filter = from.unfiltered ? {} : fromDateOf(floor);
	const fromDate = filter.fromDate ? Date.parse(filter.fromDate) : -Infinity;
	const startPage = from.startPage ?? 1;
	const matched = new Set<string>();
	let total: number | undefined;
	let filterIgnored = false;
	let twice = false;
	let read = new Set<string>();
	const take = (result: DisbursementPage) => {
		let reached = false;
		for (const disbursement of result.data) {
			const created = createdMs(disbursement);
			if (created < fromDate) filterIgnored = true;
			else matched.add(disbursement.id);
			if (created < floor) reached = true;
			else {
				if (read.has(disbursement.id)) twice = true;
				read.add(disbursement.id);
				found.set(disbursement.id, disbursement);
			}
		}
		return reached || !result.hasMore;
	};
	if (from.before && take(from.before)) return { found, complete: true, verified: false, nextPage: startPage };
	// A reading that starts below the top cannot be checked against the server's count.
	const rereads = startPage === 1 && !from.unfiltered;
	let grewAt = 0;
	for (let reading = 0; ; reading++) {
		const sizeBefore = found.size;
		read = new Set();
		twice = false;
		let nextPage = reading === 0 ? startPage : 1;
		let ended = false;
		for await (const result of pages.call(this, scope, filter, budget, nextPage)) {
			if (result.number === 1) total = result.total;
			nextPage = result.number + 1;
			if ((ended = take(result))) break;
		}
		// Left before the floor or the end: the budget ran out.
		if (!ended) return { found, complete: reading > 0, verified: false, nextPage };
		// The server's count is of what its date filter matched: short of it, a page left one out.
		const counted = total !== undefined && !filterIgnored;
		if (counted ? matched.size >= total! : !twice) return { found, complete: true, verified: rereads, nextPage: 1 };
		if (found.size > sizeBefore) grewAt = reading;
		const more = counted ? reading < MAX_RESCANS : reading + 1 < MAX_UNCOUNTED_READINGS && reading - grewAt < STABLE_READINGS;
		if (!rereads || !more) return { found, complete: true, verified: false, nextPage: 1 };
	}
}

/**
 * The first poll's scan: the newest page, and below it the window under the newest payout (more
 * pages of the same listing only when the window holds more than a page). Returns the floor it read
 * down to with the reading.
 */
export async function readBaseline(this: IPollFunctions, scope: Scope, now: number, windowMs: number, budget: Budget) {
	const first = await firstPage.call(this, scope);
	const newest = first.data.length ? Math.max(...first.data.map(createdMs)) : undefined;
	if (newest === undefined) return { found: new Map<string, Disbursement>(), complete: true };
	const floor = unlistedFloor({ cursor: new Date(newest).toISOString(), scannedAt: now, windowMs, seen: {} }, windowMs);
	const reading = await readDown.call(this, scope, floor, budget, { startPage: 2, unfiltered: true, before: first });
	// The newest payout sets the cursor, even when it is too old for the window.
	for (const disbursement of first.data) if (!reading.found.has(disbursement.id)) reading.found.set(disbursement.id, disbursement);
	return reading;
}
