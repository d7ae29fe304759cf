import { sleep } from 'n8n-workflow';

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
