import type { IPollFunctions } from 'n8n-workflow';

import { Budget, type Scope } from '../../../../nodes/Wistfare/trigger/reading';
import { readBaseline, readDown } from '../../../../nodes/Wistfare/trigger/scan';
import { restartSandbox, seed, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

/** The scan's I/O, called directly under n8n-core's PollContext against the sandbox. */
const handle = useSandbox();
const scope = (): Scope => ({ businessId: 'biz_123', session: {} });
const context = () => triggerPoller(handle, { businessId: 'biz_123' }).context() as unknown as IPollFunctions;
const noLimit = () => new Budget(Infinity);
const pages = () => handle.sandbox.requestsFor('list').map((request) => Number(request.understood.page ?? request.query.page));

/** Puts every payout of the store at one createdAt (a tie). */
function tie(at: number) {
	for (const record of handle.sandbox.store.all() as Array<{ createdAtMs: number; createdAt: string }>) {
		record.createdAtMs = at;
		record.createdAt = new Date(at).toISOString();
	}
}

describe('readDown', () => {
	afterEach(async () => await restartSandbox(handle, {}));

	test('reads down to the floor and no further, verified by the server\'s count', async () => {
		const start = virtualClock.now() - 3600_000;
		seed(handle.sandbox, 250, {}, start);
		const floor = start + 100 * 1000;
		const reading = await readDown.call(context(), scope(), floor, noLimit());
		expect(reading).toMatchObject({ complete: true, verified: true });
		expect(reading.found.size).toBe(150);
		expect(pages()).toEqual([1, 2]);
	});

	test('without a count, a reading where a payout came twice (ties shuffled across a page boundary) is read again', async () => {
		await restartSandbox(handle, { thinEnvelope: true, shuffleTies: true, maxPerPage: 10 });
		const at = virtualClock.now() - 60_000;
		const made = seed(handle.sandbox, 25, {}, at).map((payout: { id: string }) => payout.id);
		tie(at);
		let rereads = 0;
		for (let run = 0; run < 10; run++) {
			handle.sandbox.clearRequests();
			const reading = await readDown.call(context(), scope(), at - 1000, noLimit());
			if (pages().length > 3) rereads++;
			// RunningExecution, the readings miss nothing unless all three left the same one out.
			if (reading.verified) expect([...reading.found.keys()].sort()).toEqual([...made].sort());
		}
		expect(rereads).toBeGreaterThan(0);
	});

	test('without a count and without ties, one reading is verified', async () => {
		await restartSandbox(handle, { thinEnvelope: true, maxPerPage: 10 });
		seed(handle.sandbox, 25, {}, virtualClock.now() - 60_000);
		const reading = await readDown.call(context(), scope(), 0, noLimit());
		expect(reading).toMatchObject({ complete: true, verified: true });
		expect(reading.found.size).toBe(25);
		// Without the server's word, only an empty page ends a listing.
		expect(pages()).toEqual([1, 2, 3, 4]);
	});

	test('cut short by the budget it says where to go on; going on by page while payouts arrive skips none', async () => {
		const start = virtualClock.now() - 3600_000;
		const made = seed(handle.sandbox, 300, {}, start).map((payout: { id: string }) => payout.id);
		let requests = 0;
		const budget = { allows: () => requests++ < 2 } as unknown as Budget;
		const first = await readDown.call(context(), scope(), start, budget);
		expect(first).toMatchObject({ complete: false, verified: false, nextPage: 3 });
		// 150 arrive at the top meanwhile: what was on page 3 is now on pages 4 and 5.
		seed(handle.sandbox, 150, { referenceId: 'later' }, virtualClock.now());
		const rest = await readDown.call(context(), scope(), start, noLimit(), { startPage: first.nextPage });
		expect(rest).toMatchObject({ complete: true, verified: false });
		expect(new Set([...first.found.keys(), ...rest.found.keys()])).toEqual(new Set([...made, ...[...rest.found.keys()].filter((id) => !made.includes(id))]));
		for (const id of made) expect(first.found.has(id) || rest.found.has(id)).toBe(true);
	});
});

describe('readBaseline', () => {
	test('reads page 1 once: the window under the newest payout goes on from page 2', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 250_000);
		const reading = await readBaseline.call(context(), scope(), virtualClock.now(), 10 * 60_000, noLimit());
		expect(pages()).toEqual([1, 2, 3]);
		expect(reading.found.size).toBe(250);
	});

	test('one page is enough when it reaches under the window', async () => {
		seed(handle.sandbox, 150, {}, virtualClock.now() - 3 * 3600_000);
		const reading = await readBaseline.call(context(), scope(), virtualClock.now(), 10 * 60_000, noLimit());
		expect(pages()).toEqual([1]);
		expect(reading.found.size).toBe(100);
	});
});
