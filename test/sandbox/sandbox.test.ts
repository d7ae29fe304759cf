import { Sandbox } from '../../sandbox/server';

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

/** The sandbox's webhook deliveries: what the webhook trigger's suites and the e2e rely on. */
describe('sandbox webhooks', () => {
	let sandbox: Sandbox;
	let url: string;
	let receiver: import('node:http').Server;
	let receiverUrl: string;
	const received: Array<{ at: number; body: Record<string, unknown>; query: string }> = [];
	/** The delays the sandbox waited (none for real). */
	const waits: number[] = [];
	beforeAll(async () => {
		sandbox = new Sandbox({ apiKeys: ['wf_test_sdk'], autoAdvance: false, webhooks: { sleep: async (ms: number) => void waits.push(ms) } });
		url = await sandbox.start();
		// eslint-disable-next-line @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports -- test code: a receiver the sandbox delivers to
		const http = require('node:http') as typeof import('node:http');
		receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				received.push({ at: Date.now(), body: JSON.parse(text), query: (req.url ?? '').replace(/^\/[^?]*/, '') });
				res.writeHead(200).end('{}');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as import('node:net').AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		await sandbox.stop();
		receiver.close();
	});
	beforeEach(() => {
		received.length = 0;
		sandbox.webhooks.configure({ url: receiverUrl, repeat: 1, atOnce: false, delayMs: 0, dialect: 'snake' });
	});
	const payout = (businessId = 'biz_123') =>
		sandbox.store.create({ businessId, walletId: 'wal_456', amount: '5000', destinationType: 'mobile_money', destinationRef: '250781234567', referenceId: `r-${Math.random()}` }, Date.now());

	test('a payout that completes or fails is delivered in the documented snake_case shape; other statuses are not', async () => {
		const record = payout();
		sandbox.store.setStatus(record.id, 'processing');
		sandbox.store.setStatus(record.id, 'completed');
		await sandbox.webhooks.settled();
		expect(received.map((delivery) => delivery.body)).toEqual([
			expect.objectContaining({ event: 'disbursement.completed', transaction_id: record.id, status: 'completed', amount: '5000', business_wallet_id: 'wal_456', reference_id: record.referenceId }),
		]);
	});

	test('repeats one after another or at once, late, in camelCase, and forged or foreign deliveries on request', async () => {
		const record = payout();
		sandbox.webhooks.configure({ repeat: 3, atOnce: true, dialect: 'camel' });
		sandbox.store.setStatus(record.id, 'failed');
		await sandbox.webhooks.settled();
		expect(received.map((delivery) => delivery.body.transactionId)).toEqual([record.id, record.id, record.id]);
		// At once: all three left before the first was answered.
		const log = sandbox.webhooks.log.slice(-3);
		expect(Math.max(...log.map((entry) => entry.at)) - Math.min(...log.map((entry) => entry.at))).toBeLessThan(50);

		received.length = 0;
		const other = payout('biz_other');
		const call = async (payload: Record<string, unknown>) =>
			(await (await fetch(`${url}/_sandbox/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })).json()) as { deliveries: Array<{ status: number }> };
		// A forged claim about a real payout, a foreign business's payout, and a raw body, with a query.
		await call({ id: record.id, event: 'disbursement.completed', claim: { status: 'completed', amount: '1' }, repeat: 1, atOnce: false, dialect: 'snake' });
		await call({ id: other.id, repeat: 1, atOnce: false, dialect: 'snake' });
		const answer = await call({ body: { event: 'collection.completed', transaction_id: 'col_1' }, repeat: 1, query: '?secret=x' });
		expect(answer.deliveries.map((delivery) => delivery.status)).toEqual([200]);
		expect(received.map((delivery) => [delivery.body.event, delivery.body.transaction_id, delivery.body.amount ?? null, delivery.query])).toEqual([
			['disbursement.completed', record.id, '1', ''],
			['disbursement.pending', other.id, '5000', ''],
			['collection.completed', 'col_1', null, '?secret=x'],
		]);

		received.length = 0;
		sandbox.webhooks.configure({ repeat: 1, delayMs: 150 });
		sandbox.store.setStatus(payout().id, 'completed');
		await sandbox.webhooks.settled();
		expect(waits).toEqual([150]);
		expect(received).toHaveLength(1);
	});
});
