import { estimateFee, readFeeConfig, type FeeConfig } from '../../../../nodes/Wistfare/payout/fees';

const config = (fields: Partial<FeeConfig>): FeeConfig => ({ feeModel: 'percentage', percentageRate: '0', flatAmount: 0, minFee: 0, maxFee: 0, currency: 'RWF', isActive: true, ...fields });

describe('reading a fee configuration', () => {
	test('the SDKs\' decimal strings, in the package\'s names', () => {
		expect(readFeeConfig({ feeModel: 'percentage_plus_flat', percentageRate: '1.5', flatAmount: '100', minFee: '0', maxFee: '0', currency: 'rwf', isActive: true })).toEqual(
			config({ feeModel: 'percentage_plus_flat', percentageRate: '1.5', flatAmount: 100 }),
		);
	});

	test('an answer it cannot read is no configuration at all', () => {
		expect(readFeeConfig({ pricing: '1.5' })).toBeUndefined();
		expect(readFeeConfig({ feeModel: 'flat', currency: 'RWF', flatAmount: 'a hundred' })).toBeUndefined();
	});
});

describe('estimating a fee on the safe side of every reading', () => {
	test('a rate above 1 is a percentage; 1 or less, the larger reading: a fraction', () => {
		expect(estimateFee(config({ percentageRate: '1.5' }), 10_000)).toEqual({ fee: 150, reading: 'rate 1.5 read as a percentage' });
		expect(estimateFee(config({ percentageRate: '0.015' }), 10_000)).toEqual({ fee: 150, reading: 'rate 0.015 read as a fraction' });
		// "1" could be 1 % or 100 %: the estimate takes 100 %.
		expect(estimateFee(config({ percentageRate: '1' }), 10_000).fee).toBe(10_000);
	});

	test('flat, percentage plus flat, and a model nobody defines read as both', () => {
		expect(estimateFee(config({ feeModel: 'flat', flatAmount: 250 }), 10_000).fee).toBe(250);
		expect(estimateFee(config({ feeModel: 'percentage_plus_flat', percentageRate: '2', flatAmount: 50 }), 10_000).fee).toBe(250);
		expect(estimateFee(config({ feeModel: 'mixed', percentageRate: '2', flatAmount: 50 }), 10_000)).toEqual({ fee: 250, reading: 'model "mixed" read as rate 2 read as a percentage, plus flat 50' });
	});

	test('a minimum raises it, a maximum caps it, a maximum of 0 is none; inactive is no fee', () => {
		expect(estimateFee(config({ percentageRate: '2', minFee: 500 }), 1000)).toMatchObject({ fee: 500, reading: 'rate 2 read as a percentage; minimum 500' });
		expect(estimateFee(config({ percentageRate: '2', maxFee: 100 }), 10_000).fee).toBe(100);
		expect(estimateFee(config({ percentageRate: '2', maxFee: 0 }), 10_000).fee).toBe(200);
		expect(estimateFee(config({ percentageRate: '2', isActive: false }), 10_000)).toEqual({ fee: 0, reading: 'inactive fee configuration: no fee' });
		expect(estimateFee(config({ percentageRate: '1.5' }), 333).fee).toBe(5);
	});
});

describe('fees are exact, in minor units', () => {
	test('1.1 % of 1000.00 USD is 11.00 exactly, not 11.01', () => {
		expect(estimateFee(config({ percentageRate: '1.1', currency: 'USD' }), 100_000).fee).toBe(1_100);
	});

	test('rounded up once, to a whole minor unit, from the exact product', () => {
		// 1.5 % of 3.33 USD is 4.995 cents: 5 cents.
		expect(estimateFee(config({ percentageRate: '1.5', currency: 'USD' }), 333).fee).toBe(5);
		expect(estimateFee(config({ percentageRate: '0.07', currency: 'USD' }), 1_000_000).fee).toBe(70_000);
	});

	test('flat, minimum and maximum read in the configuration\'s currency, rounded up', () => {
		expect(readFeeConfig({ feeModel: 'flat', flatAmount: '0.255', minFee: '1', maxFee: '0', currency: 'USD', percentageRate: '0' })).toMatchObject({ flatAmount: 26, minFee: 100, maxFee: 0 });
		expect(readFeeConfig({ feeModel: 'flat', flatAmount: '100.00', currency: 'RWF' })).toMatchObject({ flatAmount: 100 });
	});
});
