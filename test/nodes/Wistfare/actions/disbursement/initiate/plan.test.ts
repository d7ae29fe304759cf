import { deriveIdempotencyKey } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/plan';

test('the idempotency key: the same for the same business and reference, another for any other', () => {
	const key = deriveIdempotencyKey('biz_1', 'ref_1');
	expect(key).toMatch(/^n8n-wf-[0-9a-f]{40}$/);
	expect(deriveIdempotencyKey('biz_1', 'ref_1')).toBe(key);
	expect(deriveIdempotencyKey('biz_2', 'ref_1')).not.toBe(key);
});
