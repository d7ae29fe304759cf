import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asN8nError } from '../../../api/errors';
import { clock } from '../../../api/clock';
import { initiateDisbursement } from '../../../api/client';
import type { Disbursement } from '../../../payout/types';
import type { WistfareSession } from '../../../api/session';
import { mismatch } from '../../../payout/equivalence';
import { payoutKey, type InitiatePlan, type InitiateSettings } from './plan';
import type { RowOrder } from './batch';
import type { ReferenceBook } from './references';
import { MAX_PAY_AGAIN, referenceOutcome } from './retry';
import { rowName } from '../../../payout/row';

/** A payout request is sent at most this often, each time only after a look-up found no payout. */
export const MAX_SENDS = 2;
const FIRST_LOOKUP_GAP_MS = 1000;
const MAX_LOOKUP_GAP_MS = 5000;
/** What a user must do when a payout's outcome is unknown. */
const CHECK_BEFORE_PAYING =
	'Check the payout in Wistfare before paying this person another way. Running this item again looks the reference up first, so it does not pay twice once Wistfare lists the payout.';
/** What an output says of how its payout was had (`existingPayout`, `reconciled`), beside the payout's own fields. */
const OUTPUT_FLAGS = ['duplicate', 'reconciled'] as const;

/** What one execution's payouts share. */
export interface Batch {
	book: ReferenceBook;
	session: WistfareSession;
	settings: InitiateSettings;
	/** The payouts the executions of this key in this process are making now, by business and reference. */
	paying?: Map<string, Promise<IDataObject>>;
	/** The batch's rows decided in input order (batch.ts). */
	order?: RowOrder;
}

/** A failure after which the payout may or may not exist: no answer, a 5xx, a 409 "in progress", an answer without an id. */
export function mayHaveCreatedPayout(error: unknown): error is NodeApiError {
	if (!(error instanceof NodeApiError)) return false;
	const code = (error.context as { code?: string }).code;
	const status = Number(error.httpCode);
	return code === 'network_error' || code === 'invalid_answer' || status === 409 || status >= 500;
}

/** A strict server refused the request's spelling: it created nothing, and the dialect is now known. */
function dialectRejected(error: unknown): boolean {
	return error instanceof NodeApiError && Boolean((error.context as { dialect?: string }).dialect);
}

/**
 * One payout. Another execution of this key in this process paying the same reference now (two runs
 * of one sheet started together) is waited for, and its payout is this row's: a look-up made before
 * Wistfare lists that payout would find none, and a server that ignores the Idempotency-Key would
 * make a second. Executions on other workers are not seen (README, Paying exactly once).
 */
export async function sendSafely(this: IExecuteFunctions, plan: InitiatePlan, batch: Batch): Promise<IDataObject> {
	const { paying } = batch;
	if (!paying) return await payOnce.call(this, plan, batch);
	const key = payoutKey(plan.params);
	for (let other = paying.get(key); other; other = paying.get(key)) {
		const paid = await other.then(
			(payout) => ({ payout }),
			(error: unknown) => ({ error }),
		);
		if ('payout' in paid) return existingPayout.call(this, payoutOf(paid.payout), plan);
		// Refused, or failed before sending: this row looks the reference up and pays as usual. Sent
		// without a clear outcome: a third request would be a guess, as it would be for that execution.
		if (paid.error instanceof OutcomeUnknownError) throw otherExecutionUnknown.call(this, plan, paid.error);
	}
	// No await between the look above and this: the next execution to ask sees this one.
	const payout = payOnce.call(this, plan, batch);
	const done = () => {
		if (paying.get(key) === payout) paying.delete(key);
	};
	paying.set(key, payout);
	payout.then(done, done);
	return await payout;
}

/** What `payOnce` throws when the payout may or may not exist and nothing more may be sent. */
class OutcomeUnknownError extends NodeOperationError {}

function otherExecutionUnknown(this: IExecuteFunctions, plan: InitiatePlan, theirs: OutcomeUnknownError): NodeOperationError {
	const message = `Not sent: another execution was paying reference "${plan.params.referenceId}" at the same moment, and its outcome is unknown (${theirs.message})`;
	const error = new NodeOperationError(this.getNode(), message, { itemIndex: plan.itemIndex, description: CHECK_BEFORE_PAYING });
	// As for `payOnce`'s own: n8n swaps a message naming a network code for its own text.
	error.message = message;
	return error;
}

