import { MAY_CHANGE_AFTER_FINAL } from '../payout/status';
import type { Disbursement } from '../payout/types';
import {
	createdMs,
	isInFlight,
	readFloor,
	scanFloor,
	toEvent,
	unlistedFloor,
	type Observation,
	type TriggerEvent,
	type TriggerOptions,
	type TriggerState,
} from './state';

export interface Decision {
	events: TriggerEvent[];
	next: TriggerState;
	/** Payouts dropped from the state because the cap was reached (they will not fire again). */
	dropped: number;
	/** To go out with these events (empty when there are none: then they wait in the state). */
	warnings: string[];
}

const MAX_WARNINGS = 5;

function changedMs(disbursement: Disbursement, fallback: number): number {
	const value = Date.parse(disbursement.updatedAt);
	return Number.isNaN(value) ? fallback : value;
}

/** The payouts in flight and watched, as the decision updates them. */
class Ledger {
	readonly tracked: Record<string, [string, number]>;
	readonly watch: Record<string, [number, number]>;

	constructor(previous: TriggerState | undefined, private readonly options: TriggerOptions, private readonly now: number) {
		this.tracked = { ...(previous?.tracked ?? {}) };
		this.watch = { ...(previous?.watch ?? {}) };
	}

	/** The status last recorded for a payout still followed; undefined: not followed. */
	known(id: string): string | undefined {
		return this.tracked[id]?.[0] ?? (this.watch[id] ? 'completed' : undefined);
	}

	/** Follows a payout in its current status: tracked while in flight, watched for a while once completed. */
	record(disbursement: Disbursement): void {
		const { id, status } = disbursement;
		this.forget(id);
		if (isInFlight(status)) this.tracked[id] = [status, createdMs(disbursement)];
		else if (MAY_CHANGE_AFTER_FINAL.has(status) && this.options.watchRefundsMs > 0) {
			const completedAt = changedMs(disbursement, this.now);
			if (this.now - completedAt < this.options.watchRefundsMs) this.watch[id] = [createdMs(disbursement), completedAt];
		}
	}

	forget(id: string): void {
		delete this.tracked[id];
		delete this.watch[id];
	}

	/** Completed payouts past the watch window are no longer watched. */
	expire(): void {
		for (const [id, [, completedAt]] of Object.entries(this.watch)) {
			if (this.now - completedAt >= this.options.watchRefundsMs) delete this.watch[id];
		}
	}
}

/** The latest of each payout the poll saw, and the ones a look-up found gone (404). */
function latestOf(observation: Observation) {
	const latest = new Map<string, Disbursement>();
	for (const disbursement of observation.scanned) latest.set(disbursement.id, disbursement);
	const gone = new Set<string>();
	for (const [id, disbursement] of Object.entries(observation.refreshed)) {
		if (disbursement) latest.set(id, disbursement);
		else if (!latest.has(id)) gone.add(id);
	}
	return { latest, gone };
}

/**
 * The trigger's whole decision, pure: from the state before the poll and what the poll saw, the
 * events to emit and the state after. Without a previous state it takes the baseline: no events.
 *
 * Safe to run again from an older state (a save that was lost, a poll run twice): an event fires
 * only for a status the given state has not recorded, and the state an emitting poll returns is
 * the one n8n saves with the execution.
 */
