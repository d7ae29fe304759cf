import { eventsOf, restartSandbox, seed, TEST_KEY, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';
import { createRecord } from '../../../../sandbox/routes';

const handle = useSandbox();

const statusOf = (events: Array<Record<string, unknown>> | null) =>
	events?.map((event) => [event.referenceId, event.previousStatus, event.status, event.event]) ?? null;

describe('Wistfare Trigger under PollContext, against the sandbox', () => {
	test('activation takes a baseline: no history fires, in-flight payouts are watched', async () => {
		const history = seed(handle.sandbox, 30);
		for (const payout of history.slice(0, 25)) handle.sandbox.store.setStatus(payout.id, 'completed');
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		expect(await poller.poll()).toBeNull();
		expect(await poller.poll()).toBeNull();
		handle.sandbox.store.setStatus(history[27].id, 'processing');
		handle.sandbox.store.setStatus(history[3].id, 'refunded');
		expect(statusOf(eventsOf(await poller.poll()))).toEqual([['ref_27', 'pending', 'processing', 'disbursement.processing']]);
		expect(await poller.poll()).toBeNull();
	});

	test('each status change fires once, with the payout fields at the top level', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123', options: { watchRefundsDays: 1 } });
		await poller.poll();
		const [payout] = seed(handle.sandbox, 1, {}, Date.now());
		const created = eventsOf(await poller.poll());
		expect(created).toEqual([
			{
				...handle.sandbox.store.get(payout.id)!,
				createdAtMs: undefined,
				manualStatus: undefined,
				endsFailed: undefined,
				previousStatus: null,
				event: 'disbursement.pending',
			},
		].map((event) => JSON.parse(JSON.stringify(event))));
		for (const status of ['processing', 'completed', 'refunded']) {
			handle.sandbox.store.setStatus(payout.id, status);
			const events = eventsOf(await poller.poll());
			expect(events).toHaveLength(1);
			expect(events?.[0]).toMatchObject({ id: payout.id, status, event: `disbursement.${status}` });
			expect(await poller.poll()).toBeNull();
		}
	});

	test('statuses filter and wallet option', async () => {
		const poller = triggerPoller(handle, {
			businessId: 'biz_123',
			statuses: ['completed', 'failed'],
			options: { walletId: 'wal_456' },
		});
		await poller.poll();
		const [mine] = seed(handle.sandbox, 1, {}, Date.now());
		const [other] = seed(handle.sandbox, 1, { walletId: 'wal_other', referenceId: 'other' }, Date.now());
		expect(await poller.poll()).toBeNull();
		handle.sandbox.store.setStatus(mine.id, 'processing');
		handle.sandbox.store.setStatus(other.id, 'completed');
		expect(await poller.poll()).toBeNull();
		handle.sandbox.store.setStatus(mine.id, 'failed');
		expect(statusOf(eventsOf(await poller.poll()))).toEqual([['ref_0', 'processing', 'failed', 'disbursement.failed']]);
	});

	test('pending → completed between two polls fires once, as completed', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		const [payout] = seed(handle.sandbox, 1);
		await poller.poll();
		handle.sandbox.store.setStatus(payout.id, 'processing');
		handle.sandbox.store.setStatus(payout.id, 'completed');
		expect(statusOf(eventsOf(await poller.poll()))).toEqual([['ref_0', 'pending', 'completed', 'disbursement.completed']]);
	});

	test('refund window: a completed payout is watched for a later refund; without the option it is not', async () => {
		const watching = triggerPoller(handle, { businessId: 'biz_123', options: { watchRefundsDays: 7 } });
		const plain = triggerPoller(handle, { businessId: 'biz_123' });
		const [payout] = seed(handle.sandbox, 1);
		await watching.poll();
		await plain.poll();
		handle.sandbox.store.setStatus(payout.id, 'completed');
		expect(eventsOf(await watching.poll())).toHaveLength(1);
		expect(eventsOf(await plain.poll())).toHaveLength(1);
		seed(handle.sandbox, 150, { referenceId: 'filler' }, Date.now());
		await watching.poll();
		await plain.poll();
		handle.sandbox.store.setStatus(payout.id, 'refunded');
		expect(statusOf(eventsOf(await watching.poll()))).toEqual([['ref_0', 'completed', 'refunded', 'disbursement.refunded']]);
		expect(await plain.poll()).toBeNull();
	});

	test('a completed payout already in the refund window at activation is watched too', async () => {
		const [payout] = seed(handle.sandbox, 1, {}, Date.now() - 60_000);
		handle.sandbox.store.setStatus(payout.id, 'completed');
		const poller = triggerPoller(handle, { businessId: 'biz_123', options: { watchRefundsDays: 1 } });
		expect(await poller.poll()).toBeNull();
		handle.sandbox.store.setStatus(payout.id, 'refunded');
		expect(statusOf(eventsOf(await poller.poll()))).toEqual([['ref_0', 'completed', 'refunded', 'disbursement.refunded']]);
	});

	test('a failure in the middle of a poll fails the poll and leaves the state as it was', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		const [a, b, ...later] = seed(handle.sandbox, 7);
		for (const payout of later) handle.sandbox.store.setStatus(payout.id, 'completed');
		await poller.poll();
		const before = poller.snapshot();
		handle.sandbox.store.setStatus(a.id, 'completed');
		handle.sandbox.store.setStatus(b.id, 'failed');
		seed(handle.sandbox, 1, { referenceId: 'new' }, Date.now());
		// The scan succeeds, then the status listing fails past its retries.
		handle.sandbox.clearRequests();
		handle.sandbox.inject('list', { type: 'status', status: 503, skip: 1, times: 3 });
		await expect(poller.poll()).rejects.toThrow('Wistfare: Injected 503 [internal_error]');
		expect(handle.sandbox.requestsFor('list').map((request) => request.status)).toEqual([200, 503, 503, 503]);
		expect(poller.snapshot()).toEqual(before);
		const events = eventsOf(await poller.poll());
		expect(events?.map((event) => [event.referenceId, event.status]).sort()).toEqual([
			['new', 'pending'],
			['ref_0', 'completed'],
			['ref_1', 'failed'],
		]);
		expect(await poller.poll()).toBeNull();
	});

	test('401 fails at once with a clear message', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		handle.sandbox.apiKeys.clear();
		await expect(poller.poll()).rejects.toThrow('Wistfare: Invalid or expired API key [authentication_error]');
		expect(handle.sandbox.requests).toHaveLength(1);
		handle.sandbox.apiKeys.add(TEST_KEY);
	});

	test('a 429 and a 500 at activation are retried briefly', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		handle.sandbox.inject('list', { type: 'status', status: 429, retryAfter: 0 });
		handle.sandbox.inject('list', { type: 'status', status: 500 });
		expect(await poller.poll()).toBeNull();
		expect(handle.sandbox.requestsFor().slice(0, 3).map((request) => request.status)).toEqual([429, 500, 200]);
		expect(poller.saved).toMatchObject({ 'node:Wistfare Trigger': { state: { v: 2, scope: 'biz_123' } } });
	});

	test('restart: changes of polls that returned null are lost, and nothing is missed or repeated', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123', statuses: ['completed'] });
		const [a] = seed(handle.sandbox, 1);
		await poller.poll();
		handle.sandbox.store.setStatus(a.id, 'processing');
		expect(await poller.poll()).toBeNull(); // tracked as processing, not saved
		const [b] = seed(handle.sandbox, 1, { referenceId: 'b' }, Date.now());
		expect(await poller.poll()).toBeNull(); // b is pending: seen, not saved
		poller.restart();
		handle.sandbox.store.setStatus(a.id, 'completed');
		handle.sandbox.store.setStatus(b.id, 'completed');
		expect(statusOf(eventsOf(await poller.poll()))?.sort()).toEqual([
			['b', null, 'completed', 'disbursement.completed'],
			['ref_0', 'pending', 'completed', 'disbursement.completed'],
		]);
		poller.restart();
		expect(await poller.poll()).toBeNull();
	});

	test('new payouts arriving while the poll pages (pages shift) are neither missed nor doubled', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		seed(handle.sandbox, 5);
		await poller.poll();
		seed(handle.sandbox, 250, { referenceId: 'burst' }, Date.now());
		const original = handle.sandbox.route.bind(handle.sandbox);
		let inserted = 0;
		handle.sandbox.route = (method: string, url: URL, body: unknown, route: string) => {
			// Before each page is served, 30 more payouts arrive at the top.
			if (route === 'GET /v1/disbursements' && inserted < 90) {
				seed(handle.sandbox, 30, { referenceId: 'during' }, Date.now());
				inserted += 30;
			}
			return original(method, url, body, route);
		};
		const first = eventsOf(await poller.poll()) ?? [];
		handle.sandbox.route = original;
		const second = eventsOf(await poller.poll()) ?? [];
		const ids = [...first, ...second].map((event) => event.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toHaveLength(250 + inserted);
	});

	test('many payouts sharing one createdAt across polls', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		const at = Date.now();
		seed(handle.sandbox, 3, { referenceId: 'same' }, at);
		handle.sandbox.store.all().forEach((record) => ((record as { createdAtMs: number }).createdAtMs = at));
		await poller.poll();
		for (let round = 0; round < 3; round++) {
			const added = seed(handle.sandbox, 120, { referenceId: `r${round}` }, at).map((payout) => payout.id);
			for (const record of handle.sandbox.store.all()) {
				(record as { createdAtMs: number }).createdAtMs = at;
				(record as { createdAt: string }).createdAt = new Date(at).toISOString();
			}
			const events = eventsOf(await poller.poll()) ?? [];
			expect(events.map((event) => event.id).sort()).toEqual(added.sort());
		}
	});

	test('Fetch Test Event returns the newest matching payout and leaves the state untouched', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123', statuses: ['failed'] });
		await expect(poller.poll('manual')).rejects.toThrow('No payout with status failed found for business "biz_123"');
		const payouts = seed(handle.sandbox, 5);
		handle.sandbox.store.setStatus(payouts[1].id, 'failed');
		handle.sandbox.store.setStatus(payouts[3].id, 'failed');
		const before = poller.snapshot();
		expect(statusOf(eventsOf(await poller.poll('manual')))).toEqual([['ref_3', null, 'failed', 'disbursement.failed']]);
		expect(poller.snapshot()).toEqual(before);
	});

	test('an idle poll costs one request; in-flight payouts add a page per 100', async () => {
		seed(handle.sandbox, 1000, {}, virtualClock.now() - 2 * 86_400_000);
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		for (const record of handle.sandbox.store.all().slice(0, 850)) handle.sandbox.store.setStatus(record.id, 'completed');
		await poller.poll();
		// The activation's walk through the week before goes on over the next polls, a few pages each.
		for (let i = 0; i < 10 && (poller.snapshot()['node:Wistfare Trigger'] as { state: { backfill?: unknown } }).state.backfill; i++) {
			expect(await poller.poll()).toBeNull();
		}
		handle.sandbox.clearRequests();
		expect(await poller.poll()).toBeNull();
		// 150 pending, created long before the cursor: 1 scan + 2 pages of pending.
		expect(handle.sandbox.requestsFor().map((request) => request.understood.status ?? 'scan')).toEqual(['scan', 'pending', 'pending']);
		const bytes = JSON.stringify(poller.snapshot()).length;
		expect(bytes).toBeLessThan(1024 + 150 * 120);
	});
});

