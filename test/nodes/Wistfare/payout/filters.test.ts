import { matchesFilters, parseInstant } from '../../../../nodes/Wistfare/payout/filters';
import type { Disbursement } from '../../../../nodes/Wistfare/payout/types';

const payout = { id: 'd', status: 'completed', referenceId: 'r', walletId: 'w', createdAt: '2026-06-01T12:00:00.000Z' } as Disbursement;

describe('filters applied on the client too (a server may ignore any)', () => {
	test('each filter rules out what does not match', () => {
		expect(matchesFilters(payout, {})).toBe(true);
		expect(matchesFilters(payout, { status: 'failed' })).toBe(false);
		expect(matchesFilters(payout, { referenceId: 'x' })).toBe(false);
		expect(matchesFilters(payout, { walletId: 'x' })).toBe(false);
		expect(matchesFilters(payout, { fromDate: '2026-06-01T12:00:00Z', toDate: '2026-06-01T12:00:00Z' })).toBe(true);
		expect(matchesFilters(payout, { fromDate: '2026-06-01T12:00:01Z' })).toBe(false);
		expect(matchesFilters(payout, { toDate: '2026-06-01T11:59:59Z' })).toBe(false);
	});

	test('a date without a zone is read as UTC; a zone is honoured', () => {
		expect(parseInstant('2026-06-01T12:00:00')).toBe(Date.parse('2026-06-01T12:00:00Z'));
		expect(parseInstant('2026-06-01T14:00:00+02:00')).toBe(Date.parse('2026-06-01T12:00:00Z'));
		expect(parseInstant('2026-06-01')).toBe(Date.parse('2026-06-01T00:00:00Z'));
	});
});
