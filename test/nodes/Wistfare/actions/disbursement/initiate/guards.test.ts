import { checkPayoutGuard, dailyLimitOf } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/guards';
import type { InitiateDisbursementParams } from '../../../../../../nodes/Wistfare/payout/types';

const params: InitiateDisbursementParams = {
	businessId: 'biz_1',
	walletId: 'wal_1',
	amount: '5000',
	destinationType: 'mobile_money',
	destinationRef: '250788000001',
	referenceId: 'ref_1',
};

test('the credential\'s guards refuse a payout before any request, naming the field', () => {
	expect(() => checkPayoutGuard({}, params)).not.toThrow();
	expect(() => checkPayoutGuard({ maxAmountPerPayout: '5000' }, params)).not.toThrow();
	expect(() => checkPayoutGuard({ maxAmountPerPayout: '4999' }, params)).toThrow("5000 RWF is above this credential's Max Amount Per Payout (4,999 RWF): payout refused");
	expect(() => checkPayoutGuard({ maxAmountPerPayout: 'lots' }, params)).toThrow('is not a positive number');
	expect(() => checkPayoutGuard({ allowedDestinationTypes: 'bank, card' }, params)).toThrow('"mobile_money" is not allowed by this credential (allowed: bank, card)');
	expect(() => checkPayoutGuard({ allowedDestinationTypes: 'bank,mobile_money' }, params)).not.toThrow();
});

test('Allowed Destinations: numbers as Destination Ref spells them, by comma or line', () => {
	expect(() => checkPayoutGuard({ allowedDestinations: '+250788000001' }, params)).not.toThrow();
	expect(() => checkPayoutGuard({ allowedDestinations: '250788000002,\n 250788000001 ' }, params)).not.toThrow();
	expect(() => checkPayoutGuard({ allowedDestinations: '250788000002' }, params)).toThrow('"250788000001" is not in this credential\'s Allowed Destinations (1 listed): payout refused');
});

test('Max Total Per Day: empty is none; anything but a positive number refuses', () => {
	expect(dailyLimitOf({})).toBeUndefined();
	expect(dailyLimitOf({ maxTotalPerDay: ' 2000000 ' })).toBe('2000000');
	expect(() => dailyLimitOf({ maxTotalPerDay: '-1' })).toThrow('Max Total Per Day "-1" is not a positive number');
	expect(() => checkPayoutGuard({ maxTotalPerDay: 'much' }, params)).toThrow('is not a positive number');
});
