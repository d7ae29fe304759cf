import { Sandbox } from '../../sandbox/server';

/** The sandbox's wallets and fees, as the vendor SDKs call them (snake_case, strict), over HTTP. */
describe('sandbox wallets and fees', () => {
	let sandbox: Sandbox;
	let url: string;
	beforeAll(async () => {
		sandbox = new Sandbox({ apiKeys: ['wf_test_sdk'], dialect: 'snake', strict: true, autoAdvance: false });
		url = await sandbox.start();
	});
	afterAll(async () => await sandbox.stop());
	beforeEach(() => {
		sandbox.store.reset();
		sandbox.wallets.reset();
		sandbox.wallets.configure({
			wallets: { wal_456: { businessId: 'biz_123', balance: 10_000 } },
			fees: { biz_123: { feeModel: 'percentage_plus_flat', percentageRate: '1.5', flatAmount: '100', minFee: '0', maxFee: '0' } },
		});
	});

	const call = async (path: string, body?: unknown) => {
		const response = await fetch(`${url}${path}`, {
			method: body ? 'POST' : 'GET',
			body: body ? JSON.stringify(body) : undefined,
			headers: { 'X-API-Key': 'wf_test_sdk', Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
		});
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the sandbox's answers, read field by field below
		return { status: response.status, body: (await response.json()) as any };
	};
	const pay = (amount: string, ref: string) =>
		call('/v1/disbursements', { business_id: 'biz_123', wallet_id: 'wal_456', amount, destination_type: 'mobile_money', destination_ref: '250788000001', reference_id: ref });

	test('a payout is debited with its fee on top; the answer carries the fee', async () => {
		const paid = await pay('4000', 'a');
		expect(paid.status).toBe(201);
		expect(paid.body).toMatchObject({ fee_amount: '160', net_amount: '4000' });
		expect((await call('/v1/wallets?wallet_id=wal_456')).body).toMatchObject({ id: 'wal_456', balance: '5840.00', currency: 'RWF', state: 'active', user_id: 'biz_123' });
	});

	test('a payout the wallet cannot cover is refused and not created; a failed one is given back', async () => {
		const paid = await pay('6000', 'a');
		const refused = await pay('3700', 'b');
		expect(refused.status).toBe(422);
		expect(refused.body.error.code).toBe('insufficient_funds');
		expect(sandbox.store.all()).toHaveLength(1);
		sandbox.store.setStatus(paid.body.id, 'failed');
		expect((await call('/v1/wallets?wallet_id=wal_456')).body.balance).toBe('10000.00');
	});

	test('a wallet that is not active pays nothing', async () => {
		sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 10_000, state: 'frozen' } } });
		expect((await pay('10', 'a')).body.error.message).toBe('Wallet is frozen');
	});

	test('the fee configuration, as the SDKs read it', async () => {
		expect((await call('/v1/fees/biz_123?transaction_type=disbursement')).body).toMatchObject({
			business_id: 'biz_123',
			transaction_type: 'disbursement',
			fee_model: 'percentage_plus_flat',
			percentage_rate: '1.5',
			flat_amount: '100',
			is_active: true,
		});
	});

	test('either endpoint can be hidden (404) or answer a shape the node does not know', async () => {
		sandbox.wallets.configure({ hide: ['wallets', 'fees'] });
		expect((await call('/v1/wallets?wallet_id=wal_456')).status).toBe(404);
		expect((await call('/v1/fees/biz_123?transaction_type=disbursement')).status).toBe(404);
		sandbox.wallets.configure({ hide: [], shapes: { wallets: 'list', fees: 'unknown' } });
		expect((await call('/v1/wallets?wallet_id=wal_456')).body.data[0]).toMatchObject({ wallet_type: 'business', balance: '10000.00' });
		expect((await call('/v1/fees/biz_123?transaction_type=disbursement')).body).toEqual({ pricing: '1.5' });
		expect((await call('/v1/wallets?wallet_id=wal_unknown')).status).toBe(404);
	});

	test('with the fee taken from the amount, the wallet is debited the amount only', async () => {
		sandbox.wallets.configure({ feeTakenFromAmount: true });
		expect((await pay('4000', 'a')).body).toMatchObject({ fee_amount: '160', net_amount: '3840' });
		expect((await call('/v1/wallets?wallet_id=wal_456')).body.balance).toBe('6000.00');
	});
});
