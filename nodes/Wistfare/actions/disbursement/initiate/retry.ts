import type { Disbursement } from '../../../payout/types';
import { deriveIdempotencyKey, type InitiatePlan } from './plan';
import type { ReferenceBook } from './references';

/**
 * "Pay Again If It Failed": a row whose Reference ID names only failed payouts (final) is paid again
 * under a reference derived from it, `REF~2`, then `REF~3`, each with its own Idempotency-Key. Never
 * when any of them is pending, processing, completed or anything else: that payout is the answer. A
 * re-run finds the derived payouts too, so a third run pays nobody.
 */

/** How many derived references a row may use: REF~2 to REF~10. */
export const MAX_PAY_AGAIN = 9;
const SEPARATOR = '~';

export const derivedReference = (referenceId: string, attempt: number) => `${referenceId}${SEPARATOR}${attempt}`;

/** What the look-ups decide: an existing payout to output, or the plan to pay again with. */
export type Decision = { existing: Disbursement; failed: Disbursement[] } | { payAgain: InitiatePlan; failed: Disbursement[] } | { tooMany: Disbursement[] };

/**
 * What Wistfare shows for a row's reference, the one answer Pay, Preview and the funds check use:
 * `existing`, the payout that answers the row (no request); `send`, the plan to pay with (its own,
 * or under a derived reference after failed payouts); `tooMany`, failed too often to pay again.
 */
export type ReferenceOutcome =
	| { existing: Disbursement; failedBefore?: string[] }
	| { send: InitiatePlan; failedBefore?: string[] }
	| { tooMany: Disbursement[] };

export async function referenceOutcome(book: ReferenceBook, plan: InitiatePlan): Promise<ReferenceOutcome> {
	const existing = await book.find(plan.params.businessId, plan.params.referenceId, plan.itemIndex);
	if (!existing) return { send: plan };
	if (plan.ifReferenceExists !== 'payAgainIfFailed' || existing.status !== 'failed') return { existing };
	const decision = await payAgainDecision(book, plan, existing);
	if ('tooMany' in decision) return decision;
	const failedBefore = decision.failed.map((payout) => payout.id);
	return 'existing' in decision ? { existing: decision.existing, failedBefore } : { send: decision.payAgain, failedBefore };
}

/**
 * Given the payout found under the row's own reference (failed), looks up the derived references in
 * turn: the first that is not failed is the answer; the first with no payout is the one to pay under.
 */
async function payAgainDecision(book: ReferenceBook, plan: InitiatePlan, first: Disbursement): Promise<Decision> {
	const failed = [first];
	const { businessId, referenceId } = plan.params;
	for (let attempt = 2; attempt <= MAX_PAY_AGAIN + 1; attempt++) {
		const reference = derivedReference(referenceId, attempt);
		const found = await book.find(businessId, reference, plan.itemIndex);
		if (found && found.status !== 'failed') return { existing: found, failed };
		if (found) {
			failed.push(found);
			continue;
		}
		const idempotencyKey = plan.ownIdempotencyKey ? `${plan.ownIdempotencyKey}${SEPARATOR}${attempt}` : deriveIdempotencyKey(businessId, reference);
		return { payAgain: { ...plan, params: { ...plan.params, referenceId: reference }, idempotencyKey }, failed };
	}
	return { tooMany: failed };
}
