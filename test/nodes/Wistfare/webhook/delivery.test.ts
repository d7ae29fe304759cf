import { judge, readDelivery, sameSecret } from '../../../../nodes/Wistfare/webhook/delivery';
import { emptyMemory, remember } from '../../../../nodes/Wistfare/webhook/memory';
import type { Disbursement } from '../../../../nodes/Wistfare/payout/types';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const payout = (overrides: Partial<Disbursement> = {}) =>
	({ id: 'disb_1', businessId: 'biz_1', walletId: 'wal_1', status: 'completed', updatedAt: new Date(NOW).toISOString(), ...overrides }) as Disbursement;
const scope = { businessId: 'biz_1', statuses: ['completed', 'failed'] };
const none = emptyMemory();
const firedAs = (key: string) => remember(none, key, NOW);

describe('readDelivery', () => {
	test('reads the payout id in either spelling, the documented transaction_id first', () => {
		expect(readDelivery({ event: 'disbursement.completed', transaction_id: 'a', id: 'b' })).toEqual({ kind: 'payout', event: 'disbursement.completed', id: 'a' });
		expect(readDelivery({ event: 'disbursement.failed', transactionId: ' c ' })).toEqual({ kind: 'payout', event: 'disbursement.failed', id: 'c' });
		expect(readDelivery({ event: 'disbursement.failed', disbursement_id: 'd' })).toMatchObject({ id: 'd' });
	});

	test('anything else is ignored, with the reason', () => {
		expect(readDelivery({ event: 'collection.completed', transaction_id: 'a' })).toEqual({ kind: 'ignored', reason: 'event "collection.completed" is not a payout outcome' });
		expect(readDelivery({ transaction_id: 'a' })).toEqual({ kind: 'ignored', reason: 'the delivery names no event' });
		expect(readDelivery({ event: 'disbursement.completed', transaction_id: 42 })).toEqual({ kind: 'ignored', reason: 'the delivery names no payout (transaction_id)' });
		expect(readDelivery([])).toMatchObject({ kind: 'ignored' });
		expect(readDelivery(null)).toMatchObject({ kind: 'ignored' });
	});
});

describe('judge', () => {
	test('fires for the configured business and a status that fires, once per payout and status', () => {
		expect(judge(payout(), 'disb_1', scope, none)).toEqual({ fire: true, key: 'disb_1:completed', payout: payout() });
		expect(judge(payout(), 'disb_1', scope, firedAs('disb_1:completed'))).toMatchObject({ fire: false, final: true });
		expect(judge(payout({ status: 'failed' }), 'disb_1', scope, firedAs('disb_1:completed'))).toMatchObject({ fire: true, key: 'disb_1:failed' });
	});

	test('closed on what it cannot see: another payout answered, no business, no wallet when one is set', () => {
		expect(judge(payout({ id: 'disb_2' }), 'disb_1', scope, none)).toEqual({ fire: false, final: true, reason: 'Wistfare answered payout disb_2 when asked for disb_1' });
		for (const businessId of [undefined, '', null]) {
			expect(judge(payout({ businessId: businessId as unknown as string }), 'disb_1', scope, none)).toMatchObject({ fire: false, final: true, reason: 'payout disb_1 as fetched names no business' });
		}
		expect(judge(payout({ walletId: undefined as unknown as string }), 'disb_1', { ...scope, walletId: 'wal_1' }, none)).toMatchObject({ fire: false, final: true, reason: 'payout disb_1 as fetched names no wallet' });
		expect(judge(payout({ walletId: undefined as unknown as string }), 'disb_1', scope, none)).toMatchObject({ fire: true });
	});

	test('another business or wallet is final; a status not final yet is worth another look, a final one is not', () => {
		expect(judge(payout({ businessId: 'biz_2' }), 'disb_1', scope, none)).toMatchObject({ fire: false, final: true });
		expect(judge(payout({ walletId: 'wal_2' }), 'disb_1', { ...scope, walletId: 'wal_1' }, none)).toMatchObject({ fire: false, final: true });
		expect(judge(payout({ status: 'processing' }), 'disb_1', scope, none)).toMatchObject({ fire: false, final: false });
		expect(judge(payout({ status: 'completed' }), 'disb_1', { ...scope, statuses: ['failed'] }, none)).toMatchObject({ fire: false, final: true });
	});

	test('an outcome older than what the memory holds is not fired, and says why', () => {
		const memory = { ...none, forgottenBefore: NOW };
		const old = payout({ updatedAt: new Date(NOW - 3600_000).toISOString() });
		expect(judge(old, 'disb_1', scope, memory)).toMatchObject({ fire: false, final: true, forgotten: true, reason: expect.stringContaining('cannot tell whether it fired then') });
		expect(judge(payout({ updatedAt: new Date(NOW + 3600_000).toISOString() }), 'disb_1', scope, memory)).toMatchObject({ fire: true });
		expect(judge(payout({ updatedAt: undefined as unknown as string, createdAt: undefined as unknown as string }), 'disb_1', scope, memory)).toMatchObject({ forgotten: true });
	});
});

test('sameSecret: equal strings only, whatever their length', () => {
	expect(sameSecret('abc', 'abc')).toBe(true);
	for (const given of ['abd', 'ab', 'abcd', '', undefined, ['abc'], 'ABC']) expect(sameSecret(given, 'abc')).toBe(false);
});
