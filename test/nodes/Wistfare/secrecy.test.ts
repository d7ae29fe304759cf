/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code, never in the package: it turns n8n's logger on to search its output */
// n8n's logger is on here, so that what it logs can be searched for the key too.
process.env.N8N_LOG_LEVEL = 'debug';
const logged: string[] = [];

const capture = (...args: unknown[]) => {
	logged.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
	return true;
};
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	jest.spyOn(console, method).mockImplementation(capture);
}
// winston's console transport writes to console._stdout when there is one.
const stdout = (console as unknown as { _stdout?: { write: (...args: unknown[]) => boolean } })._stdout;
if (stdout) jest.spyOn(stdout, 'write').mockImplementation(capture);
// Loaded after the spies: n8n's logger binds console methods when it is created.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { initiateParameters, runWistfare, TEST_KEY, useSandbox } = require('../../helpers') as typeof import('../../helpers');

const handle = useSandbox();

describe('the API key never leaks', () => {
	test('absent from outputs and errors of every kind', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenDrop', times: 3 });
		handle.sandbox.inject('list', { type: 'status', status: 500, skip: 1, times: 1000 });
		const runs = [
			await runWistfare(handle, { parameters: initiateParameters }),
			await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', limit: 1 } }),
			await runWistfare(handle, { parameters: { ...initiateParameters, walletId: 'w_bad' } }),
			await runWistfare(handle, { parameters: { operation: 'get', disbursementId: 'disb_missing' } }),
			await runWistfare(handle, { parameters: { ...initiateParameters, amount: 'x' } }),
			await runWistfare(handle, { continueOnFail: true, parameters: { ...initiateParameters, walletId: 'w_bad' } }),
		];
		handle.sandbox.clearFaults();
		runs.push(await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', returnAll: true } }));
		const everything = JSON.stringify(
			runs.map(({ output, error, run }) => ({
				output,
				error: error && { ...error, message: error.message, description: error.description, stack: error.stack },
				run,
			})),
		);
		expect(runs.filter((result) => result.error)).toHaveLength(5);
		expect(logged.length).toBeGreaterThan(0);
		expect(logged.join('\n')).not.toContain(TEST_KEY.slice(8));
		expect(everything).not.toContain(TEST_KEY);
		expect(everything).not.toContain(TEST_KEY.slice(8));
	});
});
