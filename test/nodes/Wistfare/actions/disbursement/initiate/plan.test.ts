import { deriveIdempotencyKey } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/plan';
import { checkPayoutGuard } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/guards';
import type { InitiateDisbursementParams } from '../../../../../../nodes/Wistfare/payout/types';

const params: InitiateDisbursementParams = {
	businessId: 'biz_1',
	walletId: 'wal_1',
	amount: '5000',
	destinationType: 'mobile_money',
	destinationRef: '250788000001',
	referenceId: 'ref_1',
};

test('the idempotency key: the same for the same business and reference, another for any other', () => {
	const key = deriveIdempotencyKey('biz_1', 'ref_1');
	expect(key).toMatch(/^n8n-wf-[0-9a-f]{40}$/);
	expect(deriveIdempotencyKey('biz_1', 'ref_1')).toBe(key);
	expect(deriveIdempotencyKey('biz_2', 'ref_1')).not.toBe(key);
});

test('the credential\'s guards refuse a payout before any request, naming the field', () => {
	expect(() => checkPayoutGuard({}, params)).not.toThrow();
	expect(() => checkPayoutGuard({ maxAmountPerPayout: '5000' }, params)).not.toThrow();
	expect(() => checkPayoutGuard({ maxAmountPerPayout: '4999' }, params)).toThrow("5000 is above this credential's Max Amount Per Payout (4999): payout refused");
	expect(() => checkPayoutGuard({ maxAmountPerPayout: 'lots' }, params)).toThrow('is not a positive number');
	expect(() => checkPayoutGuard({ allowedDestinationTypes: 'bank, card' }, params)).toThrow('"mobile_money" is not allowed by this credential (allowed: bank, card)');
	expect(() => checkPayoutGuard({ allowedDestinationTypes: 'bank,mobile_money' }, params)).not.toThrow();
});
