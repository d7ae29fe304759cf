import { Sandbox } from './server';

/** The sandbox itself: it must take the vendor SDKs' own requests as they send them. */
describe('sandbox in snake_case, strict: the vendor SDKs\' requests', () => {
	let sandbox: Sandbox;
	let url: string;
	beforeAll(async () => {
		sandbox = new Sandbox({ apiKeys: ['wf_test_sdk'], dialect: 'snake', strict: true, autoAdvance: false });
		url = await sandbox.start();
	});
	afterAll(async () => await sandbox.stop());

	const call = async (path: string, init: RequestInit = {}) => {
		const response = await fetch(`${url}${path}`, {
			...init,
			headers: { 'X-API-Key': 'wf_test_sdk', Accept: 'application/json', 'User-Agent': 'wistfare-python/0.1.0', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
		});
		return {
			status: response.status,
			// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the sandbox's answers, read field by field below
			body: (await response.json()) as any,
			requestId: response.headers.get('x-request-id'),
		};
	};

	test('initiate_disbursement as the Python SDK sends it: "+" in destination_ref, None fields left out', async () => {
		const body = { business_id: 'biz_123', wallet_id: 'wal_456', amount: '5000', destination_type: 'mobile_money', destination_ref: '+250781234567', reference_id: 'vendor_payout_001' };
		const created = await call('/v1/disbursements', { method: 'POST', body: JSON.stringify(body) });
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^disb_/),
			business_id: 'biz_123',
			wallet_id: 'wal_456',
			amount: '5000',
			currency: 'RWF',
			destination_type: 'mobile_money',
			destination_ref: '+250781234567',
			reference_id: 'vendor_payout_001',
			status: 'pending',
			description: null,
			created_at: expect.any(String),
			updated_at: expect.any(String),
		});
	});

	test('a list with business_id, reference_id, per_page; the snake envelope', async () => {
		const listed = await call('/v1/disbursements?business_id=biz_123&reference_id=vendor_payout_001&per_page=20&page=1');
		expect(listed.status).toBe(200);
		expect(listed.body).toMatchObject({ total: 1, page: 1, per_page: 20, has_more: false, data: [{ reference_id: 'vendor_payout_001' }] });
	});

	test('unknown names: a 422 in the documented error shape, naming each', async () => {
		const refused = await call('/v1/disbursements?businessId=biz_123&per_page=20');
		expect(refused.status).toBe(422);
		expect(refused.body).toEqual({
			error: { code: 'validation_error', message: 'Unknown fields', details: { businessId: ['is not a known field'] } },
			request_id: refused.requestId,
		});
		const missing = await call('/v1/disbursements', { method: 'POST', body: JSON.stringify({ business_id: 'biz_123' }) });
		expect(missing.status).toBe(422);
		expect(Object.keys(missing.body.error.details).sort()).toEqual(['amount', 'destination_ref', 'destination_type', 'wallet_id']);
	});
});
