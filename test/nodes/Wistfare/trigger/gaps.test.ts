import { eventsOf, restartSandbox, seed, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

/**
 * Time passes between polls: n8n's Poll Times every hour or every day, or n8n down for a day. Every
 * payout created or changed meanwhile fires once, and the poll after costs what an idle poll costs.
 */
const handle = useSandbox();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Poller = ReturnType<typeof triggerPoller>;
const ids = (events: Array<Record<string, unknown>> | null) => (events ?? []).map((event) => `${event.referenceId}:${event.status}`);

/** Lets `ms` of virtual time pass, creating `count` payouts spread over it (the last a minute before its end). */
function gap(ms: number, count: number, prefix: string) {
	const start = virtualClock.now();
	virtualClock.offset += ms;
	const made = [];
	for (let i = 0; i < count; i++) made.push(...seed(handle.sandbox, 1, { referenceId: `${prefix}-${i}` }, start + Math.floor(((ms - MINUTE) * (i + 1)) / count)));
	return made as Array<{ id: string }>;
}

async function pollAll(poller: Poller, times = 1) {
	const fired: string[] = [];
	for (let i = 0; i < times; i++) fired.push(...ids(eventsOf(await poller.poll())));
	return fired;
}

describe('Wistfare Trigger with time between polls', () => {
	afterEach(async () => await restartSandbox(handle, {}));

	test.each([
		['every hour', HOUR],
		['every day', DAY],
		['every week', 7 * DAY],
	])('Poll Times %s: every payout created during the gap fires once, and so does each change', async (_name, every) => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		seed(handle.sandbox, 3, {}, virtualClock.now() - HOUR);
		expect(await poller.poll()).toBeNull();
		const fired: string[] = [];
		const expected: string[] = [];
		for (let round = 0; round < 3; round++) {
			const made = gap(every, 40, `r${round}`);
			expected.push(...made.map((_, i) => `r${round}-${i}:${i % 4 === 0 ? 'completed' : 'pending'}`));
			// Some completed during the gap already: they fire once, as completed.
			for (const [i, payout] of made.entries()) if (i % 4 === 0) handle.sandbox.store.setStatus(payout.id, 'completed');
			fired.push(...(await pollAll(poller)));
			// And some change during the next gap, with no new payout meanwhile.
			virtualClock.offset += every;
			handle.sandbox.store.setStatus(made[1].id, 'failed');
			expected.push(`r${round}-1:failed`);
			fired.push(...(await pollAll(poller)));
		}
		expect(fired.sort()).toEqual(expected.sort());
		handle.sandbox.clearRequests();
		expect(await poller.poll()).toBeNull();
	});

	test('n8n down for a day: the poll after the restart reads the whole day from the saved state', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123', statuses: ['completed', 'failed'] });
		const [before] = seed(handle.sandbox, 1, {}, virtualClock.now() - MINUTE);
		await poller.poll();
		handle.sandbox.store.setStatus(before.id, 'processing');
		expect(await poller.poll()).toBeNull(); // not saved: n8n saves static data with emitted items
		poller.restart();
		const made = gap(DAY, 150, 'day');
		for (const payout of made.slice(0, 50)) handle.sandbox.store.setStatus(payout.id, 'completed');
		for (const payout of made.slice(50, 60)) handle.sandbox.store.setStatus(payout.id, 'failed');
		handle.sandbox.store.setStatus(before.id, 'completed');
		const fired = await pollAll(poller, 2);
		expect(fired.sort()).toEqual(
			['ref_0:completed', ...made.slice(0, 50).map((_, i) => `day-${i}:completed`), ...made.slice(50, 60).map((_, i) => `day-${i + 50}:failed`)].sort(),
		);
		// The 90 still pending fire when they finish.
		for (const payout of made.slice(60)) handle.sandbox.store.setStatus(payout.id, 'failed');
		virtualClock.offset += HOUR;
		expect(await pollAll(poller)).toHaveLength(90);
	});

	test('an idle poll after a long gap costs one request; the state does not grow with the gap', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		seed(handle.sandbox, 1000, {}, virtualClock.now() - 2 * DAY).forEach((payout: { id: string }) => handle.sandbox.store.setStatus(payout.id, 'completed'));
		await poller.poll();
		for (let i = 0; i < 20 && poller.snapshot()['node:Wistfare Trigger'].state.backfill; i++) await poller.poll();
		for (const every of [MINUTE, HOUR, DAY, 7 * DAY]) {
			virtualClock.offset += every;
			handle.sandbox.clearRequests();
			expect(await poller.poll()).toBeNull();
			expect(handle.sandbox.requestsFor()).toHaveLength(1);
		}
		const made = gap(DAY, 300, 'busy');
		expect(await pollAll(poller)).toHaveLength(300);
		virtualClock.offset += HOUR;
		handle.sandbox.clearRequests();
		expect(await poller.poll()).toBeNull();
		// The count was verified: the day is not read again.
		expect(handle.sandbox.requestsFor()).toHaveLength(1 + 3); // the scan, and the 300 pending by status
		expect(made).toHaveLength(300);
		expect(JSON.stringify(poller.snapshot()).length).toBeLessThan(300 * 120 + 2048);
	});

	test('a server that gives no count and shuffles ties: a day\'s gap is read once more, and nothing is missed or doubled', async () => {
		await restartSandbox(handle, { thinEnvelope: true, shuffleTies: true, maxPerPage: 10 });
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		await poller.poll();
		const start = virtualClock.now();
		virtualClock.offset += DAY;
		const made: string[] = [];
		// Ties: batches of 7 sharing one createdAt across the day.
		for (let batch = 0; batch < 12; batch++) {
			made.push(...seed(handle.sandbox, 7, { referenceId: `tie-${batch}` }, start + batch * HOUR).map((payout: { id: string }) => payout.id));
		}
		for (const record of handle.sandbox.store.all() as Array<{ createdAtMs: number; createdAt: string; referenceId: string }>) {
			const batch = Number(record.referenceId.split('-')[1]);
			record.createdAtMs = start + batch * HOUR;
			record.createdAt = new Date(record.createdAtMs).toISOString();
		}
		const fired: string[] = [];
		for (let i = 0; i < 3; i++) {
			fired.push(...(eventsOf(await poller.poll()) ?? []).map((event) => event.id as string));
			virtualClock.offset += HOUR;
		}
		expect(new Set(fired).size).toBe(fired.length);
		expect(fired.sort()).toEqual(made.sort());
	});

	test('a gap larger than one poll can read is caught up over the next polls, missing nothing', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' }, 5000);
		await poller.poll();
		const made = gap(DAY, 900, 'big').map((payout) => payout.id);
		// Each list request takes a (virtual) second: the budget (60% of 5 s) allows about three a poll.
		const original = handle.sandbox.route.bind(handle.sandbox);
		handle.sandbox.route = (method: string, url: URL, body: unknown, route: string) => {
			if (route === 'GET /v1/disbursements') virtualClock.offset += 1000;
			return original(method, url, body, route);
		};
		try {
			const fired: string[] = [];
			const polls: number[] = [];
			for (let i = 0; i < 12; i++) {
				virtualClock.offset += MINUTE;
				const events = eventsOf(await poller.poll()) ?? [];
				polls.push(events.length);
				fired.push(...events.map((event) => event.id as string));
			}
			expect(polls.filter((count) => count > 0).length).toBeGreaterThan(2);
			expect(new Set(fired).size).toBe(fired.length);
			expect(fired.sort()).toEqual(made.sort());
		} finally {
			handle.sandbox.route = original;
		}
	});

	test.each([
		['hasMore stays true', { ignorePage: true }],
		['only data, full pages', { ignorePage: true, thinEnvelope: true }],
	])('a server that does not honour page (%s): each change fires once, read on by date, in a few requests a poll', async (_name, options) => {
		await restartSandbox(handle, options);
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		seed(handle.sandbox, 3, {}, virtualClock.now() - HOUR);
		expect(await poller.poll()).toBeNull();
		const fired: string[] = [];
		const expected: string[] = [];
		for (let round = 0; round < 2; round++) {
			const made = gap(DAY, 250, `r${round}`);
			expected.push(...made.map((_, i) => `r${round}-${i}:pending`));
			handle.sandbox.clearRequests();
			fired.push(...(await pollAll(poller)));
			expect(handle.sandbox.requestsFor('list').length).toBeLessThan(40);
			virtualClock.offset += HOUR;
			handle.sandbox.store.setStatus(made[7].id, 'failed');
			expected.push(`r${round}-7:failed`);
			fired.push(...(await pollAll(poller)));
		}
		expect(fired.sort()).toEqual(expected.sort());
	});

	test('a server that honours neither page nor toDate: the poll fails with what the server did, in a few requests', async () => {
		await restartSandbox(handle, { ignorePage: true, ignoreFilters: ['toDate', 'fromDate'] });
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		seed(handle.sandbox, 3, {}, virtualClock.now() - HOUR);
		await poller.poll();
		gap(DAY, 250, 'r');
		handle.sandbox.clearRequests();
		await expect(poller.poll()).rejects.toThrow('Wistfare answered the same page whatever page was asked for, and ignored toDate');
		expect(handle.sandbox.requestsFor('list').length).toBeLessThan(10);
	});
});
