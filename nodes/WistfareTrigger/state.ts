import { isInFlight, MAY_CHANGE_AFTER_FINAL } from '../Wistfare/transport/status';
import type { Disbursement } from '../Wistfare/transport/types';

export { isInFlight };

/**
 * What the trigger keeps in n8n's static data between polls. It grows with the payouts in flight,
 * never with the history: a cursor (the newest `createdAt` seen), the ids seen near the cursor,
 * the last status of each payout in flight, and the completed payouts still watched for a refund.
 */
export interface TriggerState {
	v: 1;
	/** The business (and wallet) the state is about: another scope starts from a new baseline. */
	scope?: string;
	/** ISO `createdAt` of the newest payout seen; null when the business had none. */
	cursor: string | null;
	/** Ids of payouts created at or after `cursor - LOOKBACK_MS`: these are not new when seen again. */
	seen: string[];
	/** id → last status, for payouts not final yet (pending, processing, or a status we do not know). */
	tracked: Record<string, string>;
	/** id → [createdAt ms, completed-at ms], for completed payouts watched for a later refund. */
	watch: Record<string, [number, number]>;
}

/** What one poll saw of the API. Built by the poll's I/O, read by `decide`. */
export interface Observation {
	now: number;
	/** Every payout created at or after `cursor - LOOKBACK_MS` (all of them on the first poll's page). */
	scanned: Disbursement[];
	/** Current state of tracked and watched payouts that the scan did not cover; null when gone (404). */
	refreshed: Record<string, Disbursement | null>;
}

export interface TriggerOptions {
	/** Statuses that fire; empty: every status. */
	statuses: string[];
	/** How long after completing a payout is watched for `refunded`; 0: not at all. */
	watchRefundsMs: number;
	/** Most payouts the state may hold (tracked + watched). */
	cap: number;
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
}

/**
 * Payouts whose `createdAt` is this close under the cursor are checked again each poll, so one that
 * becomes visible a little after a newer one (the server's commit order) is still seen as new.
 */
export const LOOKBACK_MS = 3000;
export const DEFAULT_CAP = 5000;

export function isTriggerState(value: unknown): value is TriggerState {
	const state = value as TriggerState;
	return (
		!!state &&
		state.v === 1 &&
		Array.isArray(state.seen) &&
		typeof state.tracked === 'object' &&
		state.tracked !== null &&
		typeof state.watch === 'object' &&
		state.watch !== null
	);
}

function createdMs(disbursement: Disbursement): number {
	const value = Date.parse(disbursement.createdAt);
	return Number.isNaN(value) ? 0 : value;
}

function changedMs(disbursement: Disbursement, fallback: number): number {
	const value = Date.parse(disbursement.updatedAt);
	return Number.isNaN(value) ? fallback : value;
}

function toEvent(disbursement: Disbursement, previousStatus: string | null): TriggerEvent {
	return { ...disbursement, previousStatus, event: `disbursement.${disbursement.status}` };
}

/** The earliest `createdAt` (ms) a poll must scan back to; undefined: scan everything. */
export function scanFloor(state: TriggerState | undefined): number | undefined {
	if (!state?.cursor) return undefined;
	return Date.parse(state.cursor) - LOOKBACK_MS;
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
	const floor = scanFloor(previous);
	const seen = new Set(previous?.seen ?? []);
	const tracked: Record<string, string> = { ...(previous?.tracked ?? {}) };
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
		if (isInFlight(status)) tracked[id] = status;
		else if (MAY_CHANGE_AFTER_FINAL.has(status) && options.watchRefundsMs > 0) {
			const completedAt = changedMs(disbursement, now);
			if (now - completedAt < options.watchRefundsMs) watch[id] = [createdMs(disbursement), completedAt];
		}
	};

	for (const disbursement of latest.values()) {
		const { id, status } = disbursement;
		const known = tracked[id] ?? (watch[id] ? 'completed' : undefined);
		if (known !== undefined) {
			if (known !== status && !baseline && fires(status)) events.push(toEvent(disbursement, known));
			record(disbursement);
			continue;
		}
		// Only the scan finds new payouts; a refreshed one we no longer know of is old news.
		const isNew =
			scannedIds.has(id) && !seen.has(id) && (floor === undefined || createdMs(disbursement) >= floor);
		if (baseline || isNew) {
			if (!baseline && fires(status)) events.push(toEvent(disbursement, null));
			record(disbursement);
		}
	}
	for (const id of gone) {
		delete tracked[id];
		delete watch[id];
	}
	for (const [id, [, completedAt]] of Object.entries(watch)) {
		if (now - completedAt >= options.watchRefundsMs) delete watch[id];
	}

	// The cursor moves to the newest payout scanned; the ids close under it are remembered.
	let cursorMs = previous?.cursor ? Date.parse(previous.cursor) : undefined;
	let cursor = previous?.cursor ?? null;
	for (const disbursement of observation.scanned) {
		const created = createdMs(disbursement);
		if (cursorMs === undefined || created > cursorMs) {
			cursorMs = created;
			cursor = disbursement.createdAt;
		}
	}
	// Every payout at or above the previous floor is scanned again, so the scan alone says which ids
	// are near the new cursor.
	const keepFrom = cursorMs === undefined ? Infinity : cursorMs - LOOKBACK_MS;
	const nextSeen = new Set<string>();
	for (const disbursement of observation.scanned) {
		if (createdMs(disbursement) >= keepFrom) nextSeen.add(disbursement.id);
	}

	const dropped = enforceCap(tracked, watch, options.cap);
	events.sort((a, b) => changedMs(a, 0) - changedMs(b, 0) || createdMs(a) - createdMs(b));
	return { events, next: { v: 1, cursor, seen: [...nextSeen], tracked, watch }, dropped };
}

/** Keeps the state under the cap: watched refunds go first (oldest first), then the oldest tracked. */
function enforceCap(tracked: Record<string, string>, watch: Record<string, [number, number]>, cap: number): number {
	let excess = Object.keys(tracked).length + Object.keys(watch).length - cap;
	if (excess <= 0) return 0;
	const dropped = excess;
	const watched = Object.entries(watch).sort((a, b) => a[1][1] - b[1][1]);
	for (const [id] of watched) {
		if (excess <= 0) break;
		delete watch[id];
		excess--;
	}
	// Tracked ids carry no date; insertion order is roughly oldest first.
	for (const id of Object.keys(tracked)) {
		if (excess <= 0) break;
		delete tracked[id];
		excess--;
	}
	return dropped;
}
