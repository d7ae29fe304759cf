import type { Clock } from '../nodes/Wistfare/transport/clock';

/**
 * The suite's clock: a wait moves time forward at once instead of sleeping, so backoff, settle
 * windows and status polling cost no real time. The sandbox reads the same clock, so list lag and
 * the payout lifecycle move with it. `realSleeps` makes waits real (for the Stop-button test).
 */
export const virtualClock: Clock & { offset: number; realSleeps: boolean } = {
	offset: 0,
	realSleeps: false,
	now: () => Date.now() + virtualClock.offset,
	sleep: async (ms: number, signal?: AbortSignal) => {
		if (signal?.aborted || ms <= 0) return;
		if (virtualClock.realSleeps) {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, ms);
				signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
			});
			return;
		}
		virtualClock.offset += ms;
		await new Promise((resolve) => setImmediate(resolve));
	},
};
