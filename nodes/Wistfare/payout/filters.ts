import type { Disbursement, ListDisbursementsParams } from './types';

export type ListFilters = Pick<ListDisbursementsParams, 'status' | 'referenceId' | 'walletId' | 'fromDate' | 'toDate'>;

/**
 * The server may ignore a filter it does not know: every filter is applied here as well.
 * Dates compare as instants; a date without a zone is read as UTC.
 */
export function matchesFilters(disbursement: Disbursement, filters: ListFilters): boolean {
	if (filters.status && disbursement.status !== filters.status) return false;
	if (filters.referenceId && disbursement.referenceId !== filters.referenceId) return false;
	if (filters.walletId && disbursement.walletId !== filters.walletId) return false;
	const created = Date.parse(disbursement.createdAt);
	if (filters.fromDate && !(created >= parseInstant(filters.fromDate))) return false;
	if (filters.toDate && !(created <= parseInstant(filters.toDate))) return false;
	return true;
}

export function parseInstant(value: string): number {
	const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
	return Date.parse(hasZone || !value.includes('T') ? value : `${value}Z`);
}