export function decide(previous: TriggerState | undefined, observation: Observation, options: TriggerOptions): Decision {
	const baseline = previous === undefined;
	const { now } = observation;
	const floor = scanFloor(previous, options.windowMs);
	const seen: Record<string, number> = { ...(previous?.seen ?? {}) };
	const ledger = new Ledger(previous, options, now);
	const fires = (status: string) => options.statuses.length === 0 || options.statuses.includes(status);
	const events: TriggerEvent[] = [];

	// Step 1: a change of a payout we follow fires; a payout above the floor not seen before is new.
	const scannedIds = new Set(observation.scanned.map((disbursement) => disbursement.id));
	const { latest, gone } = latestOf(observation);
	for (const disbursement of latest.values()) {
		const { id, status } = disbursement;
		const known = ledger.known(id);
		// Only the scan finds new payouts; a refreshed one we no longer follow is old news.
		const isNew = known === undefined && scannedIds.has(id) && !(id in seen) && (floor === undefined || createdMs(disbursement) >= floor);
		if (known !== undefined && known !== status && !baseline && fires(status)) events.push(toEvent(disbursement, known));
		if (isNew && !baseline && fires(status)) events.push(toEvent(disbursement, null));
		if (known !== undefined || isNew || baseline) ledger.record(disbursement);
	}
	// Step 2: the activation's walk: what it finds still moving is followed from now on, as the baseline would have.
	for (const disbursement of observation.backfilled ?? []) {
		if (ledger.known(disbursement.id) !== undefined || latest.has(disbursement.id) || disbursement.id in seen) continue;
		if (isInFlight(disbursement.status) || MAY_CHANGE_AFTER_FINAL.has(disbursement.status)) ledger.record(disbursement);
	}
	for (const id of gone) ledger.forget(id);
	ledger.expire();

	// Step 3: where the next scan starts and reads down to. Ids stay remembered while at or above
	// its floor, whether or not this scan showed them again: a server may leave one out of a page.
	const { tracked, watch } = ledger;
	const next: TriggerState = { v: 2, ...nextScan(previous, observation, options.windowMs), seen, tracked, watch };
	for (const disbursement of observation.scanned) seen[disbursement.id] = createdMs(disbursement);
	const keepFrom = scanFloor(next, options.windowMs) ?? -Infinity;
	for (const [id, created] of Object.entries(seen)) if (created < keepFrom) delete seen[id];
	if (observation.backfill) next.backfill = observation.backfill;

	// Step 4: the cap, and what the user is told.
	const dropped = enforceCap(tracked, watch, options.cap);
	const warnings = [...(previous?.warnings ?? [])];
	if (dropped > 0) warnings.push(capWarning(now, options.cap, dropped));
	events.sort((a, b) => changedMs(a, 0) - changedMs(b, 0) || createdMs(a) - createdMs(b));
	if (events.length === 0 && warnings.length) next.warnings = warnings.slice(-MAX_WARNINGS);
	return { events, next, dropped, warnings: events.length > 0 ? warnings.slice(-MAX_WARNINGS) : [] };
}

function capWarning(now: number, cap: number, dropped: number): string {
	return `${new Date(now).toISOString()}: more than ${cap} payouts in flight or watched; the ${dropped} oldest (by creation) are no longer watched and their later changes will not fire. Narrow the trigger with a Wallet ID or a shorter watch, or reconcile them with the Wistfare node's List.`;
}

type ScanState = Pick<TriggerState, 'cursor' | 'scannedAt' | 'windowMs' | 'recheckFrom' | 'catchUp'>;

/** The newest of ISO `createdAt`s (null: none). */
function newest(values: Array<string | null | undefined>): string | null {
	let top: string | null = null;
	for (const value of values) {
		if (!value || Number.isNaN(Date.parse(value))) continue;
		if (top === null || Date.parse(value) > Date.parse(top)) top = value;
	}
	return top;
}

/**
 * The scan's part of the next state. A complete scan moves the cursor to the newest payout read and
 * is timed from when it started (for a caught-up one, the poll that began it); one that could not
 * verify it read everything has what it read first read once more. A scan cut short holds the
 * cursor and goes on from the next page.
 */
function nextScan(previous: TriggerState | undefined, observation: Observation, windowMs: number): ScanState {
	const tops = observation.scanned.map((disbursement) => disbursement.createdAt);
	if (previous === undefined) return { cursor: newest(tops), scannedAt: observation.now, windowMs };
	const going = previous.catchUp;
	const firstRead = going?.firstRead ?? unlistedFloor(previous, windowMs);
	if (!observation.scanComplete) {
		const { cursor, scannedAt, recheckFrom } = previous;
		const top = newest([going?.top, observation.catchUp?.top, ...tops]);
		// The floor the reading used: the next poll goes on through the same listing, page by page.
		const floor = readFloor(previous, windowMs) ?? 0;
		const page = observation.catchUp?.page ?? 1;
		const catchUp = { floor, page, top, startedAt: going?.startedAt ?? observation.now, firstRead };
		return { cursor, scannedAt, windowMs: previous.windowMs, recheckFrom, catchUp };
	}
	const verified = observation.scanVerified && !going;
	return {
		cursor: newest([previous.cursor, going?.top, ...tops]),
		scannedAt: going?.startedAt ?? observation.now,
		windowMs,
		...(verified ? {} : { recheckFrom: firstRead }),
	};
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