/** A payout as another execution output it, without what that execution said of it. */
function payoutOf(output: IDataObject): Disbursement {
	const payout = { ...output };
	for (const flag of OUTPUT_FLAGS) delete payout[flag];
	return payout as unknown as Disbursement;
}

/**
 * One payout, sent at most once for what Wistfare shows: the steps run top to bottom.
 *
 * 1. Look the reference up: an existing payout is the answer, nothing is sent.
 * 2. Send the request (same Idempotency-Key every time, though nothing relies on it).
 * 3. If the outcome is unknown, look the reference up again until the settle window has passed.
 *    Found: that is the payout. Not found, with the last look-up answered: only then send again.
 * 4. Out of sends, or a look-up that failed: "outcome unknown", saying what was checked.
 */
async function payOnce(this: IExecuteFunctions, asked: InitiatePlan, batch: Batch): Promise<IDataObject> {
	const { book, session, settings } = batch;

	// Step 1: the reference (and, to pay a failed payout again, the references derived from it);
	// then the row's turn (an earlier row that failed stops it).
	const step = await referenceStep.call(this, asked, book);
	if ('done' in step) return step.done;
	const { plan, extra } = step;
	const { params, idempotencyKey, itemIndex } = plan;
	const failedBefore = await batch.order?.turn(itemIndex);
	if (failedBefore !== undefined) throw new NodeOperationError(this.getNode(), `Not sent: ${rowName(failedBefore)} failed before it, and Continue On Fail is off`, { itemIndex });

	const checks: string[] = [];
	let lastError: NodeApiError | undefined;
	for (let send = 1; send <= MAX_SENDS; send++) {
		// Step 2: send.
		try {
			const created = await initiateDisbursement.call(this, params, {
				itemIndex,
				idempotencyKey,
				timeoutMs: settings.requestTimeoutMs,
				session,
			});
			book.remember(params.businessId, created);
			return { ...created, idempotencyKey, ...extra };
		} catch (error) {
			if (dialectRejected(error)) {
				// Nothing was created; still, the reference is looked up before the request goes again.
				const found = await book.findFresh(params.businessId, params.referenceId, clock.now(), itemIndex);
				if (found) return reconciled.call(this, found, plan);
				send--;
				continue;
			}
			if (!mayHaveCreatedPayout(error)) {
				throw asN8nError(this.getNode(), error, itemIndex);
			}
			lastError = error;
		}

		// Step 3: the outcome is unknown. Look before anything else.
		const settled = await settle.call(this, plan, batch);
		checks.push(settled.summary);
		if (settled.found) return reconciled.call(this, settled.found, plan);
		if (!settled.confirmedAbsent) break;
	}

	// Step 4: nothing more may be sent.
	const message = `Outcome unknown for payout reference "${params.referenceId}" in ${rowName(itemIndex)}: Wistfare did not confirm it (${lastError?.message ?? 'no answer'}), and ${checks.join('; then ')}`;
	const unknown = new OutcomeUnknownError(this.getNode(), message, {
		itemIndex,
		description: `Nothing more was sent. ${CHECK_BEFORE_PAYING}`,
	});
	// Set after construction: n8n swaps a message naming a network code (ECONNRESET…) for its own text.
	unknown.message = message;
	throw unknown;
}

/**
 * Step 1 of `payOnce`: an existing payout is the answer (`done`); none, the plan goes on. With "Pay
 * Again If It Failed", a reference whose payouts all failed goes on under a derived reference (retry.ts).
 */
