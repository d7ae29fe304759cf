import { runWistfare, seed, TEST_KEY, useSandbox } from '../../../../helpers';

const handle = useSandbox();

describe('Get', () => {
	test('sends one GET for the id and outputs the payout', async () => {
		const [payout] = seed(handle.sandbox, 1);
		const { output, error } = await runWistfare(handle, {
			parameters: { operation: 'get', disbursementId: payout.id },
		});
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor()).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: `/v1/disbursements/${payout.id}`,
				query: {},
				headers: expect.objectContaining({ 'x-api-key': TEST_KEY, accept: 'application/json' }),
				body: undefined,
				status: 200,
			}),
		]);
		expect(output).toEqual([
			{ json: expect.objectContaining({ id: payout.id, status: 'pending', referenceId: 'ref_0' }), pairedItem: { item: 0 } },
		]);
	});

	test('404 is reported as not found with Wistfare code and request id', async () => {
		const { error } = await runWistfare(handle, { parameters: { operation: 'get', disbursementId: 'disb_missing' } });
		expect(error?.httpCode).toBe('404');
		expect(error?.message).toBe('Wistfare: Disbursement not found [not_found]');
		expect(error?.context).toMatchObject({ code: 'not_found', requestId: expect.stringMatching(/^req_/) });
	});

	test('a GET is retried after a 500 and succeeds', async () => {
		const [payout] = seed(handle.sandbox, 1);
		handle.sandbox.inject('get', { type: 'status', status: 500 });
		const { output, error } = await runWistfare(handle, { parameters: { operation: 'get', disbursementId: payout.id } });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('get').map((request) => request.status)).toEqual([500, 200]);
		expect(output?.[0].json.id).toBe(payout.id);
	});

	test('a GET is retried after a dropped connection', async () => {
		const [payout] = seed(handle.sandbox, 1);
		handle.sandbox.inject('get', { type: 'drop' });
		const { output, error } = await runWistfare(handle, { parameters: { operation: 'get', disbursementId: payout.id } });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('get')).toHaveLength(2);
		expect(output?.[0].json.id).toBe(payout.id);
	});

	test('a GET gives up after three 500s with the last error', async () => {
		handle.sandbox.inject('get', { type: 'status', status: 500, times: 3 });
		const { error } = await runWistfare(handle, { parameters: { operation: 'get', disbursementId: 'disb_x' } });
		expect(handle.sandbox.requestsFor('get')).toHaveLength(3);
		expect(error?.httpCode).toBe('500');
	});

	test('401 for a key Wistfare does not know', async () => {
		const { error } = await runWistfare(handle, {
			apiKey: 'wf_test_revoked',
			parameters: { operation: 'get', disbursementId: 'disb_x' },
		});
		expect(error?.httpCode).toBe('401');
		expect(error?.message).toBe('Wistfare: Invalid or expired API key [authentication_error]');
		expect(error?.description).toContain('Check the API key');
		expect(handle.sandbox.requests).toHaveLength(1);
	});
});
