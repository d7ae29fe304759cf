import { sleep } from 'n8n-workflow';

/**
 * How far Wistfare's clock may be from n8n's, for every margin that compares a payout's timestamps
 * (Wistfare's clock) with n8n's: the trigger's scan floor, the webhook trigger's memory, Initiate's
 * fresh look-up. One figure: a margin too narrow misses a payout (or, in a look-up before a re-send,
 * pays one twice), while one too wide only reads a page more.
 */
export const SERVER_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Time as the package sees it. The test suite swaps this module for a virtual clock, so no test waits for real. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or at once when `signal` aborts (the execution was stopped). */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const clock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => {
		if (signal?.aborted || ms <= 0) return;
		let onAbort: (() => void) | undefined;
		const aborted = new Promise<void>((resolve) => {
			onAbort = () => resolve();
			signal?.addEventListener('abort', onAbort, { once: true });
		});
		await Promise.race([sleep(ms), aborted]);
		if (onAbort) signal?.removeEventListener('abort', onAbort);
	},
};