async function referenceStep(this: IExecuteFunctions, plan: InitiatePlan, book: ReferenceBook): Promise<{ done: IDataObject } | { plan: InitiatePlan; extra: IDataObject }> {
	const outcome = await referenceOutcome(book, plan);
	if ('tooMany' in outcome) throw tooManyFailures.call(this, plan, outcome.tooMany.length);
	const extra = outcome.failedBefore ? { failedBefore: outcome.failedBefore } : {};
	if ('send' in outcome) return { plan: outcome.send, extra: outcome.failedBefore ? { ...extra, paidAgain: true } : extra };
	// A payout made again earlier (REF~2…) is this row's, whatever its details now.
	if (outcome.failedBefore) return { done: { ...outcome.existing, idempotencyKey: plan.idempotencyKey, duplicate: true, ...extra } };
	return { done: existingPayout.call(this, outcome.existing, plan) };
}

export function tooManyFailures(this: IExecuteFunctions, plan: InitiatePlan, failures: number): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Not sent: reference "${plan.params.referenceId}" was paid and failed ${failures} times`, {
		itemIndex: plan.itemIndex,
		description: `"Pay Again If It Failed" pays a reference again at most ${MAX_PAY_AGAIN} times. Check the number and the payouts in Wistfare, then use a new Reference ID.`,
	});
}

function existingPayout(this: IExecuteFunctions, existing: Disbursement, plan: InitiatePlan): IDataObject {
	const { referenceId } = plan.params;
	const difference = mismatch(existing, plan.params);
	if (difference || plan.ifReferenceExists === 'error') {
		throw new NodeOperationError(
			this.getNode(),
			`A payout with reference "${referenceId}" already exists (${existing.id}, ${existing.status})${difference ? ` with other details: ${difference}` : ''}; nothing was sent`,
			{
				itemIndex: plan.itemIndex,
				description: difference
					? 'The same reference was used for a different payout. Give each payout its own Reference ID.'
					: 'Set "If Reference Exists" to "Return Existing Payout" to get it as the output instead.',
			},
		);
	}
	return { ...existing, idempotencyKey: plan.idempotencyKey, duplicate: true };
}

function reconciled(this: IExecuteFunctions, found: Disbursement, plan: InitiatePlan): IDataObject {
	const difference = mismatch(found, plan.params);
	if (difference) {
		throw new NodeOperationError(
			this.getNode(),
			`A payout with reference "${plan.params.referenceId}" was found (${found.id}, ${found.status}) after the request went unanswered, but with other details: ${difference}; nothing more was sent`,
			{ itemIndex: plan.itemIndex, description: 'Check the payout in Wistfare: the same reference was used for a different payout.' },
		);
	}
	return { ...found, idempotencyKey: plan.idempotencyKey, reconciled: true };
}

interface Settled {
	found?: Disbursement;
	/** The last look-up was answered and showed no payout: only then may the request go again. */
	confirmedAbsent: boolean;
	summary: string;
}

/** Looks the reference up until it is found or the settle window has passed, backing off between looks. */
async function settle(this: IExecuteFunctions, plan: InitiatePlan, batch: Batch): Promise<Settled> {
	const { businessId, referenceId } = plan.params;
	const signal = this.getExecutionCancelSignal?.();
	const startedAt = clock.now();
	const deadline = startedAt + batch.settings.settleMs;
	let lookups = 0;
	let gap = FIRST_LOOKUP_GAP_MS;
	let lastFailure: string | undefined;
	for (;;) {
		lookups++;
		try {
			const found = await batch.book.findFresh(businessId, referenceId, startedAt, plan.itemIndex);
			if (found) return { found, confirmedAbsent: false, summary: `found it on look-up ${lookups}` };
			lastFailure = undefined;
		} catch (error) {
			lastFailure = (error as Error).message;
		}
		const left = deadline - clock.now();
		if (left <= 0 || signal?.aborted) break;
		await clock.sleep(Math.min(gap, left), signal);
		gap = Math.min(gap * 2, MAX_LOOKUP_GAP_MS);
	}
	const seconds = Math.round((clock.now() - startedAt) / 1000);
	if (signal?.aborted) return { confirmedAbsent: false, summary: `the execution was stopped after ${lookups} look-up(s)` };
	const over = `looked the reference up ${lookups} time${lookups === 1 ? '' : 's'} over ${seconds} s`;
	return lastFailure
		? { confirmedAbsent: false, summary: `${over}, the last look-up failed (${lastFailure})` }
		: { confirmedAbsent: true, summary: `${over}: no payout with this reference was listed` };
}
