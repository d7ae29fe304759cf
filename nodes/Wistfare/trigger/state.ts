import { SERVER_CLOCK_SKEW_MS } from '../api/clock';
import { toEvent, type TriggerEvent } from '../payout/event';
import { isInFlight } from '../payout/status';
import type { Disbursement } from '../payout/types';

export { isInFlight, toEvent, type TriggerEvent };

/**
 * What the trigger keeps in n8n's static data between polls. It grows with the payouts in flight and
 * with the payouts created within one visibility window, never with the history: a cursor (the newest
 * `createdAt` seen), when the last scan read the list, the ids seen above the next scan's floor, the
 * last status of each payout in flight, the completed payouts still watched, and the activation's walk
 * through older history.
 */
export interface TriggerState {
	v: 2;
	/** The business (and wallet) the state is about: another scope starts from a new baseline. */
	scope?: string;
	/** ISO `createdAt` of the newest payout seen (the server's clock); null when the business had none. */
	cursor: string | null;
	/** When (n8n's clock, ms) the last complete scan started; absent in states saved by earlier versions. */
	scannedAt?: number;
	/** The visibility window in force at the last scan: the floor is read with it, so that `seen` covers it. */
	windowMs?: number;
	/** The last scan could not tell it saw every payout it read past: from here up is read once more. */
	recheckFrom?: number;
	/** id → createdAt ms of payouts seen at or above the next scan's floor: not new when seen again. */
	seen: Record<string, number>;
	/** id → [last status, createdAt ms], for payouts not final yet (pending, processing, or unknown). */
	tracked: Record<string, [string, number]>;
	/** id → [createdAt ms, completed-at ms], for completed payouts still watched for a later change. */
	watch: Record<string, [number, number]>;
	/** Where the activation's walk through older history goes on; absent when it is done. */
	backfill?: Backfill;
	/** A scan cut short by n8n's poll budget: where the next poll goes on reading down. */
	catchUp?: CatchUp;
	/** What the user must be told, kept until it goes out with the next events. */
	warnings?: string[];
}

/**
 * The activation's walk, newest first, through payouts created up to `to` and not before `from`:
 * the ones in a status Wistfare does not document (a list cannot ask for them by name) and the
 * completed ones inside the watch window. `page` is the next page to read (pages are stable: nothing
 * new is created under `to`).
 */
export interface Backfill {
	to: string;
	from: number;
	page: number;
}

/**
 * A scan that n8n's poll budget cut short: the same listing (payouts created from `floor` up, newest
 * first) is read on from `page` over the next polls. Payouts created meanwhile only push the rest
 * down a page, so going on by page number may read one twice but never skips one.
 */
export interface CatchUp {
	floor: number;
	/** The next page of the listing to read. */
	page: number;
	/** The newest `createdAt` read so far: the cursor moves there once the rest is read. */
	top: string | null;
	/** When the scan started (n8n's clock): `scannedAt` once it is complete. */
	startedAt: number;
	/** The lowest `createdAt` this scan may be the first to read (see `recheckFrom`). */
	firstRead: number;
}

/** What one poll saw of the API. Built by the poll's I/O, read by `decide`. */
export interface Observation {
	now: number;
	/** Payouts created at or after the scan floor (on the first poll: the newest page). */
	scanned: Disbursement[];
	/** The scan read down to its floor. When false (a poll cut short), the cursor does not move. */
	scanComplete: boolean;
	/**
	 * The server's count showed that the scan read every payout it listed (no tie left out by a page
	 * boundary). False without a count, when a filter was ignored, or for a scan read over several polls.
	 */
	scanVerified: boolean;
	/** With a scan cut short: where the next poll goes on. */
	catchUp?: Pick<CatchUp, 'page' | 'top'>;
	/** Current state of tracked and watched payouts the scan did not cover; null when gone (404). */
	refreshed: Record<string, Disbursement | null>;
	/** Older payouts the activation's walk read this poll: watched from now on, never fired. */
	backfilled?: Disbursement[];
	/** Where the walk goes on; undefined when it is done. */
	backfill?: Backfill;
}

export interface TriggerOptions {
	/** Statuses that fire; empty: every status. */
	statuses: string[];
	/** How long after completing a payout is still watched for a change; 0: not at all. */
	watchRefundsMs: number;
	/** Most payouts the state may hold (tracked + watched). */
	cap: number;
	/** How long after its `createdAt` a payout may first show in the list and still fire. */
	windowMs: number;
}


export const DEFAULT_WINDOW_MS = 10 * 60 * 1000;
/** Payouts in flight or watched that the static data keeps at most: n8n saves it whole after every poll (its size: bench/RESULTS.md). */
export const DEFAULT_CAP = 10_000;

