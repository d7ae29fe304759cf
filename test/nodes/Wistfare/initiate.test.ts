import { deriveIdempotencyKey } from '../../../nodes/Wistfare/actions/disbursement/payout-safety';
import { initiateParameters, runWistfare, TEST_KEY, useSandbox } from '../../helpers';

const handle = useSandbox();

describe('Initiate', () => {
	test('looks the reference up, then sends exactly one POST with the key headers and the typed body', async () => {
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		const key = deriveIdempotencyKey('biz_123', 'vendor_payout_001');
		expect(handle.sandbox.requests.map((request) => [request.method, request.path, request.query])).toEqual([
			['GET', '/v1/disbursements', { businessId: 'biz_123', referenceId: 'vendor_payout_001', perPage: '100', page: '1' }],
			['POST', '/v1/disbursements', {}],
		]);
		const requests = handle.sandbox.requestsFor('initiate');
		expect(requests[0]).toMatchObject({
			method: 'POST',
			path: '/v1/disbursements',
			headers: {
				'x-api-key': TEST_KEY,
				'idempotency-key': key,
				'content-type': 'application/json',
				accept: 'application/json',
			},
			body: {
				businessId: 'biz_123',
				walletId: 'wal_456',
				amount: '5000',
				destinationType: 'mobile_money',
				destinationRef: '250788000001',
				referenceId: 'vendor_payout_001',
				description: 'Vendor payout',
				currency: 'RWF',
			},
		});
		const [stored] = handle.sandbox.store.all();
		expect(output).toEqual([
			{
				json: {
					id: stored.id,
					businessId: 'biz_123',
					walletId: 'wal_456',
					amount: '5000',
					currency: 'RWF',
					destinationType: 'mobile_money',
					destinationRef: '250788000001',
					referenceId: 'vendor_payout_001',
					status: 'pending',
					description: 'Vendor payout',
					createdAt: stored.createdAt,
					updatedAt: stored.updatedAt,
					idempotencyKey: key,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('strips a leading + from the MSISDN and sends optional fields only when set', async () => {
		await runWistfare(handle, {
			parameters: {
				...initiateParameters,
				destinationRef: '+250788000002',
				additionalFields: { currency: 'usd', destinationName: 'Aline' },
				amount: '12.50',
			},
		});
		expect(handle.sandbox.requestsFor('initiate')[0].body).toEqual({
			businessId: 'biz_123',
			walletId: 'wal_456',
			amount: '12.50',
			destinationType: 'mobile_money',
			destinationRef: '250788000002',
			referenceId: 'vendor_payout_001',
			currency: 'USD',
			destinationName: 'Aline',
		});
	});

	test('processes items in order, each output paired with its input', async () => {
		const { output } = await runWistfare(handle, {
			parameters: { ...initiateParameters, amount: '={{ $json.amount }}', referenceId: '={{ $json.ref }}' },
			items: [
				{ amount: '100', ref: 'a' },
				{ amount: '200', ref: 'b' },
				{ amount: 300, ref: 'c' },
			],
		});
		expect(output?.map((item) => [item.json.referenceId, item.json.amount, item.pairedItem])).toEqual([
			['a', '100', { item: 0 }],
			['b', '200', { item: 1 }],
			['c', '300', { item: 2 }],
		]);
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.body.referenceId)).toEqual(['a', 'b', 'c']);
		expect(new Set(output?.map((item) => item.json.idempotencyKey)).size).toBe(3);
	});

	test('a 500 on the POST is retried with the same key: exactly one payout', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 500 });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		const posts = handle.sandbox.requestsFor('initiate');
		expect(posts.map((request) => request.status)).toEqual([500, 201]);
		expect(new Set(posts.map((request) => request.headers['idempotency-key'])).size).toBe(1);
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(output?.[0].json.id).toBe(handle.sandbox.store.all()[0].id);
	});

	test('a POST whose connection drops after the server committed is retried with the same key: one payout', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenDrop' });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(2);
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(output?.[0].json.id).toBe(handle.sandbox.store.all()[0].id);
	});

	test('a 429 waits for Retry-After and then succeeds', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 1 });
		const started = Date.now();
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.status)).toEqual([429, 201]);
		expect(output).toHaveLength(1);
		expect(handle.sandbox.store.all()).toHaveLength(1);
	});

	test('422 from Wistfare becomes a NodeApiError with code, per-field details and request id', async () => {
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, walletId: 'w_unknown' } });
		const [request] = handle.sandbox.requestsFor('initiate');
		expect(request.status).toBe(422);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('422');
		expect(error?.message).toBe('Wistfare: Validation failed [validation_error]');
		expect(error?.description).toContain('walletId: is not a wallet of this business');
		expect(error?.description).toMatch(/Request id: req_\d+/);
		expect(error?.context).toMatchObject({
			code: 'validation_error',
			requestId: expect.stringMatching(/^req_\d+$/),
			details: { walletId: ['is not a wallet of this business'] },
			itemIndex: 0,
		});
	});

	test('403 names the permission problem', async () => {
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, businessId: 'biz_forbidden' } });
		expect(error?.httpCode).toBe('403');
		expect(error?.message).toContain('permission_error');
		expect(error?.description).toContain('may not act on this business');
	});
});
