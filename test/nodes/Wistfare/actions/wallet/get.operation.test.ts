import { runWistfare, useSandbox } from '../../../../helpers';
import { spelled } from '../../../../servers';

const handle = useSandbox();
const getWallet = (walletId = 'wal_456') => runWistfare(handle, { parameters: { resource: 'wallet', operation: 'get', walletId } });

describe('Wallet: Get', () => {
	beforeEach(() => handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 125_000 } } }));

	test('the balance, currency and state, in the documented names, and whether it pays out', async () => {
		const { output, error } = await getWallet();
		expect(error).toBeUndefined();
		expect(output!.map((item) => item.json)).toEqual([
			{ id: 'wal_456', businessId: 'biz_123', state: 'active', balance: '125000', currency: 'RWF', walletType: 'business', name: 'Payouts', paysOut: true },
		]);
		const requests = handle.sandbox.requestsFor('GET /v1/wallets');
		expect(requests[requests.length - 1].query[spelled('walletId')]).toBe('wal_456');
	});

	test('a frozen wallet does not pay out', async () => {
		handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 10, state: 'frozen' } } });
		expect((await getWallet()).output![0].json).toMatchObject({ state: 'frozen', paysOut: false });
	});

	test('a server without the endpoint (404), or with a shape the node does not know, is an error that says so', async () => {
		handle.sandbox.wallets.configure({ hide: ['wallets'] });
		expect(String((await getWallet()).error?.message)).toContain('Wallet not found');
		handle.sandbox.wallets.configure({ hide: [], shapes: { wallets: 'unknown' } });
		const { error } = await getWallet();
		expect(error?.message).toBe('Wistfare\'s answer for wallet "wal_456" is not a wallet the node can read');
	});

	test('an empty Wallet ID is refused before any request', async () => {
		const { error } = await getWallet('  ');
		expect(error?.message).toContain('Wallet ID');
		expect(handle.sandbox.requestsFor()).toEqual([]);
	});
});
