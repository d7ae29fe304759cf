import { isInFlight, MAY_CHANGE_AFTER_FINAL } from '../Wistfare/transport/status';
import type { Disbursement } from '../Wistfare/transport/types';

export { isInFlight };

/**
 * What the trigger keeps in n8n's static data between polls. It grows with the payouts in flight and
 * with the payouts created within one visibility window, never with the history: a cursor (the newest
 * `createdAt` seen), the ids seen within the window under it, the last status of each payout in
 * flight, the completed payouts still watched, and the activation's walk through older history.
 */
export interface TriggerState {
	v: 2;
	/** The business (and wallet) the state is about: another scope starts from a new baseline. */
	scope?: string;
	/** ISO `createdAt` of the newest payout seen (the server's clock); null when the business had none. */
	cursor: string | null;
	/** id → createdAt ms of payouts created within the window under the cursor: not new when seen again. */
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
 * A scan that n8n's poll budget cut short read from the top down to `below`; payouts created from
 * `floor` up to `below` are still to be read. `top` is the newest `createdAt` it read: the cursor
 * moves there once the rest is read.
 */
export interface CatchUp {
	floor: number;
	/** null: nothing was read yet, start from the top. */
	below: number | null;
	top: string | null;
}

/** What one poll saw of the API. Built by the poll's I/O, read by `decide`. */
export interface Observation {
	now: number;
	/** Payouts created at or after the scan floor (on the first poll: the newest page). */
	scanned: Disbursement[];
	/** The scan read down to its floor. When false (a poll cut short), the cursor does not move. */
	scanComplete: boolean;
	/** With a scan cut short: where the next poll goes on. */
	catchUp?: CatchUp;
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

export interface TriggerEvent extends Disbursement {
	previousStatus: string | null;
	event: string;
}

export interface Decision {
	events: TriggerEvent[];
	next: TriggerState;
	/** Payouts dropped from the state because the cap was reached (they will not fire again). */
	dropped: number;
	/** To go out with these events (empty when there are none: then they wait in the state). */
	warnings: string[];
}

export const DEFAULT_WINDOW_MS = 10 * 60 * 1000;
/**
 * How far the server's clock may be from n8n's. A payout listed at all is listed within the window
 * after its `createdAt` (server time), so once n8n's clock is past that by this much it cannot appear
 * any more: the scan need not look lower, however dense the history under the cursor.
 */
export const CLOCK_SKEW_MS = 15 * 60 * 1000;
/** 10,000 payouts in flight or watched take about 400 KB of static data (bench/RESULTS.md). */
export const DEFAULT_CAP = 10_000;
const MAX_WARNINGS = 5;

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

/** A state saved by an earlier version, in today's shape: nothing it knew is lost. */
export function upgradeState(value: unknown): TriggerState | undefined {
	if (isTriggerState(value)) return value;
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

function changedMs(disbursement: Disbursement, fallback: number): number {
	const value = Date.parse(disbursement.updatedAt);
	return Number.isNaN(value) ? fallback : value;
}

export function toEvent(disbursement: Disbursement, previousStatus: string | null): TriggerEvent {
	return { ...disbursement, previousStatus, event: `disbursement.${disbursement.status}` };
}

/**
 * The earliest `createdAt` (ms) a poll at `now` must scan back to; undefined: no cursor yet. While a
 * cut scan is being caught up, its floor holds.
 */
export function scanFloor(state: TriggerState | undefined, windowMs: number, now: number): number | undefined {
	if (state?.catchUp) return state.catchUp.floor;
	if (!state?.cursor) return undefined;
	return windowFloor(Date.parse(state.cursor), windowMs, now);
}

/** The window under a cursor, no lower than a payout listed late could still be created. */
export function windowFloor(cursorMs: number, windowMs: number, now: number): number {
	return Math.max(cursorMs - windowMs, now - windowMs - CLOCK_SKEW_MS);
}

/**
 * The trigger's whole decision, pure: from the state before the poll and what the poll saw, the
 * events to emit and the state after. Without a previous state it takes the baseline: no events.
 *
 * Safe to run again from an older state (a save that was lost, a poll run twice): an event fires
 * only for a status the given state has not recorded, and the state an emitting poll returns is
 * the one n8n saves with the execution.
 */
export function decide(
	previous: TriggerState | undefined,
	observation: Observation,
	options: TriggerOptions,
): Decision {
	const baseline = previous === undefined;
	const { now } = observation;
	const floor = scanFloor(previous, options.windowMs, now);
	const seen: Record<string, number> = { ...(previous?.seen ?? {}) };
	const tracked: Record<string, [string, number]> = { ...(previous?.tracked ?? {}) };
	const watch: Record<string, [number, number]> = { ...(previous?.watch ?? {}) };
	const fires = (status: string) => options.statuses.length === 0 || options.statuses.includes(status);
	const events: TriggerEvent[] = [];

	const scannedIds = new Set(observation.scanned.map((disbursement) => disbursement.id));
	const latest = new Map<string, Disbursement>();
	for (const disbursement of observation.scanned) latest.set(disbursement.id, disbursement);
	const gone = new Set<string>();
	for (const [id, disbursement] of Object.entries(observation.refreshed)) {
		if (disbursement) latest.set(id, disbursement);
		else if (!latest.has(id)) gone.add(id);
	}

	const record = (disbursement: Disbursement) => {
		const { id, status } = disbursement;
		delete tracked[id];
		delete watch[id];
		if (isInFlight(status)) tracked[id] = [status, createdMs(disbursement)];
		else if (MAY_CHANGE_AFTER_FINAL.has(status) && options.watchRefundsMs > 0) {
			const completedAt = changedMs(disbursement, now);
			if (now - completedAt < options.watchRefundsMs) watch[id] = [createdMs(disbursement), completedAt];
		}
	};
	const knownStatus = (id: string) => tracked[id]?.[0] ?? (watch[id] ? 'completed' : undefined);

	for (const disbursement of latest.values()) {
		const { id, status } = disbursement;
		const known = knownStatus(id);
		if (known !== undefined) {
			if (known !== status && !baseline && fires(status)) events.push(toEvent(disbursement, known));
			record(disbursement);
			continue;
		}
		// Only the scan finds new payouts; a refreshed one we no longer know of is old news.
		const isNew =
			scannedIds.has(id) && !(id in seen) && (floor === undefined || createdMs(disbursement) >= floor);
		if (baseline || isNew) {
			if (!baseline && fires(status)) events.push(toEvent(disbursement, null));
			record(disbursement);
		}
	}
	// The activation's walk: what it finds still moving is watched from now on, as the baseline would have.
	for (const disbursement of observation.backfilled ?? []) {
		if (knownStatus(disbursement.id) !== undefined || latest.has(disbursement.id) || disbursement.id in seen) continue;
		if (isInFlight(disbursement.status) || MAY_CHANGE_AFTER_FINAL.has(disbursement.status)) record(disbursement);
	}
	for (const id of gone) {
		delete tracked[id];
		delete watch[id];
	}
	for (const [id, [, completedAt]] of Object.entries(watch)) {
		if (now - completedAt >= options.watchRefundsMs) delete watch[id];
	}

	// The cursor moves to the newest payout scanned, unless the scan was cut short: then the next poll
	// reads on down from where this one stopped, and the floor holds until it has.
	let cursorMs = previous?.cursor ? Date.parse(previous.cursor) : undefined;
	let cursor = previous?.cursor ?? null;
	const complete = observation.scanComplete || baseline;
	if (complete) {
		const tops = [...observation.scanned.map((disbursement) => disbursement.createdAt), previous?.catchUp?.top ?? null];
		for (const top of tops) {
			const created = top === null ? NaN : Date.parse(top);
			if (!Number.isNaN(created) && (cursorMs === undefined || created > cursorMs)) {
				cursorMs = created;
				cursor = top;
			}
		}
	}
	const catchUp = complete ? undefined : observation.catchUp;
	// Ids seen stay remembered while inside the window under the cursor, whether or not this scan
	// showed them again: a server may leave one out of a page (ties in a shuffled order).
	for (const disbursement of observation.scanned) {
		if (floor === undefined || createdMs(disbursement) >= floor) seen[disbursement.id] = createdMs(disbursement);
	}
	const keepFrom = Math.min(
		cursorMs === undefined ? Infinity : windowFloor(cursorMs, options.windowMs, now),
		catchUp?.floor ?? Infinity,
	);
	for (const [id, created] of Object.entries(seen)) if (created < keepFrom) delete seen[id];

	const dropped = enforceCap(tracked, watch, options.cap);
	const warnings = [...(previous?.warnings ?? [])];
	if (dropped > 0) {
		warnings.push(
			`${new Date(now).toISOString()}: more than ${options.cap} payouts in flight or watched; the ${dropped} oldest (by creation) are no longer watched and their later changes will not fire. Narrow the trigger with a Wallet ID or a shorter watch, or reconcile them with the Wistfare node's List.`,
		);
	}
	events.sort((a, b) => changedMs(a, 0) - changedMs(b, 0) || createdMs(a) - createdMs(b));
	const next: TriggerState = { v: 2, cursor, seen, tracked, watch };
	if (observation.backfill) next.backfill = observation.backfill;
	if (catchUp) next.catchUp = catchUp;
	const delivered = events.length > 0 ? warnings.slice(-MAX_WARNINGS) : [];
	if (events.length === 0 && warnings.length) next.warnings = warnings.slice(-MAX_WARNINGS);
	return { events, next, dropped, warnings: delivered };
}

/** Keeps the state under the cap: the oldest payouts by creation go first, tracked or watched. */
function enforceCap(tracked: Record<string, [string, number]>, watch: Record<string, [number, number]>, cap: number): number {
	const excess = Object.keys(tracked).length + Object.keys(watch).length - cap;
	if (excess <= 0) return 0;
	const byAge: Array<[string, number]> = [
		...Object.entries(tracked).map(([id, [, created]]): [string, number] => [id, created]),
		...Object.entries(watch).map(([id, [created]]): [string, number] => [id, created]),
	].sort((a, b) => a[1] - b[1]);
	for (const [id] of byAge.slice(0, excess)) {
		delete tracked[id];
		delete watch[id];
	}
	return excess;
}
