import { deriveIdempotencyKey } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/plan';
import { initiateOptions, initiateParameters, restartSandbox, runWistfare, TEST_KEY, useSandbox } from '../../../../../helpers';
import { onTheWire, serverKind, spelled } from '../../../../../servers';

const handle = useSandbox();

/** What Initiate sends for `initiateParameters`, in the package's names. */
const { additionalFields, ...withOperation } = initiateParameters;
const fields: Record<string, unknown> = { ...withOperation };
delete fields.operation;
const payoutBody = { ...fields, ...additionalFields, currency: 'RWF' };

describe('Initiate', () => {
	test('reads the wallet and fees, looks the reference up, then sends exactly one POST with the key headers and the typed body', async () => {
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		const key = deriveIdempotencyKey('biz_123', 'vendor_payout_001');
		const requests = handle.sandbox.requestsFor().map((request) => [request.method, request.path, request.understood]);
		// The funds check's two readings go out together, in either order.
		expect(requests.slice(0, 2)).toEqual(
			expect.arrayContaining([
				['GET', '/v1/wallets', { walletId: 'wal_456' }],
				['GET', '/v1/fees/biz_123', { transactionType: 'disbursement' }],
			]),
		);
		expect(requests.slice(2)).toEqual([
			['GET', '/v1/disbursements', { businessId: 'biz_123', referenceId: 'vendor_payout_001', perPage: '100', page: '1' }],
			['POST', '/v1/disbursements', payoutBody],
		]);
		const [post] = handle.sandbox.requestsFor('initiate');
		expect(post).toMatchObject({
			headers: { 'x-api-key': TEST_KEY, 'idempotency-key': key, 'content-type': 'application/json', accept: 'application/json' },
			status: 201,
		});
		// A strict server taught its dialect by the first look-up: the POST goes out in it alone.
		expect(post.body).toEqual(onTheWire(payoutBody));
		// Each learns it on its own: the wallet and fee readings teach the payouts nothing.
		expect(handle.sandbox.rejections.map((request) => request.route).sort()).toEqual(serverKind().strict ? ['GET /v1/disbursements', 'GET /v1/fees/:businessId', 'GET /v1/wallets'] : []);
		const [stored] = handle.sandbox.store.all();
		expect(output).toEqual([
			{
				json: {
					id: stored.id,
					...payoutBody,
					status: 'pending',
					createdAt: stored.createdAt,
					updatedAt: stored.updatedAt,
					idempotencyKey: key,
				},
				pairedItem: { item: 0 },
			},
		]);
		// The fields a person reads first lead the output.
		expect(Object.keys(output![0].json).slice(0, 3)).toEqual(['status', 'referenceId', 'amount']);
	});

	test('strips a leading + from the MSISDN, trims the amount and sends optional fields only when set', async () => {
		await runWistfare(handle, {
			parameters: {
				...initiateParameters,
				destinationRef: '+250788000002',
				additionalFields: { currency: 'usd', destinationName: 'Aline' },
				amount: ' 12.50 ',
			},
		});
		expect(handle.sandbox.requestsFor('initiate')[0].understood).toEqual({
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
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.understood.referenceId)).toEqual(['a', 'b', 'c']);
		expect(new Set(output?.map((item) => item.json.idempotencyKey)).size).toBe(3);
	});

	test('a 500 on the POST is not sent again until look-ups show no payout; then once, with the same key', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 500 });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		const requests = handle.sandbox.requestsFor();
		const posts = handle.sandbox.requestsFor('initiate');
		expect(posts.map((request) => request.status)).toEqual([500, 201]);
		expect(new Set(posts.map((request) => request.headers['idempotency-key'])).size).toBe(1);
		// Between the two POSTs: look-ups of the reference, over the whole settle window (30 s).
		const between = requests.slice(requests.indexOf(posts[0]) + 1, requests.indexOf(posts[1]));
		expect(between.length).toBeGreaterThanOrEqual(3);
		expect(between.every((request) => request.route === 'GET /v1/disbursements' && request.understood.referenceId === 'vendor_payout_001')).toBe(true);
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(output?.[0].json.id).toBe(handle.sandbox.store.all()[0].id);
	});

	test('a POST whose connection drops after the server committed is reconciled by reference: one POST, one payout', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenDrop' });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(output?.[0].json).toMatchObject({ id: handle.sandbox.store.all()[0].id, reconciled: true });
	});

	test('a lone 429 with Retry-After: 1 asks again within the second twice at most, then waits whole seconds; then succeeds', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 1, times: 4 });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		const sent = handle.sandbox.requestsFor('initiate');
		expect(sent.map((request) => request.status)).toEqual([429, 429, 429, 429, 201]);
		const gaps = sent.slice(1).map((request, i) => request.at - sent[i].at);
		// Whole seconds round up: a place may free within the second. A server still refusing then costs one 429 a second.
		expect(gaps[0]).toBeGreaterThanOrEqual(250);
		expect(gaps[0]).toBeLessThan(1000);
		expect(gaps[1]).toBeLessThanOrEqual(1050);
		expect(gaps[2]).toBeGreaterThanOrEqual(1000);
		expect(gaps[3]).toBeGreaterThanOrEqual(1000);
		expect(output).toHaveLength(1);
		expect(handle.sandbox.store.all()).toHaveLength(1);
	});

	test('a 429 with Retry-After longer than a second is waited out whole', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 2 });
		const { error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		const [first, second] = handle.sandbox.requestsFor('initiate');
		expect([first.status, second.status]).toEqual([429, 201]);
		expect(second.at - first.at).toBeGreaterThanOrEqual(2000);
	});

	test('422 from Wistfare becomes a NodeApiError with code, per-field details and request id', async () => {
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, walletId: 'w_unknown' } });
		const [request] = handle.sandbox.requestsFor('initiate');
		expect(request.status).toBe(422);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('422');
		expect(error?.message).toBe('Wistfare: Validation failed [validation_error]');
		expect(error?.description).toContain(`${spelled('walletId')}: is not a wallet of this business`);
		expect(error?.description).toMatch(/Request id: req_\d+/);
		expect(error?.context).toMatchObject({
			code: 'validation_error',
			requestId: expect.stringMatching(/^req_\d+$/),
			details: { [spelled('walletId')]: ['is not a wallet of this business'] },
			itemIndex: 0,
		});
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
	});

	test('403 names the permission problem', async () => {
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, businessId: 'biz_forbidden' } });
		expect(error?.httpCode).toBe('403');
		expect(error?.message).toContain('permission_error');
		expect(error?.description).toContain('may not act on this business');
	});

	describe('the short Initiate answer (id, status and fees only)', () => {
		beforeAll(async () => await restartSandbox(handle, { shortInitiateAnswer: true }));
		afterAll(async () => await restartSandbox(handle, {}));

		test('still outputs the whole payout, in the node\'s names', async () => {
			const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
			expect(error).toBeUndefined();
			const [stored] = handle.sandbox.store.all();
			expect(output?.[0].json).toEqual({
				...payoutBody,
				id: stored.id,
				status: 'pending',
				feeAmount: '0',
				netAmount: '5000',
				estimatedArrival: null,
				idempotencyKey: deriveIdempotencyKey('biz_123', 'vendor_payout_001'),
			});
		});
	});

	test('an answer with no id (neither dialect): the payout is reconciled by reference, not reported as made or failed blindly', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenStatus', status: 201, body: { ok: true } });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
		expect(output?.[0].json).toMatchObject({ id: handle.sandbox.store.all()[0].id, reconciled: true });
	});

	test('an answer with no id and no payout listed: a clear error naming what was missing, one POST', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 200, times: 2 });
		handle.sandbox.clearFaults();
		// A server that answers 200 with something else and creates nothing.
		const original = handle.sandbox.initiate.bind(handle.sandbox);
		handle.sandbox.initiate = () => ({ status: 200, body: { result: 'queued' } });
		try {
			const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, ...initiateOptions({ settleSeconds: 0 }) } });
			expect(error?.message).toMatch(/^Outcome unknown for payout reference "vendor_payout_001" in row 1 \(item 0\): Wistfare did not confirm it \(Wistfare accepted the payout request but its answer has no payout id \(neither "id" nor "disbursement_id"\)\)/);
			expect(handle.sandbox.requestsFor('initiate')).toHaveLength(2);
		} finally {
			handle.sandbox.initiate = original;
		}
	});
});
