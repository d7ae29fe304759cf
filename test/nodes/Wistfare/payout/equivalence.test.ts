import { canonicalAmount, canonicalCurrency, canonicalDestination, mismatch } from '../../../../nodes/Wistfare/payout/equivalence';
import type { Disbursement, InitiateDisbursementParams } from '../../../../nodes/Wistfare/payout/types';

const asked: InitiateDisbursementParams = {
	businessId: 'biz_1',
	walletId: 'wal_1',
	amount: '5000',
	destinationType: 'mobile_money',
	destinationRef: '250788000001',
	referenceId: 'ref_1',
};

describe('what counts as the same payout', () => {
	test('amounts in any spelling of one decimal', () => {
		for (const spelling of ['5000', '5000.00', 5000, '05000.0', '+5000']) expect(canonicalAmount(spelling)).toBe('5000');
		expect(canonicalAmount('0.50')).toBe('0.5');
		expect(canonicalAmount('')).toBe('0');
		expect(canonicalAmount('12abc')).toBe('12abc');
	});

	test('a phone with or without its plus; a missing currency is the default', () => {
		expect(canonicalDestination(' +250788000001 ')).toBe('250788000001');
		expect(canonicalCurrency(undefined)).toBe('RWF');
		expect(canonicalCurrency(' rwf ')).toBe('RWF');
	});

	test('mismatch names each difference, and holds nothing the server did not send against it', () => {
		expect(mismatch({ amount: '5000.00', destinationRef: '+250788000001', currency: undefined } as Partial<Disbursement>, asked)).toBeUndefined();
		expect(mismatch({}, asked)).toBeUndefined();
		expect(mismatch({ amount: '4000', walletId: 'wal_2', currency: 'USD' } as Partial<Disbursement>, asked)).toBe(
			'Amount 4000 (asked 5000), Wallet ID wal_2 (asked wal_1), Currency USD (asked RWF)',
		);
	});
});
