import type { Disbursement } from '../../../../nodes/Wistfare/payout/types';
import { decide } from '../../../../nodes/Wistfare/trigger/decide';
import { upgradeState, type Observation, type TriggerOptions } from '../../../../nodes/Wistfare/trigger/state';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const WINDOW_MS = 3000;
const options: TriggerOptions = { statuses: [], watchRefundsMs: 0, cap: 5000, windowMs: WINDOW_MS };

function payout(id: string, status: string, createdOffsetS: number, updatedOffsetS = createdOffsetS): Disbursement {
	return {
		id,
		businessId: 'biz_1',
		walletId: 'wal_1',
		amount: '100',
		currency: 'RWF',
		destinationType: 'mobile_money',
		destinationRef: '250788000001',
		referenceId: `ref_${id}`,
		status,
		description: null,
		createdAt: new Date(T0 + createdOffsetS * 1000).toISOString(),
		updatedAt: new Date(T0 + updatedOffsetS * 1000).toISOString(),
	};
}

function observed(scanned: Disbursement[], refreshed: Record<string, Disbursement | null> = {}, nowS = 0): Observation {
	return { now: T0 + nowS * 1000, scanned, scanComplete: true, scanVerified: true, refreshed };
}

const baselineOf = (scanned: Disbursement[], refreshed: Record<string, Disbursement | null> = {}, opts = options) =>
	decide(undefined, observed(scanned, refreshed), opts);

