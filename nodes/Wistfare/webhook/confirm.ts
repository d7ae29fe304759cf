import type { IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asN8nError } from '../api/errors';
import { getDisbursement } from '../api/client';
import { clock } from '../api/clock';
import { REQUEST_TIMEOUT_MS } from '../api/request';
import type { Disbursement } from '../payout/types';
import type { WistfareSession } from '../api/session';
import { judge, type Scope, type Verdict } from './delivery';
import type { FiredMemory } from './memory';

/** The first look-up must answer within this, so that Wistfare gets its answer in time (senders commonly wait 5 to 30 s). */
export const FIRST_LOOK_TIMEOUT_MS = 3_000;
/** One deadline for the whole confirmation of a delivery, every look-up and wait included. */
export const CONFIRM_WITHIN_MS = 60_000;
const FIRST_WAIT_MS = 1_000;
/** After a 404, one more look this much later (a payout created a moment ago may not be readable yet); never a third. */
const NOT_FOUND_WAIT_MS = 2_000;

type Look = { payout: Disbursement } | { failure: NodeApiError };

/** One try, no retries of its own: the caller's loop decides whether and when to look again. */
async function lookUp(this: IWebhookFunctions, id: string, session: WistfareSession, timeoutMs: number): Promise<Look> {
	try {
		return { payout: await getDisbursement.call(this, id, { session, oneTry: true, timeoutMs }) };
	} catch (error) {
		if (error instanceof NodeApiError) return { failure: error };
		throw asN8nError(this.getNode(), error);
	}
}

/** How long to wait before looking again after a failed look-up; undefined: looking again cannot help. */
function waitAfterFailure(failure: NodeApiError, attempt: number): number | undefined {
	const status = Number(failure.httpCode);
	if (status === 429) return Number((failure.context as { retryAfterMs?: number }).retryAfterMs ?? FIRST_WAIT_MS);
	// No answer (a timeout, a dropped connection) or a 5xx: the server may answer the next time.
	if (!Number.isFinite(status) || status === 0 || status >= 500) {
		return (failure.context as { code?: string }).code === 'invalid_answer' ? undefined : FIRST_WAIT_MS * 2 ** attempt;
	}
	return undefined;
}

/**
 * Fetches the payout until it fires, is ruled out, or the deadline (`CONFIRM_WITHIN_MS` from the
 * start, every request included) is up. A look-up is repeated only for a reason that can still come
 * true: a 404 (once: a payout just created), a status not final yet, a 5xx, a 429 or no answer. The
 * first look is one try inside the time Wistfare waits; before any wait Wistfare gets its answer
 * (`acknowledge`), and the node looks again itself (Wistfare's own re-delivery is not documented).
 * A 403 rules the payout out (the key may not read it); a failure no look can mend (a bad key)
 * throws at once, and so does the last failure when the deadline ends the looking.
 */
export async function confirm(
	this: IWebhookFunctions,
	id: string,
	scope: Scope,
	memory: FiredMemory,
	session: WistfareSession,
	acknowledge: () => void,
): Promise<Verdict> {
	const deadline = clock.now() + CONFIRM_WITHIN_MS;
	let notFound = 0;
	for (let attempt = 0; ; attempt++) {
		const timeoutMs = Math.max(1, Math.min(attempt === 0 ? FIRST_LOOK_TIMEOUT_MS : REQUEST_TIMEOUT_MS, deadline - clock.now()));
		const look = await lookUp.call(this, id, session, timeoutMs);
		let waitMs: number | undefined;
		let last: Verdict | NodeApiError;
		if ('payout' in look) {
			last = judge(look.payout, id, scope, memory);
			if (last.fire || last.final) return last;
			waitMs = FIRST_WAIT_MS * 2 ** attempt;
		} else {
			const status = look.failure.httpCode;
			// The key may not read this payout: not one of the business's (a forged or foreign id).
			if (status === '403') return { fire: false, reason: `the credential may not read payout ${id}`, final: true };
			if (status === '404' && ++notFound > 1) return { fire: false, reason: `Wistfare has no payout ${id}`, final: true };
			waitMs = status === '404' ? NOT_FOUND_WAIT_MS : waitAfterFailure(look.failure, attempt);
			if (waitMs === undefined && look.failure.context?.code === 'invalid_answer') {
				return { fire: false, reason: `Wistfare's answer for payout ${id} is not a payout`, final: true };
			}
			if (waitMs === undefined) throw look.failure;
			last = look.failure;
		}
		if (clock.now() + waitMs >= deadline) {
			// A payout Wistfare never showed, or never with a status that fires: nothing starts.
			if (!(last instanceof NodeApiError)) return last;
			if (last.httpCode === '404') return { fire: false, reason: `Wistfare has no payout ${id}`, final: true };
			throw last;
		}
		acknowledge();
		await clock.sleep(waitMs);
	}
}
