import { startExecution, keysRunning, MAX_SHARED_LISTINGS, SHARED_LISTING_MAX_AGE_MS, shareListing, sharedListing } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/same-key';
import { ExecutionLimit } from '../../../../../../nodes/Wistfare/api/pace';
import { runWistfare, seed, TEST_KEY, useSandbox } from '../../../../../helpers';
import { virtualClock } from '../../../../../virtual-clock';
import { rows, rowsParameters } from './rows';

const handle = useSandbox();

afterEach(() => {
	handle.sandbox.rateLimit = 0;
	handle.sandbox.rateLimitHeaders = false;
});

describe('what executions of one key share in a process', () => {
	const credential = (overrides: Record<string, unknown> = {}) => ({ apiKey: TEST_KEY, baseUrl: 'http://127.0.0.1:9', ...overrides });

	test('the same key at the same base URL shares one pace, each execution its own bound on requests in flight', () => {
		const [one, two] = [startExecution(credential(), 4), startExecution(credential({ apiKey: ` ${TEST_KEY} ` }), 2)];
		expect(one.shared).toBe(two.shared);
		expect([(one.session.pacing as ExecutionLimit).max, (two.session.pacing as ExecutionLimit).max]).toEqual([4, 2]);
		expect((one.session.pacing as ExecutionLimit).shared).toBe((two.session.pacing as ExecutionLimit).shared);
		const others = [startExecution(credential({ apiKey: 'wf_test_other' }), 4), startExecution(credential({ baseUrl: 'http://127.0.0.1:10' }), 4)];
		for (const other of others) expect(other.shared).not.toBe(one.shared);
		expect(keysRunning()).toBe(3);
		for (const execution of [one, two, ...others]) execution.end();
		expect(keysRunning()).toBe(0);
	});

	test('an entry goes with the last execution of its key, however often one ends; a bad credential shares nothing', () => {
		const [one, two] = [startExecution(credential(), 4), startExecution(credential(), 4)];
		one.end();
		one.end();
		expect(keysRunning()).toBe(1);
		expect(startExecution(credential({ apiKey: 'not a key' }), 4).shared).toBeUndefined();
		two.end();
		expect(keysRunning()).toBe(0);
		const three = startExecution(credential(), 4);
		expect(three.shared).not.toBe(one.shared);
		expect(three.shared?.running).toBe(1);
		three.end();
	});

	test('the key is not kept, only a digest of it', () => {
		const execution = startExecution(credential(), 4);
		expect(JSON.stringify(execution, (_, value: unknown) => (value instanceof Map ? [...value] : value))).not.toContain(TEST_KEY);
		execution.end();
	});
});