export function isTriggerState(value: unknown): value is TriggerState {
	const state = value as TriggerState;
	return (
		!!state &&
		state.v === 2 &&
		typeof state.seen === 'object' &&
		state.seen !== null &&
		typeof state.tracked === 'object' &&
		state.tracked !== null &&
		typeof state.watch === 'object' &&
		state.watch !== null
	);
}

interface StateV1 {
	v: 1;
	scope?: string;
	cursor: string | null;
	seen: string[];
	tracked: Record<string, string>;
	watch: Record<string, [number, number]>;
}

/** A catch-up saved before it went on by page: read again from the top of its listing. */
interface CatchUpByDate {
	floor: number;
	below: number | null;
	top: string | null;
}

/** A state saved by an earlier version, in today's shape: nothing it knew is lost. */
export function upgradeState(value: unknown): TriggerState | undefined {
	if (isTriggerState(value)) {
		const old = value.catchUp as CatchUp | CatchUpByDate | undefined;
		if (!old || typeof (old as CatchUp).page === 'number') return value;
		// Its start is unknown: taken as its floor, the earliest it can have been (floors only go lower).
		const catchUp: CatchUp = { floor: old.floor, page: 1, top: old.top, startedAt: old.floor, firstRead: old.floor };
		return { ...value, catchUp };
	}
	const old = value as StateV1;
	if (!old || old.v !== 1 || !Array.isArray(old.seen) || typeof old.tracked !== 'object' || typeof old.watch !== 'object') {
		return undefined;
	}
	const cursorMs = old.cursor ? Date.parse(old.cursor) : 0;
	return {
		v: 2,
		scope: old.scope,
		cursor: old.cursor,
		seen: Object.fromEntries(old.seen.map((id) => [id, cursorMs])),
		tracked: Object.fromEntries(Object.entries(old.tracked).map(([id, status]) => [id, [status, 0]])),
		watch: old.watch,
	};
}

export function createdMs(disbursement: Disbursement): number {
	const value = Date.parse(disbursement.createdAt);
	return Number.isNaN(value) ? 0 : value;
}


/**
 * The scan floor: the earliest `createdAt` (ms) a payout the trigger has not seen yet can have, so
 * the lowest a poll must read the list down to. The one rule, from the state alone (never from the
 * time of the poll: however long since the last scan, everything created meanwhile is above it):
 * - A payout not listed at the last scan appears within the window after its `createdAt`, so it was
 *   created after `scannedAt − window`, give or take the clocks' skew: the floor for a quiet
 *   business, whose cursor may be days old.
 * - The cursor, the newest payout listed then, is no later than that scan on the server's clock, so
 *   `cursor − window` is the same bound without the skew: the floor for a busy business.
 * - What the last scan could not verify it read whole (`recheckFrom`) is read once more: a tie a page
 *   boundary left out then is there this time.
 * While a scan cut short is caught up, its floor holds. Undefined: the very first scan (no state).
 * `windowMs` serves only a state saved before the window was kept with it.
 */
export function scanFloor(state: TriggerState | undefined, windowMs: number): number | undefined {
	if (state === undefined) return undefined;
	if (state.catchUp) return state.catchUp.floor;
	return Math.min(unlistedFloor(state, windowMs), state.recheckFrom ?? Infinity);
}

/** The earliest `createdAt` of a payout that was not listed yet at the state's last scan. */
export function unlistedFloor(state: Pick<TriggerState, 'cursor' | 'scannedAt' | 'windowMs' | 'seen'>, windowMs: number): number {
	const window = state.windowMs ?? windowMs;
	const byCursor = state.cursor ? Date.parse(state.cursor) - window : -Infinity;
	return Math.max(byCursor, state.scannedAt === undefined ? untimedFloor(state) : state.scannedAt - window - SERVER_CLOCK_SKEW_MS);
}

/**
 * A state saved before scans were timed: its ids were kept down to a floor that is not known, so the
 * scan goes no lower than the oldest it kept (lower, a payout seen then would fire again).
 */
function untimedFloor(state: Pick<TriggerState, 'cursor' | 'seen'>): number {
	if (!state.cursor) return 0;
	let lowest = Date.parse(state.cursor);
	for (const created of Object.values(state.seen)) lowest = Math.min(lowest, created);
	return lowest;
}

/**
 * How far down a poll reads: the scan floor, and lower where the user widened the window since the
 * last scan. What lies between the two was listed before that scan: it is recorded, never fired.
 */
export function readFloor(state: TriggerState | undefined, windowMs: number): number | undefined {
	const floor = scanFloor(state, windowMs);
	if (state === undefined || floor === undefined || state.catchUp || state.windowMs === undefined) return floor;
	return Math.min(floor, unlistedFloor({ ...state, windowMs }, windowMs));
}
