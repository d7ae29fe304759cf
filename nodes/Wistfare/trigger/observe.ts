import type { IPollFunctions } from 'n8n-workflow';

import { clock } from '../api/clock';
import { DOCUMENTED_IN_FLIGHT } from '../payout/status';
import type { Disbursement } from '../payout/types';
import { Budget, iso, inScope, type Scope } from './reading';
import { listByStatus, refresh, walkBack } from './refresh';
import { readBaseline, readDown } from './scan';
import { createdMs, readFloor, type Observation, type TriggerState } from './state';

export type { Scope };

export interface ObserveOptions {
	windowMs: number;
	/** Completed payouts changed since then are watched; undefined: none are. */
	watchFrom?: number;
	/** Past this instant no new request starts: the poll returns what it has. */
	deadline: number;
}

/** How far back the activation's walk looks for payouts in a status it cannot list by name. */
export const UNKNOWN_STATUS_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

function newestOf(found: Iterable<Disbursement>): string | null {
	let newest: Disbursement | undefined;
	for (const disbursement of found) if (!newest || createdMs(disbursement) > createdMs(newest)) newest = disbursement;
	return newest?.createdAt ?? null;
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
	if (previous === undefined) return await observeFirst.call(this, scope, options, now, budget);

	// Step 1: the scan, from the top down to the floor, or on from where a scan cut short stopped.
	const floor = readFloor(previous, options.windowMs) ?? 0;
	const reading = await readDown.call(this, scope, floor, budget, { startPage: previous.catchUp?.page });
	const scanned = [...reading.found.values()].filter((disbursement) => inScope(disbursement, scope));
	const catchUp = reading.complete ? undefined : { page: reading.nextPage, top: newestOf(reading.found.values()) };

	// Step 2: payouts in flight and watched that the scan did not cover.
	const covered = new Set(scanned.map((disbursement) => disbursement.id));
	const refreshed = await refresh.call(this, previous, scope, covered, now, budget);

	// Step 3: a few pages of the activation's walk.
	const walk = previous.backfill ? await walkBack.call(this, scope, previous.backfill, budget) : undefined;
	return {
		now,
		scanned,
		scanComplete: reading.complete,
		scanVerified: reading.verified,
		catchUp,
		refreshed,
		backfilled: walk?.found,
		backfill: walk ? walk.next : undefined,
	};
}

/** The first poll: the baseline scan and every payout in flight now; older history is walked over later polls. */
async function observeFirst(this: IPollFunctions, scope: Scope, options: ObserveOptions, now: number, budget: Budget): Promise<Observation> {
	const reading = await readBaseline.call(this, scope, now, options.windowMs, budget);
	const scanned = [...reading.found.values()].filter((disbursement) => inScope(disbursement, scope));
	const refreshed: Record<string, Disbursement | null> = {};
	for (const status of DOCUMENTED_IN_FLIGHT) await listByStatus.call(this, scope, status, refreshed, budget);
	const newest = scanned.length ? Math.max(...scanned.map(createdMs)) : undefined;
	const from = Math.min(now - UNKNOWN_STATUS_HORIZON_MS, options.watchFrom ?? Infinity);
	const backfill = newest === undefined ? undefined : { to: iso(newest), from, page: 1 };
	return { now, scanned, scanComplete: reading.complete, scanVerified: false, refreshed, backfill };
}
