import fc from 'fast-check';

import { exponentOf, formatMoney, percentToFraction, timesRate, toDecimal, toMinor } from '../../../../nodes/Wistfare/payout/money';

describe('exact money in minor units', () => {
	test('each currency\'s exponent: RWF 0, KES and USD 2, KWD 3', () => {
		expect(['RWF', 'KES', 'USD', 'KWD'].map(exponentOf)).toEqual([0, 2, 2, 3]);
	});

	test('decimal strings in: exact, or rounded down (balances) or up (fees) past the minor unit', () => {
		expect(toMinor('0.10', 'USD')).toBe(10);
		expect(toMinor('5000', 'RWF')).toBe(5000);
		expect(toMinor('100000.00', 'RWF')).toBe(100_000);
		expect(toMinor('1.005', 'USD')).toBeUndefined();
		expect(toMinor('1.005', 'USD', 'down')).toBe(100);
		expect(toMinor('1.005', 'USD', 'up')).toBe(101);
		expect(toMinor(0.3, 'USD')).toBe(30);
		for (const bad of ['', ' ', '-1', '1e3', '1,000', 'abc', null, undefined, Number.NaN]) expect(toMinor(bad, 'USD')).toBeUndefined();
		expect(toMinor('99999999999999999999', 'RWF')).toBeUndefined();
	});

	test('decimal strings out, and grouped for people', () => {
		expect(toDecimal(30, 'USD')).toBe('0.30');
		expect(toDecimal(100_000, 'RWF')).toBe('100000');
		expect(formatMoney(100_000, 'RWF')).toBe('100,000');
		expect(formatMoney(100_050, 'USD')).toBe('1,000.50');
		expect(formatMoney(5, 'KWD')).toBe('0.005');
	});

	test('a rate times an amount, rounded up once from the exact product', () => {
		expect(timesRate(100_000, '0.011')).toBe(1_100);
		expect(timesRate(333, '0.015')).toBe(5);
		expect(timesRate(0, '0.5')).toBe(0);
		expect(percentToFraction('1.5')).toBe('0.015');
		expect(percentToFraction('150')).toBe('1.50');
		expect(percentToFraction('0.07')).toBe('0.0007');
	});

	test('property: a decimal with up to the currency\'s digits goes in and out unchanged, and sums are exact', () => {
		fc.assert(
			fc.property(fc.constantFrom('RWF', 'USD', 'KES', 'KWD'), fc.array(fc.integer({ min: 0, max: 10 ** 12 }), { minLength: 1, maxLength: 10 }), (currency, minors) => {
				for (const minor of minors) expect(toMinor(toDecimal(minor, currency), currency)).toBe(minor);
				const total = minors.reduce((sum, minor) => sum + minor, 0);
				expect(toMinor(toDecimal(total, currency), currency)).toBe(minors.map((minor) => toMinor(toDecimal(minor, currency), currency)!).reduce((a, b) => a + b, 0));
			}),
		);
	});
});