describe('three executions of one key at once, under the engine', () => {
	const listPages = () => handle.sandbox.requestsFor('list').filter((request) => !request.understood?.referenceId).map((request) => Number(request.understood?.page));

	test('they read the business\'s listing whole once and check it once between them after time passed; every row paid once', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const { sandbox } = handle;
		const route = sandbox.route.bind(sandbox);
		let posted = 0;
		let checksFrom = -1;
		sandbox.route = (method, url, body, name) => {
			// Once each execution has paid some rows, time passes: the listing must be checked again.
			if (name === 'POST /v1/disbursements' && ++posted === 30) {
				checksFrom = listPages().length;
				virtualClock.offset += 1500;
			}
			return route(method, url, body, name);
		};
		try {
			const outcomes = await Promise.all([0, 1, 2].map((e) => runWistfare(handle, { parameters: rowsParameters({ concurrency: 1 }), items: rows(40, `shared-${e}`) })));
			for (const { error } of outcomes) expect(error).toBeUndefined();
		} finally {
			sandbox.route = route;
		}
		expect(sandbox.requestsFor('initiate')).toHaveLength(120);
		expect(sandbox.store.all()).toHaveLength(370);
		const pages = listPages();
		// Each reads the first page (the total tells it the listing is the cheaper way); pages 2 and 3 once.
		expect(pages.filter((page) => page === 2)).toHaveLength(1);
		expect(pages.filter((page) => page === 3)).toHaveLength(1);
		// After the time passed: one check (the newest page) for the three, not one each.
		expect(checksFrom).toBeGreaterThan(0);
		expect(pages.slice(checksFrom)).toEqual([1]);
		expect(keysRunning()).toBe(0);
	});

	describe('paying the same references at once (two runs of one sheet), on a server that ignores the key and lists new payouts a minute late', () => {
		beforeEach(() => Object.assign(handle.sandbox, { ignoreIdempotencyKey: true, listLagMs: 60_000 }));
		afterEach(() => Object.assign(handle.sandbox, { ignoreIdempotencyKey: false, listLagMs: 0 }));

		test('each payout is made once: a row another execution is paying waits for it and outputs its payout', async () => {
			const outcomes = await Promise.all([0, 1].map(() => runWistfare(handle, { parameters: rowsParameters(), items: rows(10, 'twice') })));
			for (const { error } of outcomes) expect(error).toBeUndefined();
			expect(handle.sandbox.requestsFor('initiate')).toHaveLength(10);
			expect(handle.sandbox.store.all()).toHaveLength(10);
			const [first, second] = outcomes.map(({ output }) => output ?? []);
			expect(second.map((item) => item.json.id)).toEqual(first.map((item) => item.json.id));
			expect([...first, ...second].filter((item) => item.json.duplicate === true)).toHaveLength(10);
			expect([...first, ...second].filter((item) => item.json.reconciled !== undefined)).toEqual([]);
		});

		test('a row whose reference another execution failed to pay (a refusal, nothing made) looks it up and pays it itself', async () => {
			handle.sandbox.inject('initiate', { type: 'status', status: 400 });
			const outcomes = await Promise.all([0, 1].map(() => runWistfare(handle, { parameters: rowsParameters(), items: rows(1, 'twice'), continueOnFail: true })));
			const items = outcomes.flatMap(({ output }) => output ?? []);
			expect(items.filter((item) => item.json.error)).toHaveLength(1);
			expect(items.filter((item) => item.json.id && !item.json.duplicate)).toHaveLength(1);
			expect(handle.sandbox.store.all()).toHaveLength(1);
			// Refused, then a look-up of the reference, then the second request.
			const routes = handle.sandbox.requests.map((request) => request.route);
			const [refused, sent] = routes.flatMap((route, at) => (route === 'POST /v1/disbursements' ? [at] : []));
			expect(routes.slice(refused + 1, sent)).toContain('GET /v1/disbursements');
		});

		test('a row whose reference another execution sent without a clear outcome is not sent: it fails, saying so', async () => {
			// Both of the first execution's requests go unanswered (nothing made), its look-ups find nothing.
			handle.sandbox.inject('initiate', { type: 'drop', times: 2 });
			const outcomes = await Promise.all([0, 1].map(() => runWistfare(handle, { parameters: rowsParameters(), items: rows(1, 'twice'), continueOnFail: true })));
			const errors = outcomes.flatMap(({ output }) => output ?? []).map((item) => String(item.json.error));
			expect(errors.filter((error) => error.startsWith('Outcome unknown for payout reference "twice-0"'))).toHaveLength(1);
			expect(errors.filter((error) => error.startsWith('Not sent: another execution was paying reference "twice-0" at the same moment, and its outcome is unknown'))).toHaveLength(1);
			expect(handle.sandbox.requestsFor('initiate')).toHaveLength(2);
			expect(handle.sandbox.store.all()).toHaveLength(0);
		});

		test('a row whose reference another execution is paying with other details fails, and sends nothing', async () => {
			const other = rows(3, 'twice').map((row) => ({ ...row, amount: String(Number(row.amount) + 1) }));
			const outcomes = await Promise.all(
				[rows(3, 'twice'), other].map((items) => runWistfare(handle, { parameters: rowsParameters(), items, continueOnFail: true })),
			);
			expect(handle.sandbox.requestsFor('initiate')).toHaveLength(3);
			const failed = outcomes.flatMap(({ output }) => output ?? []).filter((item) => item.json.error);
			expect(failed).toHaveLength(3);
			for (const item of failed) expect(String(item.json.error)).toMatch(/already exists .* with other details: Amount/);
		});
	});

	test('under a rate limit, through one pace: every row paid once, none stuck, and the key\'s entry gone after', async () => {
		handle.sandbox.rateLimit = 10;
		await virtualClock.sleep(1000);
		const outcomes = await Promise.all([0, 1, 2].map((e) => runWistfare(handle, { parameters: rowsParameters(), items: rows(20, `paced-${e}`) })));
		for (const { error, output } of outcomes) {
			expect(error).toBeUndefined();
			expect(output?.filter((item) => item.json.error)).toEqual([]);
		}
		expect(handle.sandbox.requests.some((request) => request.status === 429)).toBe(true);
		expect(handle.sandbox.store.all()).toHaveLength(60);
		expect(keysRunning()).toBe(0);
	});
});

describe('Max Total Per Day across executions of one key in one process', () => {
	test('two executions at once cannot pass it together: the second counts what the first reserved', async () => {
		const sheet = (prefix: string) => [0, 1].map((i) => ({ amount: '400', phone: `25078800060${i}`, ref: `${prefix}-${i}` }));
		handle.sandbox.latencyMs = 20;
		try {
			const runs = await Promise.all(['first', 'second'].map((prefix) => runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: sheet(prefix), credential: { maxTotalPerDay: '1000' } })));
			expect(runs.filter((run) => run.error === undefined)).toHaveLength(1);
			expect(runs.find((run) => run.error)?.error?.message).toMatch(/may pay 1,000 RWF a day/);
		} finally {
			handle.sandbox.latencyMs = 0;
		}
		expect(handle.sandbox.store.all()).toHaveLength(2);
		// The reservation goes with the execution: a later one counts only what Wistfare lists.
		const later = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: sheet('later').slice(0, 1), credential: { maxTotalPerDay: '1200' } });
		expect(later.error).toBeUndefined();
	});
});

describe('what a busy worker keeps is bounded', () => {
	test('a shared listing is shared for SHARED_LISTING_MAX_AGE_MS at most, and for MAX_SHARED_LISTINGS businesses', async () => {
		const execution = startExecution({ apiKey: TEST_KEY, baseUrl: handle.url }, 1);
		try {
			const shared = execution.shared!;
			const reading = Promise.resolve({} as never);
			shareListing(shared, 'biz_old', reading);
			expect(sharedListing(shared, 'biz_old')).toBe(reading);
			await virtualClock.sleep(SHARED_LISTING_MAX_AGE_MS + 1);
			expect(sharedListing(shared, 'biz_old')).toBeUndefined();
			for (let i = 0; i < MAX_SHARED_LISTINGS + 5; i++) shareListing(shared, `biz_${i}`, reading);
			expect(shared.listings.size).toBe(MAX_SHARED_LISTINGS);
			expect(sharedListing(shared, 'biz_0')).toBeUndefined();
			expect(sharedListing(shared, `biz_${MAX_SHARED_LISTINGS + 4}`)).toBe(reading);
		} finally {
			execution.end();
		}
	});
});
