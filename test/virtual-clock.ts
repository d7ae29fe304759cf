/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code, never in the package: the Stop-button test needs real timers */
import type { Clock } from '../nodes/Wistfare/api/clock';

/**
 * The suite's clock: a wait moves time forward at once instead of sleeping, so backoff, settle
 * windows and status polling cost no real time. The sandbox reads the same clock, so list lag and
 * the payout lifecycle move with it. `realSleeps` makes waits real (for the Stop-button test).
 */
export const virtualClock: Clock & { offset: number; realSleeps: boolean; sleeping: number } = {
	offset: 0,
	realSleeps: false,
	/** Waits not over yet (real sleeps only): 0 once a stopped execution has let go. */
	sleeping: 0,
	now: () => Date.now() + virtualClock.offset,
	sleep: async (ms: number, signal?: AbortSignal) => {
		if (signal?.aborted || ms <= 0) return;
		if (virtualClock.realSleeps) {
			virtualClock.sleeping++;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, ms);
				signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
			});
			virtualClock.sleeping--;
			return;
		}
		virtualClock.offset += ms;
		await new Promise((resolve) => setImmediate(resolve));
	},
};
