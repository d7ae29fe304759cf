import type { Disbursement } from './types';

/** What both triggers output for a payout status: the payout's fields, its previous status and the event name. */
export interface TriggerEvent extends Disbursement {
	/** The status the trigger last saw; null when it first sees the payout (and always from a webhook). */
	previousStatus: string | null;
	/** `disbursement.<status>`. */
	event: string;
}

export function toEvent(disbursement: Disbursement, previousStatus: string | null): TriggerEvent {
	return { ...disbursement, previousStatus, event: `disbursement.${disbursement.status}` };
}
