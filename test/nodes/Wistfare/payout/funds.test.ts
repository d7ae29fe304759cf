import fc from 'fast-check';

import { allocate, batchRefusal, shareOf, type Payment, type Readings } from '../../../../nodes/Wistfare/payout/funds';
import type { FeeConfig } from '../../../../nodes/Wistfare/payout/fees';
import type { Wallet } from '../../../../nodes/Wistfare/payout/wallet';

const wallet = (id: string, balance: number | string, state = 'active', currency = 'RWF'): Wallet => ({ id, businessId: 'biz_1', state, balance: String(balance), currency, walletType: 'business', name: null });
const fee = (percentageRate: string, currency = 'RWF'): FeeConfig => ({ feeModel: 'percentage', percentageRate, flatAmount: 0, minFee: 0, maxFee: 0, currency, isActive: true });
/** `amount` in minor units of `currency` (RWF: whole francs). */
const payment = (itemIndex: number, amount: number, walletId = 'wal_1', businessId = 'biz_1', currency = 'RWF'): Payment => ({ itemIndex, businessId, walletId, amount, currency });
const day = (limit: string, spent: Record<string, number> = {}, payouts: Record<string, number> = {}) => ({ limit, spent: new Map(Object.entries(spent)), payouts: new Map(Object.entries(payouts)) });
const readings = (parts: Partial<Readings>): Readings => ({ wallets: new Map(), fees: new Map(), days: new Map(), ...parts });

describe('a payout\'s share', () => {
	test('the fee on top of the amount (the safe reading), with the reading it rests on', () => {
		expect(shareOf(payment(0, 1000), { config: fee('1.5') })).toEqual({ fee: 15, feeReading: 'rate 1.5 read as a percentage', debit: 1015 });
	});

	test('fees in another currency, or unread, are not counted, and say why', () => {
		expect(shareOf(payment(0, 1000), { config: fee('1.5', 'USD') })).toEqual({ fee: null, feeReading: 'the fee configuration is in USD, the payout in RWF', debit: 1000 });
		expect(shareOf(payment(0, 1000), { problem: 'Wistfare answered 404' })).toEqual({ fee: null, feeReading: 'Wistfare answered 404', debit: 1000 });
	});
});

