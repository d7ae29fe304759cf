import { judge, readDelivery, remember, REMEMBER_MAX, REMEMBER_MS, sameSecret } from '../../../nodes/WistfareWebhookTrigger/delivery';
import type { Disbursement } from '../../../nodes/Wistfare/transport/types';

const payout = (overrides: Partial<Disbursement> = {}) =>
	({ id: 'disb_1', businessId: 'biz_1', walletId: 'wal_1', status: 'completed', ...overrides }) as Disbursement;
const scope = { businessId: 'biz_1', statuses: ['completed', 'failed'] };

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
		expect(judge(payout(), scope, {})).toEqual({ fire: true, key: 'disb_1:completed', payout: payout() });
		expect(judge(payout(), scope, { 'disb_1:completed': 1 })).toMatchObject({ fire: false, final: true });
		expect(judge(payout({ status: 'failed' }), scope, { 'disb_1:completed': 1 })).toMatchObject({ fire: true, key: 'disb_1:failed' });
	});

	test('another business or wallet is final; a status that does not fire (yet) is worth another look', () => {
		expect(judge(payout({ businessId: 'biz_2' }), scope, {})).toMatchObject({ fire: false, final: true });
		expect(judge(payout({ walletId: 'wal_2' }), { ...scope, walletId: 'wal_1' }, {})).toMatchObject({ fire: false, final: true });
		expect(judge(payout({ status: 'processing' }), scope, {})).toMatchObject({ fire: false, final: false });
	});
});

describe('remember', () => {
	test(`keeps ${REMEMBER_MAX} entries at most, the newest, none older than ${REMEMBER_MS / 86_400_000} days`, () => {
		const now = 10 * REMEMBER_MS;
		expect(remember({ old: now - REMEMBER_MS - 1 }, 'new', now)).toEqual({ new: now });
		const full = Object.fromEntries(Array.from({ length: REMEMBER_MAX + 10 }, (_, i) => [`k${i}`, now + i]));
		const fired = remember(full, 'new', now + REMEMBER_MAX + 10);
		expect(Object.keys(fired)).toHaveLength(REMEMBER_MAX);
		expect(fired.new).toBe(now + REMEMBER_MAX + 10);
		expect(fired[`k${REMEMBER_MAX + 9}`]).toBeDefined();
		expect(fired.k10).toBeUndefined();
		expect(fired.k11).toBeDefined();
	});
});

test('sameSecret: equal strings only, whatever their length', () => {
	expect(sameSecret('abc', 'abc')).toBe(true);
	for (const given of ['abd', 'ab', 'abcd', '', undefined, ['abc'], 'ABC']) expect(sameSecret(given, 'abc')).toBe(false);
});
