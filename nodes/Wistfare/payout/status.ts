/**
 * Wistfare's payout statuses, defined once. Statuses the API does not document pass through
 * untouched and count as in flight: they may still change.
 */
export const DOCUMENTED_STATUSES = ['pending', 'processing', 'completed', 'failed', 'refunded'] as const;

/** No later change is expected: Wait for Final Status stops here. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'refunded']);

/** Final for the payout, yet Wistfare may still move it (to `refunded`, or anything else). */
export const MAY_CHANGE_AFTER_FINAL: ReadonlySet<string> = new Set(['completed']);

export function isDocumentedStatus(status: string): boolean {
	return (DOCUMENTED_STATUSES as readonly string[]).includes(status);
}

export function isFinal(status: string): boolean {
	return FINAL_STATUSES.has(status);
}

/** Still moving: pending, processing, or a status we do not know. */
export function isInFlight(status: string): boolean {
	return !FINAL_STATUSES.has(status);
}

/** The documented statuses as n8n options, alphabetical as n8n's linter wants. */
export const STATUS_OPTIONS = [...DOCUMENTED_STATUSES]
	.sort()
	.map((status) => ({ name: status[0].toUpperCase() + status.slice(1), value: status }));

/** The documented statuses still moving: a list can ask for them by name. */
export const DOCUMENTED_IN_FLIGHT: readonly string[] = DOCUMENTED_STATUSES.filter(isInFlight);

/** Where a completed payout can still go that a list can ask for by name (failed, refunded). */
export const DOCUMENTED_AFTER_COMPLETED: readonly string[] = DOCUMENTED_STATUSES.filter(
	(status) => isFinal(status) && !MAY_CHANGE_AFTER_FINAL.has(status),
);

/** The money went back (or never left): a day's total does not count these. Unknown statuses count. */
export const MONEY_RETURNED: ReadonlySet<string> = new Set(['failed', 'refunded']);