describe('allocating a batch to what its wallets and businesses can cover', () => {
	test('in input order: once a payout is not covered, no later one of that wallet is, even a smaller one', () => {
		const result = allocate([payment(0, 600), payment(1, 600), payment(2, 100), payment(3, 100, 'wal_2')], readings({ wallets: new Map([['wal_1', { wallet: wallet('wal_1', 1000) }], ['wal_2', { wallet: wallet('wal_2', 100) }]]) }));
		expect([...result.refused.keys()]).toEqual([1, 2]);
		expect(result.refused.get(2)).toMatch(/^row 2 \(item 1\) before it was not covered/);
		expect(result.totals.map((totals) => [totals.walletId, totals.verdict, totals.debit])).toEqual([['wal_1', 'short', 1300], ['wal_2', 'enough', 100]]);
	});

	test('what cannot be checked is not refused, and is named once', () => {
		const result = allocate([payment(0, 600), payment(1, 600)], readings({ wallets: new Map([['wal_1', { problem: 'Wistfare answered 404' }]]), fees: new Map([['biz_1', { problem: 'no fees' }]]) }));
		expect(result.refused.size).toBe(0);
		expect(result.notChecked).toEqual(['the balance of wallet "wal_1" (Wistfare answered 404)', 'the fees of business "biz_1" (no fees): amounts were counted without fees']);
	});

	test('the day\'s limit counts today\'s payouts and the batch\'s amounts, fees aside', () => {
		const given = readings({ days: new Map([['biz_1', day('1000', { RWF: 500 }, { RWF: 2 })]]), fees: new Map([['biz_1', { config: fee('50') }]]) });
		const result = allocate([payment(0, 500), payment(1, 1)], given);
		expect([...result.refused.keys()]).toEqual([1]);
		expect(batchRefusal([payment(0, 500), payment(1, 1)], result, given)).toBe(
			'Nothing was sent: business "biz_1" may pay 1,000 RWF a day (the credential\'s Max Total Per Day): today\'s payouts add up to 500 (2 payouts) and this batch would add 501 (2 payouts)',
		);
	});

	test('property: what is kept fits every balance and limit, is a prefix of each wallet\'s payouts, and everything fits when the balance covers the total', () => {
		const batch = fc.array(fc.record({ amount: fc.integer({ min: 1, max: 5000 }), wallet: fc.constantFrom('wal_1', 'wal_2'), business: fc.constantFrom('biz_1', 'biz_2') }), { maxLength: 30 });
		fc.assert(
			fc.property(batch, fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 60_000 }), fc.constantFrom('0', '0.01', '1.5'), fc.option(fc.integer({ min: 1, max: 80_000 })), (rows, balance1, balance2, rate, limit) => {
				const payments = rows.map((row, index) => payment(index, row.amount, row.wallet, row.business));
				const balances: Record<string, number> = { wal_1: balance1, wal_2: balance2 };
				const given = readings({
					wallets: new Map(Object.entries(balances).map(([id, balance]) => [id, { wallet: wallet(id, balance) }])),
					fees: new Map(['biz_1', 'biz_2'].map((id) => [id, { config: fee(rate) }])),
					days: limit === null ? new Map() : new Map(['biz_1', 'biz_2'].map((id) => [id, day(String(limit))])),
				});
				const result = allocate(payments, given);
				const kept = payments.filter((entry) => !result.refused.has(entry.itemIndex));
				for (const id of Object.keys(balances)) {
					const debits = kept.filter((entry) => entry.walletId === id).reduce((sum, entry) => sum + result.shares.get(entry.itemIndex)!.debit, 0);
					expect(debits).toBeLessThanOrEqual(balances[id]);
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

	test('money with cents is exact: 0.10 + 0.20 USD fit a wallet holding 0.30, with the reason when they do not', () => {
		const usd = (itemIndex: number, cents: number) => payment(itemIndex, cents, 'wal_1', 'biz_1', 'USD');
		const holding = (balance: string) => readings({ wallets: new Map([['wal_1', { wallet: wallet('wal_1', balance, 'active', 'USD') }]]) });
		expect(allocate([usd(0, 10), usd(1, 20)], holding('0.30')).refused.size).toBe(0);
		const short = allocate([usd(0, 10), usd(1, 21)], holding('0.30'));
		expect([...short.refused.keys()]).toEqual([1]);
		expect(batchRefusal([usd(0, 10), usd(1, 21)], short, holding('0.30'))).toBe('Nothing was sent: wallet "wal_1" has 0.30 USD and this batch needs 0.31 USD for 2 payouts');
	});

	test('a wallet that is not active is refused whatever its currency', () => {
		const frozen = readings({ wallets: new Map([['wal_1', { wallet: wallet('wal_1', '1000000', 'frozen', 'USD') }]]) });
		const result = allocate([payment(0, 100)], frozen);
		expect(result.refused.get(0)).toBe('wallet "wal_1" is frozen, not active');
		expect(result.totals[0].verdict).toBe('inactive');
		expect(batchRefusal([payment(0, 100)], result, frozen)).toBe('Nothing was sent: wallet "wal_1" is frozen, not active (1 payout)');
	});

	test('the day\'s limit applies in each currency on its own', () => {
		const given = readings({ days: new Map([['biz_1', day('100', { USD: 9_000, RWF: 50 })]]) });
		const kept = allocate([payment(0, 50), payment(1, 1_000, 'wal_1', 'biz_1', 'USD'), payment(2, 1, 'wal_2', 'biz_1', 'USD')], given);
		// 50 + 50 RWF and 90.00 + 10.00 USD reach the limit exactly; one more cent does not fit.
		expect([...kept.refused.keys()]).toEqual([2]);
	});

	test('property: amounts with cents in a 2-decimal and a 0-decimal currency fit exactly (a balance equal to the need pays; one unit less refuses)', () => {
		const currencies = fc.constantFrom('USD', 'KES', 'RWF');
		fc.assert(
			fc.property(currencies, fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 20 }), fc.constantFrom('0', '1.1', '0.015', '2.5'), (currency, amounts, rate) => {
				const payments = amounts.map((amount, index) => payment(index, amount, 'wal_1', 'biz_1', currency));
				const fees = new Map([['biz_1', { config: fee(rate, currency) }]]);
				const need = payments.reduce((sum, entry) => sum + shareOf(entry, { config: fee(rate, currency) }).debit, 0);
				const exponent = currency === 'RWF' ? 0 : 2;
				const asDecimal = (minor: number) => (exponent ? `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}` : String(minor));
				const exact = allocate(payments, readings({ fees, wallets: new Map([['wal_1', { wallet: wallet('wal_1', asDecimal(need), 'active', currency) }]]) }));
				expect(exact.refused.size).toBe(0);
				expect(exact.totals[0]).toMatchObject({ verdict: 'enough', debit: need });
				const less = readings({ fees, wallets: new Map([['wal_1', { wallet: wallet('wal_1', asDecimal(need - 1), 'active', currency) }]]) });
				const short = allocate(payments, less);
				expect(short.refused.has(payments.length - 1)).toBe(true);
				expect(short.totals[0].verdict).toBe('short');
				expect(batchRefusal(payments, short, less)).toMatch(new RegExp(`^Nothing was sent: wallet "wal_1" has [\\d,.]+ ${currency} and this batch needs`));
			}),
			{ numRuns: 300 },
		);
	});
});
