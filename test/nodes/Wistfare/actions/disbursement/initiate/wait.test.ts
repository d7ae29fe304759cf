import { initiateOptions, initiateParameters, restartSandbox, runWistfare, useSandbox } from '../../../../../helpers';
import { virtualClock } from '../../../../../virtual-clock';

const handle = useSandbox();

/** Wait for Final Status needs the sandbox to move payouts on by (virtual) time. */
const lifecycle = { autoAdvance: true, processingAfterMs: 300, finalAfterMs: 900 };

describe('Initiate, waiting for the final status', () => {
	beforeAll(async () => await restartSandbox(handle, lifecycle));
	afterAll(async () => await restartSandbox(handle, {}));

	describe('wait for final status', () => {
		const waiting = (extra: Record<string, unknown>) => ({
			...initiateParameters,
			...initiateOptions({ waitForFinalStatus: true, pollIntervalSeconds: 1, timeoutSeconds: 10, ...extra }),
		});

		test('completed', async () => {
			const { output } = await runWistfare(handle, { parameters: waiting({}) });
			expect(output?.[0].json).toMatchObject({ status: 'completed', timedOut: false, idempotencyKey: expect.any(String) });
			expect(handle.sandbox.requestsFor('get').length).toBeGreaterThanOrEqual(1);
		});

		test('failed', async () => {
			const { output } = await runWistfare(handle, { parameters: { ...waiting({}), destinationRef: '250788110000' } });
			expect(output?.[0].json).toMatchObject({ status: 'failed', timedOut: false, failureReason: expect.any(String) });
		});

		test('timeout: the last status and timedOut, not an error', async () => {
			handle.sandbox.store.finalAfterMs = 60_000;
			try {
				const { output, error } = await runWistfare(handle, { parameters: waiting({ timeoutSeconds: 1 }) });
				expect(error).toBeUndefined();
				expect(output?.[0].json).toMatchObject({ status: 'processing', timedOut: true });
			} finally {
				handle.sandbox.store.finalAfterMs = lifecycle.finalAfterMs;
			}
		});

		test('a 404 on Get right after creation is a moment\'s lag: the wait goes on', async () => {
			await restartSandbox(handle, { ...lifecycle, getLagMs: 3000 });
			try {
				const { output, error } = await runWistfare(handle, { parameters: waiting({}) });
				expect(error).toBeUndefined();
				expect(handle.sandbox.requestsFor('get').map((request) => request.status).slice(0, 2)).toEqual([404, 404]);
				expect(output?.[0].json).toMatchObject({ status: 'completed', timedOut: false });
			} finally {
				await restartSandbox(handle, lifecycle);
			}
		});

		test('the Stop button ends the wait at once', async () => {
			virtualClock.realSleeps = true;
			try {
				const started = Date.now();
				await runWistfare(handle, { parameters: waiting({ pollIntervalSeconds: 300, timeoutSeconds: 3600 }), cancelAfterMs: 300 });
				// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- a real wait: this test runs on real time
				await new Promise((resolve) => setTimeout(resolve, 50));
				expect(virtualClock.sleeping).toBe(0);
				expect(Date.now() - started).toBeLessThan(3000);
				expect(handle.sandbox.requestsFor('get')).toHaveLength(0);
			} finally {
				virtualClock.realSleeps = false;
			}
		});
	});
});
