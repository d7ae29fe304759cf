import { balanceOf, readWallet } from '../../../../nodes/Wistfare/payout/wallet';

test('a wallet as the SDKs answer it, in the package\'s names', () => {
	const wallet = readWallet({ id: 'wal_1', userId: 'biz_1', state: 'active', balance: '125000.00', currency: 'rwf', walletType: 'business', kycTier: 't2' }, 'wal_1');
	expect(wallet).toEqual({ id: 'wal_1', businessId: 'biz_1', state: 'active', balance: '125000', currency: 'RWF', walletType: 'business', name: null });
	expect(balanceOf(wallet!)).toBe(125000);
	expect(readWallet({ data: [{ id: 'wal_1', state: 'frozen', balance: 5, currency: 'RWF' }] }, 'wal_1')).toMatchObject({ state: 'frozen', balance: '5' });
	// Shown in the currency's own form: RWF without decimals, USD with cents.
	expect(readWallet({ id: 'wal_1', state: 'active', balance: '12.5', currency: 'usd' }, 'wal_1')).toMatchObject({ balance: '12.50', currency: 'USD' });
});

test('what is not a wallet the node can rely on is none', () => {
	expect(readWallet({ wallet: 'wal_1', funds: 10 }, 'wal_1')).toBeUndefined();
	expect(readWallet({ id: 'wal_2', state: 'active', balance: '1', currency: 'RWF' }, 'wal_1')).toBeUndefined();
	expect(readWallet({ id: 'wal_1', state: 'active', balance: 'lots', currency: 'RWF' }, 'wal_1')).toBeUndefined();
	expect(readWallet({ id: 'wal_1', balance: '1', currency: 'RWF' }, 'wal_1')).toBeUndefined();
});