describe('Wistfare Trigger on a real server\'s timing', () => {
	afterEach(async () => await restartSandbox(handle, {}));

	test('a payout listed minutes after its createdAt, while newer ones keep coming, fires every status', async () => {
		await restartSandbox(handle, { listLagMs: 8 * 60_000 });
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		seed(handle.sandbox, 2, {}, virtualClock.now() - 60_000);
		await poller.poll();
		const slow = createRecord(handle.sandbox, { businessId: 'biz_123', walletId: 'wal_456', amount: '10', destinationType: 'mobile_money', destinationRef: '250788000001', referenceId: 'slow' });
		for (let minute = 1; minute <= 9; minute++) {
			virtualClock.offset += 60_000;
			seed(handle.sandbox, 1, { referenceId: `newer-${minute}` }, virtualClock.now());
			const events = eventsOf(await poller.poll()) ?? [];
			const expected = minute === 8 ? ['newer-8', 'slow'] : [`newer-${minute}`];
			expect(events.map((event) => event.referenceId).sort()).toEqual(expected);
		}
		handle.sandbox.store.setStatus(slow.id, 'completed');
		expect(statusOf(eventsOf(await poller.poll()))).toEqual([['slow', 'pending', 'completed', 'disbursement.completed']]);
	});

	test.each([
		['ties in a new order on each request, pages of 10', { shuffleTies: true, maxPerPage: 10 }],
		['ties shuffled, thin envelope, pages of 10', { shuffleTies: true, maxPerPage: 10, thinEnvelope: true }],
		['the server\'s clock 8 minutes behind', { clockSkewMs: -8 * 60_000 }],
		['the server\'s clock 8 minutes ahead', { clockSkewMs: 8 * 60_000 }],
	])('every payout fires once: %s', async (_name, options) => {
		await restartSandbox(handle, options);
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		await poller.poll();
		const fired: string[] = [];
		const made: string[] = [];
		for (let round = 0; round < 4; round++) {
			const at = handle.sandbox.store.now();
			made.push(...seed(handle.sandbox, 35, { referenceId: `tie-${round}` }, at).map((payout: { id: string }) => payout.id));
			virtualClock.offset += 20_000;
			fired.push(...(eventsOf(await poller.poll()) ?? []).map((event) => event.id as string));
		}
		fired.push(...(eventsOf(await poller.poll()) ?? []).map((event) => event.id as string));
		expect(new Set(fired).size).toBe(fired.length);
		expect(fired.sort()).toEqual(made.sort());
	});

	test('after completing, any change of a watched payout fires: refunded, failed, or a status we do not know', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123', options: { watchRefundsDays: 1 } });
		const [a, b] = seed(handle.sandbox, 2, {}, virtualClock.now() - 60_000);
		await poller.poll();
		handle.sandbox.store.setStatus(a.id, 'completed');
		handle.sandbox.store.setStatus(b.id, 'completed');
		expect(eventsOf(await poller.poll())).toHaveLength(2);
		handle.sandbox.store.setStatus(a.id, 'failed');
		handle.sandbox.store.setStatus(b.id, 'reversed');
		expect(statusOf(eventsOf(await poller.poll()))?.sort()).toEqual([
			['ref_0', 'completed', 'failed', 'disbursement.failed'],
			['ref_1', 'completed', 'reversed', 'disbursement.reversed'],
		]);
	});

	test('a poll that would run past n8n\'s poll budget stops cleanly; the next carries on, missing nothing', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' }, 5000);
		await poller.poll();
		const made = seed(handle.sandbox, 450, { referenceId: 'burst' }, handle.sandbox.store.now()).map((payout: { id: string }) => payout.id);
		// Each list request takes a (virtual) second: the budget (60% of 5 s) allows about three.
		const original = handle.sandbox.route.bind(handle.sandbox);
		handle.sandbox.route = (method: string, url: URL, body: unknown, route: string) => {
			if (route === 'GET /v1/disbursements') virtualClock.offset += 1000;
			return original(method, url, body, route);
		};
		try {
			const first = (eventsOf(await poller.poll()) ?? []).map((event) => event.id as string);
			expect(first.length).toBeGreaterThan(0);
			expect(first.length).toBeLessThan(450);
			const rest: string[] = [];
			for (let i = 0; i < 5; i++) rest.push(...(eventsOf(await poller.poll()) ?? []).map((event) => event.id as string));
			expect([...first, ...rest].sort()).toEqual(made.sort());
		} finally {
			handle.sandbox.route = original;
		}
	});

});

