import fc from 'fast-check';

import type { Disbursement } from '../../../../nodes/Wistfare/payout/types';
import { decide } from '../../../../nodes/Wistfare/trigger/decide';
import {
	isInFlight,
	readFloor,
	unlistedFloor,
	type Observation,
	type TriggerEvent,
	type TriggerOptions,
	type TriggerState,
} from '../../../../nodes/Wistfare/trigger/state';

/**
 * The trigger's decision against a simple model of the world, over random sequences of creations
 * (often many at one createdAt, some listed only a while after it), status changes (also in the
 * middle of a poll), failed polls, polls cut short by their budget and caught up over the next ones,
 * scans that leave a tie out (the next reading of it shows it) or cannot verify their count, saves
 * lost on restart and repeated polls, with time passing between polls from a millisecond to a week
 * (n8n's Poll Times, or n8n down for days). After the last clean poll: every change fired exactly once.
 */


const WINDOW_MS = 30_000;

interface Payout {
	id: string;
	status: string;
	createdAt: number;
	/** First listed then: up to the window after createdAt. */
	visibleAt: number;
	updatedAt: number;
	history: string[];
}

const NEXT: Record<string, string[]> = {
	pending: ['processing', 'completed', 'failed', 'on_hold'],
	processing: ['completed', 'failed'],
	on_hold: ['processing', 'failed'],
	completed: ['refunded'],
};

type Op =
	| { kind: 'create'; count: number; sameTime: boolean; lag: number }
	| { kind: 'change'; pick: number; choice: number }
	| { kind: 'poll'; midPollChanges: Array<{ pick: number; choice: number }>; duplicate: boolean; cut: number; omit: boolean; verified: boolean }
	| { kind: 'failedPoll' }
	| { kind: 'repeatPoll' }
	| { kind: 'restart' }
	| { kind: 'tick'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('create' as const),
			count: fc.integer({ min: 1, max: 5 }),
			sameTime: fc.boolean(),
			lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: WINDOW_MS - 1 })),
		}),
	},
	{ weight: 6, arbitrary: fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), choice: fc.nat() }) },
	{
		weight: 5,
		arbitrary: fc.record({
			kind: fc.constant('poll' as const),
			midPollChanges: fc.array(fc.record({ pick: fc.nat(), choice: fc.nat() }), { maxLength: 3 }),
			duplicate: fc.boolean(),
			// 0: the poll reads everything; otherwise its budget lets it read only that many payouts.
			cut: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
			omit: fc.boolean(),
			verified: fc.boolean(),
		}),
	},
	{ weight: 1, arbitrary: fc.constant({ kind: 'failedPoll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'repeatPoll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 2 * WINDOW_MS }) }) },
	// Polls an hour, a day or a week apart, or n8n down that long.
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 60 * 60_000, max: 7 * 86_400_000 }) }) },
);

class World {
	payouts: Payout[] = [];
	now = Date.parse('2026-06-01T00:00:00Z');
	private seq = 0;

	/** Left out of a reading: the next reading that covers them shows them (a shuffled tie is not left out every time). */
	owed = new Set<string>();

	create(count: number, sameTime: boolean, lag = 0) {
		// A tie with the newest payout, while that one is recent enough to be listed within the window.
		const newest = this.payouts.length ? Math.max(...this.payouts.map((p) => p.createdAt)) : -Infinity;
		const at = sameTime && this.now - newest < WINDOW_MS / 2 ? newest : ++this.now;
		for (let i = 0; i < count; i++) {
			// Listed only `lag` after creation, and never before now (it cannot be listed in the past).
			const visibleAt = Math.max(this.now, at + lag);
			this.payouts.push({ id: `d${++this.seq}`, status: 'pending', createdAt: at, visibleAt, updatedAt: at, history: ['pending'] });
		}
	}

	change(pick: number, choice: number) {
		const movable = this.payouts.filter((p) => NEXT[p.status]);
		if (!movable.length) return;
		const payout = movable[pick % movable.length];
		const options = NEXT[payout.status];
		payout.status = options[choice % options.length];
		payout.updatedAt = ++this.now;
		payout.history.push(payout.status);
	}

	view(payout: Payout): Disbursement {
		return {
			id: payout.id,
			businessId: 'b',
			walletId: 'w',
			amount: '1',
			currency: 'RWF',
			destinationType: 'mobile_money',
			destinationRef: '250788000001',
			referenceId: payout.id,
			status: payout.status,
			description: null,
			createdAt: new Date(payout.createdAt).toISOString(),
			updatedAt: new Date(payout.updatedAt).toISOString(),
		};
	}

