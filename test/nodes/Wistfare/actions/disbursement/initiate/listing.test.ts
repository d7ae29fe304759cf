import { isFor } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/listing';
import type { Disbursement } from '../../../../../../nodes/Wistfare/payout/types';

// The Listing class itself (read once, kept fresh, read again when the count says so) is tested
// through Initiate under the engine: references.test.ts and safe-send.test.ts.
test('a listed payout is for a reference when the reference matches and the business does or is not said', () => {
	const payout = { referenceId: 'ref_1', businessId: 'biz_1' } as Disbursement;
	expect(isFor(payout, 'biz_1', 'ref_1')).toBe(true);
	expect(isFor(payout, 'biz_2', 'ref_1')).toBe(false);
	expect(isFor(payout, 'biz_1', 'ref_2')).toBe(false);
	expect(isFor({ referenceId: 'ref_1' } as Disbursement, 'biz_9', 'ref_1')).toBe(true);
});