test('a payout in a status Wistfare does not document is followed by id, never listed by that status', async () => {
	const poller = triggerPoller(handle, { businessId: 'biz_123' });
	const [payout] = seed(handle.sandbox, 1, {}, virtualClock.now() - 3600_000);
	await poller.poll();
	handle.sandbox.store.setStatus(payout.id, 'under_review');
	expect(statusOf(eventsOf(await poller.poll()))).toEqual([['ref_0', 'pending', 'under_review', 'disbursement.under_review']]);
	handle.sandbox.clearRequests();
	handle.sandbox.store.setStatus(payout.id, 'completed');
	expect(statusOf(eventsOf(await poller.poll()))).toEqual([['ref_0', 'under_review', 'completed', 'disbursement.completed']]);
	expect(handle.sandbox.requests.filter((request) => request.query.status === 'under_review')).toEqual([]);
	expect(handle.sandbox.requestsFor('get')).toHaveLength(1);
});

describe('a polling trigger in a workflow that also holds the webhook trigger', () => {
	test('its events tell the user to give each trigger a workflow of its own', async () => {
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		await poller.poll();
		poller.workflow.getStaticData('global').wistfareWebhookTrigger = 'Instant outcomes';
		seed(handle.sandbox, 1, { referenceId: 'shared-workflow' }, Date.now());
		const events = eventsOf(await poller.poll()) ?? [];
		expect(events).toHaveLength(1);
		expect(events[0].triggerWarnings).toEqual([expect.stringMatching(/^This workflow also holds a Wistfare Webhook Trigger \("Instant outcomes"\)/)]);
	});
});

test('a Business ID left empty is the credential\'s Default Business ID; neither set fails the poll, naming both', async () => {
	const poller = triggerPoller(handle, { businessId: '' }, undefined, { defaultBusinessId: 'biz_123' });
	await poller.poll();
	expect(handle.sandbox.requestsFor('list').every((request) => request.understood.businessId === 'biz_123')).toBe(true);
	seed(handle.sandbox, 1, { referenceId: 'default-business' }, Date.now());
	expect(eventsOf(await poller.poll())?.map((event) => event.referenceId)).toEqual(['default-business']);
	await expect(triggerPoller(handle, { businessId: '' }).poll()).rejects.toThrow('Invalid "Business ID": is empty: set it here, or set Default Business ID on the credential');
});