	/**
	 * What the poll I/O returns: the scan first, then (after changes in between) the refresh. The scan
	 * reads the listing (payouts created from the floor up, newest first) from the top, or on from the
	 * position a scan cut short reached; one page here is one payout.
	 */
	observe(previous: TriggerState | undefined, between: () => void, duplicate: boolean, cut = 0, omit = false, verified = true): Observation {
		const listed = this.payouts.filter((p) => p.visibleAt <= this.now);
		const newestFirst = [...listed].sort((a, b) => b.createdAt - a.createdAt);
		let floor = readFloor(previous, WINDOW_MS);
		if (previous === undefined && newestFirst.length) {
			floor = unlistedFloor({ cursor: new Date(newestFirst[0].createdAt).toISOString(), scannedAt: this.now, windowMs: WINDOW_MS, seen: {} }, WINDOW_MS);
		}
		const listing = newestFirst.filter((p) => floor === undefined || p.createdAt >= floor);
		const start = (previous?.catchUp?.page ?? 1) - 1;
		let read = listing.slice(start);
		// A scan cut short by the poll budget read only the next part; the next poll goes on from there.
		const scanComplete = cut === 0 || previous === undefined || cut >= read.length;
		if (!scanComplete) read = read.slice(0, cut);
		const catchUp = scanComplete ? undefined : { page: start + read.length + 1, top: read.length ? new Date(read[0].createdAt).toISOString() : null };
		// A tie left out of this reading is owed: the next reading that covers it shows it.
		const owed = this.owed;
		let omitted = false;
		if (omit && read.length > 1) {
			const left = read.find((p) => !owed.has(p.id) && p.createdAt === read[0].createdAt && p !== read[0]);
			if (left) {
				owed.add(left.id);
				read = read.filter((p) => p !== left);
				omitted = true;
			}
		}
		for (const p of read) owed.delete(p.id);
		const scanned = read.map((p) => this.view(p));
		// A page shift shows an item twice.
		if (duplicate && scanned.length) scanned.push({ ...scanned[0] });
		between();
		const covered = new Set(scanned.map((d) => d.id));
		const refreshed: Record<string, Disbursement | null> = {};
		for (const payout of this.payouts) {
			const wanted = previous
				? payout.id in previous.tracked || payout.id in previous.watch
				: payout.visibleAt <= this.now && (isInFlight(payout.status) || payout.status === 'completed');
			// A poll cut short refreshes only some of what it tracks.
			if (wanted && !covered.has(payout.id) && (scanComplete || Number(payout.id.slice(1)) % 2 === 0)) refreshed[payout.id] = this.view(payout);
		}
		return { now: this.now, scanned, scanComplete, scanVerified: verified && !omitted, catchUp, refreshed };
	}
}

function run(ops: Op[], statuses: string[]) {
	const options: TriggerOptions = { statuses, watchRefundsMs: 10 * 365 * 86_400_000, cap: 100_000, windowMs: WINDOW_MS };
	const world = new World();
	world.create(3, false);
	world.change(0, 0);
	const atBaseline = new Map<string, string>();
	const events: TriggerEvent[] = [];

	const first = decide(undefined, world.observe(undefined, () => {}, false), options);
	for (const payout of world.payouts) atBaseline.set(payout.id, payout.status);
	let live: TriggerState = first.next;
	let saved: TriggerState = first.next; // saved after activation
	expect(first.events).toEqual([]);

	const poll = (between: () => void = () => {}, duplicate = false, cut = 0, omit = false, verified = true) => {
		const { events: fired, next } = decide(live, world.observe(live, between, duplicate, cut, omit, verified), options);
		live = next;
		if (fired.length) {
			events.push(...fired);
			saved = next; // n8n saves static data with every poll that returns items
		}
	};

	for (const op of ops) {
		if (op.kind === 'create') world.create(op.count, op.sameTime, op.lag);
		else if (op.kind === 'change') world.change(op.pick, op.choice);
		else if (op.kind === 'tick') world.now += op.ms;
		else if (op.kind === 'restart') live = saved;
		else if (op.kind === 'failedPoll') {
			// Thrown away: nothing applied, and nothing it showed counts as shown.
			const owed = new Set(world.owed);
			world.observe(live, () => {}, false);
			world.owed = owed;
		}
		else if (op.kind === 'repeatPoll') {
			poll();
			poll();
		} else poll(() => op.midPollChanges.forEach((c) => world.change(c.pick, c.choice)), op.duplicate, op.cut, op.omit, op.verified);
	}
	// Time enough for every payout to be listed, then clean polls: one to end a catch-up, one to read
	// again what it could not verify, one to find nothing left.
	world.now += WINDOW_MS;
	poll();
	poll();
	poll();

	const fires = (status: string) => statuses.length === 0 || statuses.includes(status);
	const pairs = events.map((event) => `${event.id}:${event.status}`);
	expect(new Set(pairs).size).toBe(pairs.length);
	for (const payout of world.payouts) {
		const mine = events.filter((event) => event.id === payout.id);
		const baselineStatus = atBaseline.get(payout.id);
		const changed = baselineStatus === undefined || baselineStatus !== payout.status;
		for (const event of mine) expect(payout.history).toContain(event.status);
		if (changed && fires(payout.status)) expect(mine.map((event) => event.status)).toContain(payout.status);
		if (!changed) expect(mine).toEqual([]);
	}
	return events.length;
}

describe('decide, property: 0 missed, 0 duplicate', () => {
	test('random histories, every status firing', () => {
		fc.assert(fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => void run(ops, [])), { numRuns: 400 });
	});

	test('random histories, a random set of statuses firing', () => {
		fc.assert(
			fc.property(
				fc.array(opArb, { maxLength: 60 }),
				fc.subarray(['pending', 'processing', 'completed', 'failed', 'refunded', 'on_hold']),
				(ops, statuses) => void run(ops, statuses),
			),
			{ numRuns: 400 },
		);
	});
});
