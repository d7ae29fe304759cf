import { initiateOptions, initiateParameters, runWistfare, useSandbox } from '../../../../../helpers';
import { virtualClock } from '../../../../../virtual-clock';

const handle = useSandbox();

const rows = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ amount: String(100 + i), phone: `25078800${String(i).padStart(4, '0')}`.replace(/0000$/, '9999'), ref: `batch-${i}` }));

const parameters = (concurrency?: number) => ({
	...initiateParameters,
	amount: '={{ $json.amount }}',
	destinationRef: '={{ $json.phone }}',
	referenceId: '={{ $json.ref }}',
	...initiateOptions(concurrency === undefined ? {} : { concurrency }),
});

afterEach(() => {
	handle.sandbox.latencyMs = 0;
	handle.sandbox.rateLimit = 0;
	handle.sandbox.rateLimitKind = 'fixed';
	handle.sandbox.rateLimitBurst = 0;
	handle.sandbox.rateLimitHeaders = false;
});

describe('Initiate with bounded concurrency', () => {
	test('sends up to 4 at once by default, keeping output order and pairing', async () => {
		handle.sandbox.latencyMs = 40;
		const { output, error } = await runWistfare(handle, { parameters: parameters(), items: rows(24) });
		expect(error).toBeUndefined();
		expect(handle.sandbox.maxInFlight).toBe(4);
		expect(output?.map((item) => [item.json.referenceId, item.pairedItem])).toEqual(rows(24).map((row, item) => [row.ref, { item }]));
		expect(handle.sandbox.store.all()).toHaveLength(24);
	});

	test('concurrency 1 sends one at a time', async () => {
		handle.sandbox.latencyMs = 10;
		await runWistfare(handle, { parameters: parameters(1), items: rows(6) });
		expect(handle.sandbox.maxInFlight).toBe(1);
	});

	test.each([false, 'x', 'ietf'] as const)('one at a time under a fixed window (rate-limit headers: %s, not read): the pace settles under the limit, a few 429s, none lost', async (headers) => {
		handle.sandbox.rateLimit = 15;
		handle.sandbox.rateLimitHeaders = headers;
		// A window of its own: a window the previous test used up would refuse the first requests.
		await virtualClock.sleep(1000);
		const { error } = await runWistfare(handle, { parameters: parameters(1), items: rows(50) });
		expect(error).toBeUndefined();
		// More than three windows' worth of requests.
		const statuses = handle.sandbox.requests.map((request) => request.status);
		expect(statuses.length).toBeGreaterThan(45);
		expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(8);
		expect(handle.sandbox.store.all()).toHaveLength(50);
	});

	test('under a rate limit every 429 is waited out and the pace drops: none lost, none doubled', async () => {
		handle.sandbox.latencyMs = 20;
		handle.sandbox.rateLimit = 15;
		const { output, error } = await runWistfare(handle, { parameters: parameters(8), items: rows(40) });
		expect(error).toBeUndefined();
		const statuses = handle.sandbox.requests.map((request) => request.status);
		expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
		expect(handle.sandbox.store.all()).toHaveLength(40);
		expect(new Set(handle.sandbox.store.all().map((record: { referenceId: string }) => record.referenceId)).size).toBe(40);
		expect(output?.map((item) => item.json.referenceId)).toEqual(rows(40).map((row) => row.ref));
	}, 30_000);

	test.each([
		['a sliding window', { rateLimitKind: 'sliding' }],
		['a token bucket (burst 5, 15 a second)', { rateLimitKind: 'bucket', rateLimitBurst: 5 }],
	])('under %s every 429 is waited out: none lost, none doubled', async (_name, limiter) => {
		handle.sandbox.latencyMs = 20;
		handle.sandbox.rateLimit = 15;
		Object.assign(handle.sandbox, limiter);
		const { output, error } = await runWistfare(handle, { parameters: parameters(8), items: rows(40) });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requests.some((request) => request.status === 429)).toBe(true);
		expect(new Set(handle.sandbox.store.all().map((record: { referenceId: string }) => record.referenceId)).size).toBe(40);
		expect(handle.sandbox.store.all()).toHaveLength(40);
		expect(output?.map((item) => item.json.referenceId)).toEqual(rows(40).map((row) => row.ref));
	}, 30_000);

	test('one failing item stops new payouts and reports the first failing item', async () => {
		const items = rows(10);
		items[3].phone = '250788000003';
		handle.sandbox.inject('initiate', { type: 'status', status: 403, skip: 3 });
		const { error } = await runWistfare(handle, { parameters: parameters(1), items });
		expect(error?.httpCode).toBe('403');
		expect(error?.context?.itemIndex).toBe(3);
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(4);
	});

	test('with Continue On Fail every item is tried and failures sit in their places', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 403, skip: 2 });
		const { output } = await runWistfare(handle, { parameters: parameters(1), items: rows(5), continueOnFail: true });
		expect(output?.map((item) => (item.json.error ? 'error' : item.json.referenceId))).toEqual(['batch-0', 'batch-1', 'error', 'batch-3', 'batch-4']);
	});
});
