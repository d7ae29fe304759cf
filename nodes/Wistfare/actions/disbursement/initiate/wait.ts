import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asN8nError } from '../../../api/errors';
import { clock } from '../../../api/clock';
import { getDisbursement } from '../../../api/client';
import { isFinal } from '../../../payout/status';
import type { Disbursement } from '../../../payout/types';
import type { RequestOptions } from '../../../api/session';

export interface WaitResult extends Disbursement {
	timedOut: boolean;
	/** The execution was stopped while waiting. */
	stopped?: boolean;
}

/**
 * Polls Get until a final status, the timeout, or the Stop button. A 404 is Wistfare's list and
 * store catching up right after creation, not an error: the wait goes on. Never an error on timeout:
 * the item says so.
 */
export async function waitForFinalStatus(
	this: IExecuteFunctions,
	disbursement: Disbursement,
	wait: { timeoutMs: number; pollIntervalMs: number },
	options: RequestOptions,
): Promise<WaitResult> {
	const signal = this.getExecutionCancelSignal?.();
	const deadline = clock.now() + wait.timeoutMs;
	let current = disbursement;
	while (!isFinal(current.status)) {
		const left = deadline - clock.now();
		if (left <= 0) return { ...current, timedOut: true };
		await clock.sleep(Math.min(wait.pollIntervalMs, left), signal);
		if (signal?.aborted) return { ...current, timedOut: false, stopped: true };
		try {
			current = { ...current, ...(await getDisbursement.call(this, current.id, options)) };
		} catch (error) {
			if (error instanceof NodeApiError && error.httpCode === '404') continue;
			throw asN8nError(this.getNode(), error, options.itemIndex);
		}
	}
	return { ...current, timedOut: false };
}
