import fc from 'fast-check';

import { allocate, batchRefusal, shareOf, type Payment, type Readings } from '../../../../nodes/Wistfare/payout/funds';
import type { FeeConfig } from '../../../../nodes/Wistfare/payout/fees';
import type { Wallet } from '../../../../nodes/Wistfare/payout/wallet';

const wallet = (id: string, balance: number, state = 'active', currency = 'RWF'): Wallet => ({ id, businessId: 'biz_1', state, balance: String(balance), currency, walletType: 'business', name: null });
const fee = (percentageRate: number, currency = 'RWF'): FeeConfig => ({ feeModel: 'percentage', percentageRate, flatAmount: 0, minFee: 0, maxFee: 0, currency, isActive: true });
const payment = (itemIndex: number, amount: number, walletId = 'wal_1', businessId = 'biz_1'): Payment => ({ itemIndex, businessId, walletId, amount, currency: 'RWF' });
const readings = (parts: Partial<Readings>): Readings => ({ wallets: new Map(), fees: new Map(), days: new Map(), ...parts });

describe('a payout\'s share', () => {
	test('the fee on top of the amount (the safe reading), with the reading it rests on', () => {
		expect(shareOf(payment(0, 1000), { config: fee(1.5) })).toEqual({ fee: 15, feeReading: 'rate 1.5 read as a percentage', debit: 1015 });
	});

	test('fees in another currency, or unread, are not counted, and say why', () => {
		expect(shareOf(payment(0, 1000), { config: fee(1.5, 'USD') })).toEqual({ fee: null, feeReading: 'the fee configuration is in USD, the payout in RWF', debit: 1000 });
		expect(shareOf(payment(0, 1000), { problem: 'Wistfare answered 404' })).toEqual({ fee: null, feeReading: 'Wistfare answered 404', debit: 1000 });
	});
});

describe('allocating a batch to what its wallets and businesses can cover', () => {
	test('in input order: once a payout is not covered, no later one of that wallet is, even a smaller one', () => {
		const result = allocate([payment(0, 600), payment(1, 600), payment(2, 100), payment(3, 100, 'wal_2')], readings({ wallets: new Map([['wal_1', { wallet: wallet('wal_1', 1000) }], ['wal_2', { wallet: wallet('wal_2', 100) }]]) }));
		expect([...result.refused.keys()]).toEqual([1, 2]);
		expect(result.refused.get(2)).toMatch(/^item 1 before it was not covered/);
		expect(result.totals.map((totals) => [totals.walletId, totals.verdict, totals.debit])).toEqual([['wal_1', 'short', 1300], ['wal_2', 'enough', 100]]);
	});

	test('what cannot be checked is not refused, and is named once', () => {
		const result = allocate([payment(0, 600), payment(1, 600)], readings({ wallets: new Map([['wal_1', { problem: 'Wistfare answered 404' }]]), fees: new Map([['biz_1', { problem: 'no fees' }]]) }));
		expect(result.refused.size).toBe(0);
		expect(result.notChecked).toEqual(['the balance of wallet "wal_1" (Wistfare answered 404)', 'the fees of business "biz_1" (no fees): amounts were counted without fees']);
	});

	test('the day\'s limit counts today\'s payouts and the batch\'s amounts, fees aside', () => {
		const day = readings({ days: new Map([['biz_1', { limit: 1000, spent: 500, payouts: 2 }]]), fees: new Map([['biz_1', { config: fee(50) }]]) });
		const result = allocate([payment(0, 500), payment(1, 1)], day);
		expect([...result.refused.keys()]).toEqual([1]);
		expect(batchRefusal([payment(0, 500), payment(1, 1)], result, day)).toBe(
			'Nothing was sent: business "biz_1" may pay 1,000 a day (the credential\'s Max Total Per Day): today\'s payouts add up to 500 (2 payouts) and this batch would add 501 (2 payouts)',
		);
	});

	test('property: what is kept fits every balance and limit, is a prefix of each wallet\'s payouts, and everything fits when the balance covers the total', () => {
		const batch = fc.array(fc.record({ amount: fc.integer({ min: 1, max: 5000 }), wallet: fc.constantFrom('wal_1', 'wal_2'), business: fc.constantFrom('biz_1', 'biz_2') }), { maxLength: 30 });
		fc.assert(
			fc.property(batch, fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 60_000 }), fc.constantFrom(0, 0.01, 1.5), fc.option(fc.integer({ min: 1, max: 80_000 })), (rows, balance1, balance2, rate, limit) => {
				const payments = rows.map((row, index) => payment(index, row.amount, row.wallet, row.business));
				const balances: Record<string, number> = { wal_1: balance1, wal_2: balance2 };
				const given = readings({
					wallets: new Map(Object.entries(balances).map(([id, balance]) => [id, { wallet: wallet(id, balance) }])),
					fees: new Map(['biz_1', 'biz_2'].map((id) => [id, { config: fee(rate) }])),
					days: limit === null ? new Map() : new Map(['biz_1', 'biz_2'].map((id) => [id, { limit, spent: 0, payouts: 0 }])),
				});
				const result = allocate(payments, given);
				const kept = payments.filter((entry) => !result.refused.has(entry.itemIndex));
				for (const id of Object.keys(balances)) {
					const debits = kept.filter((entry) => entry.walletId === id).reduce((sum, entry) => sum + result.shares.get(entry.itemIndex)!.debit, 0);
					expect(debits).toBeLessThanOrEqual(balances[id] + 1e-6);
					const own = payments.filter((entry) => entry.walletId === id);
					const firstRefused = own.findIndex((entry) => result.refused.has(entry.itemIndex));
					// (A payout refused for its business's day limit does not stop its wallet.)
					if (firstRefused >= 0 && limit === null) expect(own.slice(firstRefused).every((entry) => result.refused.has(entry.itemIndex))).toBe(true);
				}
				if (limit !== null) {
					for (const id of ['biz_1', 'biz_2']) expect(kept.filter((entry) => entry.businessId === id).reduce((sum, entry) => sum + entry.amount, 0)).toBeLessThanOrEqual(limit);
				}
				const covered = result.totals.every((totals) => totals.verdict === 'enough');
				const underLimit = limit === null || ['biz_1', 'biz_2'].every((id) => payments.filter((entry) => entry.businessId === id).reduce((sum, entry) => sum + entry.amount, 0) <= limit);
				expect(result.refused.size === 0).toBe(covered && underLimit);
			}),
			{ numRuns: 300 },
		);
	});
});
