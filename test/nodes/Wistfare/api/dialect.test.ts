import { dialectFromRejection, fromWire, toWire } from '../../../../nodes/Wistfare/api/dialect';
import { eventsOf, initiateParameters, newSandbox, runWistfare, seed, triggerPoller, type SandboxHandle } from '../../../helpers';

describe('dialect, pure', () => {
	test('toWire: both spellings while unknown, one when known; alike names once; empty values left out', () => {
		const params = { businessId: 'b', perPage: 5, page: 1, status: 'failed', referenceId: '' };
		expect(toWire(params, undefined)).toEqual({ businessId: 'b', business_id: 'b', perPage: 5, per_page: 5, page: 1, status: 'failed' });
		expect(toWire(params, 'snake')).toEqual({ business_id: 'b', per_page: 5, page: 1, status: 'failed' });
		expect(toWire(params, 'camel')).toEqual({ businessId: 'b', perPage: 5, page: 1, status: 'failed' });
	});

	test('fromWire: the node\'s names whatever came; unknown fields kept as sent; camelCase wins a tie; the short id', () => {
		expect(fromWire({ disbursement_id: 'd1', status: 'pending', fee_amount: '10', provider_ref: 'p' })).toEqual({
			id: 'd1',
			status: 'pending',
			feeAmount: '10',
			provider_ref: 'p',
		});
		expect(fromWire({ reference_id: 'old', referenceId: 'new', created_at: 't' })).toEqual({ referenceId: 'new', createdAt: 't' });
		expect(Object.keys(fromWire({ id: 'x', amount: '1', reference_id: 'r', status: 's' }))).toEqual(['status', 'referenceId', 'amount', 'id']);
	});

	test('dialectFromRejection: only an answer naming every name of one spelling that was sent', () => {
		const sent = ['businessId', 'referenceId', 'perPage', 'page'];
		expect(dialectFromRejection({ businessId: ['unknown'], referenceId: ['unknown'], perPage: ['unknown'] }, sent)).toBe('snake');
		expect(dialectFromRejection({ business_id: ['unknown'], reference_id: ['unknown'], per_page: ['unknown'] }, sent)).toBe('camel');
		// A real validation error naming one field is not a dialect answer.
		expect(dialectFromRejection({ per_page: ['must be at most 100'] }, sent)).toBeUndefined();
		expect(dialectFromRejection({ amount: ['must be positive'] }, sent)).toBeUndefined();
		expect(dialectFromRejection({ businessId: ['unknown'], amount: ['bad'] }, sent)).toBeUndefined();
		expect(dialectFromRejection(undefined, sent)).toBeUndefined();
	});
});

/** A started sandbox of these options, stopped after the test. */
async function withSandbox(options: Parameters<typeof newSandbox>[0], run: (handle: SandboxHandle) => Promise<void>) {
	const sandbox = newSandbox(options);
	const handle = { sandbox, url: await sandbox.start() };
	try {
		await run(handle);
	} finally {
		await sandbox.stop();
	}
}

describe('dialect, found out without ever paying twice', () => {
	test.each(['camel', 'snake'] as const)(
		'a %s server strict about bodies only: the POST refused for its spelling is sent again after a look-up, same key, one payout',
		async (dialect) => {
			await withSandbox({ dialect, strict: 'body', ignoreIdempotencyKey: true }, async (handle) => {
				const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
				expect(error).toBeUndefined();
				const requests = handle.sandbox.requests.map((request) => [request.route, request.status, request.headers['idempotency-key']]);
				const key = output?.[0].json.idempotencyKey;
				// First the funds check's readings (this server has no wallets: 404, and the batch goes on).
				expect(requests.slice(0, 2)).toEqual(
					expect.arrayContaining([
						['GET /v1/wallets', 404, undefined],
						['GET /v1/fees/:businessId', 404, undefined],
					]),
				);
				expect(requests.slice(2)).toEqual([
					['GET /v1/disbursements', 200, undefined],
					['POST /v1/disbursements', 422, key],
					['GET /v1/disbursements', 200, undefined],
					['POST /v1/disbursements', 201, key],
				]);
				expect(Object.keys(handle.sandbox.requests[5].body).some((name) => name.includes('_'))).toBe(dialect === 'snake');
				expect(handle.sandbox.store.all()).toHaveLength(1);
				expect(output?.[0].json).toMatchObject({ id: handle.sandbox.store.all()[0].id, referenceId: 'vendor_payout_001' });
			});
		},
	);

	test('the trigger keeps what a strict server taught it: one refusal at activation, none after', async () => {
		await withSandbox({ dialect: 'snake', strict: true }, async (handle) => {
			seed(handle.sandbox, 3);
			const poller = triggerPoller(handle, { businessId: 'biz_123' });
			expect(await poller.poll()).toBeNull();
			expect(handle.sandbox.rejections).toHaveLength(1);
			expect(poller.saved?.['node:Wistfare Trigger']).toMatchObject({ dialect: 'snake' });
			poller.restart();
			handle.sandbox.store.setStatus(handle.sandbox.store.all()[0].id, 'completed');
			expect(eventsOf(await poller.poll())).toEqual([expect.objectContaining({ status: 'completed', referenceId: 'ref_2' })]);
			expect(handle.sandbox.rejections).toHaveLength(1);
		});
	});

	test('a fixed dialect that is wrong for a strict server: the error says to set API Dialect to Automatic', async () => {
		await withSandbox({ dialect: 'snake', strict: true }, async (handle) => {
			const { error } = await runWistfare(handle, {
				parameters: { operation: 'list', businessId: 'biz_123', limit: 5 },
				credential: { apiDialect: 'camel' },
			});
			expect(error?.httpCode).toBe('422');
			expect(error?.description).toContain("set the credential's API Dialect to Automatic");
		});
	});

	test('a list answer in neither dialect (payouts without an id) is a clear error naming what was missing', async () => {
		await withSandbox({}, async (handle) => {
			seed(handle.sandbox, 1);
			handle.sandbox.recordAnswer = () => ({ payout: 'p1', state: 'done' });
			const { error } = await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', limit: 5 } });
			expect(error?.message).toBe('A payout in Wistfare\'s list answer has no payout id (neither "id" nor "disbursement_id")');
			expect(error?.description).toContain('Fields in the answer: payout, state');
		});
	});
});