describe('decide', () => {
	test('the baseline fires nothing and tracks what is in flight', () => {
		const { events, next } = baselineOf(
			[payout('c', 'pending', 30), payout('b', 'completed', 20)],
			{ a: payout('a', 'processing', 5) },
		);
		expect(events).toEqual([]);
		expect(next).toEqual({
			v: 2,
			cursor: new Date(T0 + 30_000).toISOString(),
			scannedAt: T0,
			windowMs: WINDOW_MS,
			seen: { c: T0 + 30_000 },
			tracked: { c: ['pending', T0 + 30_000], a: ['processing', T0 + 5000] },
			watch: {},
		});
	});

	test('a baseline of an empty business has no cursor; the first payout later fires', () => {
		const { next } = baselineOf([]);
		expect(next.cursor).toBeNull();
		const { events } = decide(next, observed([payout('a', 'pending', 1)]), options);
		expect(events.map((event) => [event.id, event.previousStatus, event.event])).toEqual([['a', null, 'disbursement.pending']]);
	});

	test('a new payout fires with its status at first sight, then each change once', () => {
		let state = baselineOf([payout('old', 'completed', 0)]).next;
		let result = decide(state, observed([payout('old', 'completed', 0), payout('n', 'pending', 60)]), options);
		expect(result.events.map((event) => [event.id, event.previousStatus, event.status])).toEqual([['n', null, 'pending']]);
		state = result.next;
		result = decide(state, observed([payout('old', 'completed', 0), payout('n', 'processing', 60, 70)]), options);
		expect(result.events.map((event) => [event.previousStatus, event.status, event.event])).toEqual([
			['pending', 'processing', 'disbursement.processing'],
		]);
		state = result.next;
		result = decide(state, observed([payout('old', 'completed', 0), payout('n', 'processing', 60, 70)]), options);
		expect(result.events).toEqual([]);
		expect(result.next).toEqual(state);
	});

	test('pending → completed between two polls fires once, as completed, and is no longer tracked', () => {
		const state = baselineOf([], { a: payout('a', 'pending', 0) }).next;
		const result = decide(state, observed([], { a: payout('a', 'completed', 0, 50) }), options);
		expect(result.events.map((event) => [event.previousStatus, event.status])).toEqual([['pending', 'completed']]);
		expect(result.next.tracked).toEqual({});
	});

	test('statuses filter: only chosen statuses fire, but every change is tracked', () => {
		const only = { ...options, statuses: ['completed', 'failed'] };
		let state = baselineOf([]).next;
		let result = decide(state, observed([payout('a', 'pending', 1)]), only);
		expect(result.events).toEqual([]);
		expect(result.next.tracked).toEqual({ a: ['pending', T0 + 1000] });
		state = result.next;
		result = decide(state, observed([], { a: payout('a', 'processing', 1, 2) }), only);
		expect(result.events).toEqual([]);
		state = result.next;
		result = decide(state, observed([], { a: payout('a', 'failed', 1, 3) }), only);
		expect(result.events.map((event) => [event.previousStatus, event.status])).toEqual([['processing', 'failed']]);
	});

	test('unknown statuses pass through as they come and stay tracked', () => {
		const state = baselineOf([], { a: payout('a', 'pending', 0) }).next;
		const result = decide(state, observed([], { a: payout('a', 'on_hold', 0, 9) }), options);
		expect(result.events.map((event) => [event.status, event.event])).toEqual([['on_hold', 'disbursement.on_hold']]);
		expect(result.next.tracked).toEqual({ a: ['on_hold', T0] });
	});

	test('many payouts sharing one createdAt: each fires once, across polls', () => {
		const base = baselineOf([payout('x1', 'completed', 100), payout('x2', 'completed', 100)]).next;
		expect(Object.keys(base.seen).sort()).toEqual(['x1', 'x2']);
		const first = decide(base, observed([payout('x1', 'completed', 100), payout('x2', 'completed', 100), payout('x3', 'pending', 100)]), options);
		expect(first.events.map((event) => event.id)).toEqual(['x3']);
		const second = decide(
			first.next,
			observed([payout('x1', 'completed', 100), payout('x2', 'completed', 100), payout('x3', 'pending', 100), payout('x4', 'pending', 100)]),
			options,
		);
		expect(second.events.map((event) => event.id)).toEqual(['x4']);
	});

	test('a payout that becomes visible late, just under the cursor, still fires', () => {
		const state = baselineOf([payout('b', 'pending', 100)]).next;
		const late = payout('a', 'pending', 100 - WINDOW_MS / 1000 + 1);
		const result = decide(state, observed([payout('b', 'pending', 100), late]), options);
		expect(result.events.map((event) => event.id)).toEqual(['a']);
	});

	test('state is O(in flight): final payouts far under the cursor are forgotten', () => {
		let state = baselineOf([]).next;
		const many = Array.from({ length: 50 }, (_, i) => payout(`p${i}`, 'completed', i * 10));
		state = decide(state, observed(many), options).next;
		expect(state.tracked).toEqual({});
		expect(state.seen).toEqual({ p49: T0 + 490_000 });
	});

	test('refund window: a completed payout is watched, its refund fires, then it expires', () => {
		const watching = { ...options, watchRefundsMs: 3600_000 };
		let state = baselineOf([], { a: payout('a', 'pending', 0) }, watching).next;
		let result = decide(state, observed([], { a: payout('a', 'completed', 0, 100) }, 200), watching);
		expect(result.next.watch).toEqual({ a: [T0, T0 + 100_000] });
		state = result.next;
		result = decide(state, observed([], { a: payout('a', 'refunded', 0, 300) }, 400), watching);
		expect(result.events.map((event) => [event.previousStatus, event.status])).toEqual([['completed', 'refunded']]);
		expect(result.next.watch).toEqual({});
		const expired = decide(state, observed([], {}, 100 + 3600), watching);
		expect(expired.next.watch).toEqual({});
	});

	test('without a refund window a completed payout is not watched', () => {
		const state = baselineOf([], { a: payout('a', 'pending', 0) }).next;
		expect(decide(state, observed([], { a: payout('a', 'completed', 0, 5) }), options).next.watch).toEqual({});
	});

	test('a payout that disappeared (404) is dropped without an event', () => {
		const state = baselineOf([], { a: payout('a', 'pending', 0) }).next;
		const result = decide(state, observed([], { a: null }), options);
		expect(result.events).toEqual([]);
		expect(result.next.tracked).toEqual({});
	});

	test('the cap drops the oldest by creation, tracked or watched, never the newest; the user is told with the next events', () => {
		const capped = { ...options, cap: 3, watchRefundsMs: 3600_000 };
		const refreshed = Object.fromEntries(
			[payout('w', 'completed', 0, 900), payout('a', 'pending', 1), payout('b', 'pending', 2), payout('c', 'pending', 3)].map((p) => [p.id, p]),
		);
		const { next, dropped, warnings } = baselineOf([], refreshed, capped);
		expect(dropped).toBe(1);
		expect(next.watch).toEqual({});
		expect(Object.keys(next.tracked).sort()).toEqual(['a', 'b', 'c']);
		expect(warnings).toEqual([]);
		expect(next.warnings).toEqual([expect.stringContaining('the 1 oldest (by creation) are no longer watched')]);
		// A new payout arrives: the oldest (a) goes, the new one stays and fires with the warnings.
		const later = decide(next, observed([payout('d', 'pending', 500)]), capped);
		expect(later.events.map((event) => event.id)).toEqual(['d']);
		expect(Object.keys(later.next.tracked).sort()).toEqual(['b', 'c', 'd']);
		expect(later.warnings).toHaveLength(2);
		expect(later.next.warnings).toBeUndefined();
	});

	test('a payout first listed minutes after its createdAt, within the window, fires; beyond it, it cannot', () => {
		const tenMinutes = { ...options, windowMs: 600_000 };
		let state = decide(undefined, observed([payout('b', 'pending', 1000)]), tenMinutes).next;
		state = decide(state, observed([payout('b', 'pending', 1000), payout('c', 'pending', 1200)]), tenMinutes).next;
		const late = decide(state, observed([payout('c', 'pending', 1200), payout('late', 'pending', 1200 - 590)]), tenMinutes);
		expect(late.events.map((event) => event.id)).toEqual(['late']);
		const tooLate = decide(state, observed([payout('c', 'pending', 1200), payout('old', 'pending', 1200 - 610)]), tenMinutes);
		expect(tooLate.events).toEqual([]);
	});

	test('an id the scan left out this time (ties shuffled) is still remembered: no second event when it comes back', () => {
		let state = baselineOf([payout('x1', 'completed', 100)]).next;
		const first = decide(state, observed([payout('x1', 'completed', 100), payout('x2', 'completed', 100)]), options);
		expect(first.events.map((event) => event.id)).toEqual(['x2']);
		state = first.next;
		state = decide(state, observed([payout('x1', 'completed', 100)]), options).next;
		expect(decide(state, observed([payout('x1', 'completed', 100), payout('x2', 'completed', 100)]), options).events).toEqual([]);
	});

	test('a scan cut short (poll budget) leaves the cursor where it was, so the next poll reads the rest', () => {
		const state = baselineOf([payout('a', 'completed', 100)]).next;
		const cut = decide(state, { ...observed([payout('n', 'pending', 500)]), scanComplete: false, catchUp: { page: 4, top: payout('n', 'pending', 500).createdAt } }, options);
		expect(cut.events.map((event) => event.id)).toEqual(['n']);
		expect(cut.next.cursor).toBe(state.cursor);
		expect(cut.next.catchUp).toMatchObject({ page: 4, startedAt: T0 });
		const after = decide(cut.next, observed([payout('n', 'pending', 500), payout('m', 'pending', 300), payout('a', 'completed', 100)]), options);
		expect(after.events.map((event) => event.id)).toEqual(['m']);
	});

	test('a poll a day after the last scan: every payout created meanwhile is new; the next floor is under this scan', () => {
		const day = 86_400;
		const state = baselineOf([payout('old', 'completed', 0)]).next;
		const during = [payout('morning', 'pending', 3600), payout('noon', 'completed', day / 2), payout('night', 'pending', day - 60)];
		const result = decide(state, observed([...during], {}, day), options);
		expect(result.events.map((event) => event.id)).toEqual(['morning', 'noon', 'night']);
		expect(result.next).toMatchObject({ cursor: payout('night', 'pending', day - 60).createdAt, scannedAt: T0 + day * 1000 });
		expect(result.next.recheckFrom).toBeUndefined();
		// Unverified (no count, or a payout came twice): what this scan read first is read once more.
		const unverified = decide(state, { ...observed([...during], {}, day), scanVerified: false }, options);
		expect(unverified.next.recheckFrom).toBe(T0 - WINDOW_MS);
		expect(Object.keys(unverified.next.seen).sort()).toEqual(['morning', 'night', 'noon', 'old']);
	});

	test('a scan cut short goes on through the listing it read: with a widened window, down to the wider floor', () => {
		const state = baselineOf([payout('a', 'completed', 100)]).next;
		const wider = { ...options, windowMs: 10 * WINDOW_MS };
		const cut = decide(state, { ...observed([payout('n', 'pending', 500)]), scanComplete: false, catchUp: { page: 2, top: null } }, wider);
		expect(cut.next.catchUp?.floor).toBe(T0 + 100_000 - 10 * WINDOW_MS);
	});

	test('the activation\'s walk: undocumented and watched statuses are tracked, nothing fires, known ones are left alone', () => {
		const watching = { ...options, watchRefundsMs: 3600_000 };
		const state = baselineOf([payout('new', 'pending', 900)], {}, watching).next;
		const walked = decide(
			state,
			{
				...observed([payout('new', 'pending', 900)], {}, 1000),
				backfilled: [payout('held', 'on_hold', 10), payout('done', 'completed', 20, 950), payout('new', 'completed', 900)],
				backfill: { to: 'x', from: 0, page: 4 },
			},
			watching,
		);
		expect(walked.events).toEqual([]);
		expect(walked.next.tracked).toEqual({ new: ['pending', T0 + 900_000], held: ['on_hold', T0 + 10_000] });
		expect(walked.next.watch).toEqual({ done: [T0 + 20_000, T0 + 950_000] });
		expect(walked.next.backfill).toEqual({ to: 'x', from: 0, page: 4 });
		const moved = decide(walked.next, observed([payout('new', 'pending', 900)], { held: payout('held', 'failed', 10, 990) }, 1000), watching);
		expect(moved.events.map((event) => [event.id, event.previousStatus, event.status])).toEqual([['held', 'on_hold', 'failed']]);
		expect(moved.next.backfill).toBeUndefined();
	});

	test('after completing, any change of a watched payout fires: failed, or a status we do not know', () => {
		const watching = { ...options, watchRefundsMs: 3600_000 };
		const state = baselineOf([], { a: payout('a', 'completed', 0, 100), b: payout('b', 'completed', 0, 100) }, watching).next;
		const result = decide(state, observed([], { a: payout('a', 'failed', 0, 300), b: payout('b', 'reversed', 0, 300) }, 400), watching);
		expect(result.events.map((event) => [event.id, event.previousStatus, event.status])).toEqual([
			['a', 'completed', 'failed'],
			['b', 'completed', 'reversed'],
		]);
	});

	test('a state saved by version 1 is read, not thrown away', () => {
		const upgraded = upgradeState({ v: 1, scope: 'biz', cursor: new Date(T0).toISOString(), seen: ['a'], tracked: { b: 'pending' }, watch: { c: [1, 2] } });
		expect(upgraded).toEqual({ v: 2, scope: 'biz', cursor: new Date(T0).toISOString(), seen: { a: T0 }, tracked: { b: ['pending', 0] }, watch: { c: [1, 2] } });
		expect(upgradeState({ v: 9 })).toBeUndefined();
	});

	test('a lost save is harmless: deciding again from the older state gives no duplicate and no miss', () => {
		const only = { ...options, statuses: ['completed'] };
		const saved = baselineOf([], { a: payout('a', 'pending', 0) }, only).next;
		// This poll returned null (nothing fires for processing), so n8n did not save its state.
		const lost = decide(saved, observed([], { a: payout('a', 'processing', 0, 5) }), only);
		expect(lost.events).toEqual([]);
		const again = decide(saved, observed([], { a: payout('a', 'completed', 0, 9) }), only);
		expect(again.events.map((event) => [event.previousStatus, event.status])).toEqual([['pending', 'completed']]);
		// And from the state that was saved with that event, nothing fires twice.
		expect(decide(again.next, observed([], { a: payout('a', 'completed', 0, 9) }), only).events).toEqual([]);
	});

	test('events come oldest change first', () => {
		const state = baselineOf([], { a: payout('a', 'pending', 0), b: payout('b', 'pending', 1) }).next;
		const result = decide(state, observed([], { a: payout('a', 'failed', 0, 90), b: payout('b', 'completed', 1, 50) }), options);
		expect(result.events.map((event) => event.id)).toEqual(['b', 'a']);
	});
});
