import { clock } from './clock';

const WINDOW_MS = 1000;

/**
 * Shared by the parallel requests of one execution (never module state). It bounds how many are in
 * flight, and when Wistfare answers 429 every request waits out the same Retry-After and sending is
 * paced at the rate the API just showed it accepts (the requests sent in the second before the 429,
 * less the refused one). Pacing relaxes a little after each run of successes, to find the limit again
 * if it was raised.
 */
export class RequestGate {
	private until = 0;

	private active = 0;

	private intervalMs = 0;

	private nextSendAt = 0;

	private successes = 0;

	private readonly sent: number[] = [];

	/** Requests waiting for a free slot, woken by `release`. */
	private readonly waiting: Array<() => void> = [];

	constructor(readonly max: number) {}

	async acquire(): Promise<void> {
		for (;;) {
			const now = clock.now();
			const wait = Math.max(this.until, this.nextSendAt) - now;
			if (wait > 0) await clock.sleep(wait);
			else if (this.active < Math.max(1, this.max)) {
				this.active++;
				this.nextSendAt = now + this.intervalMs;
				this.sent.push(now);
				while (this.sent.length && this.sent[0] < now - WINDOW_MS) this.sent.shift();
				return;
			} else await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}

	release(): void {
		this.active = Math.max(0, this.active - 1);
		this.waiting.shift()?.();
	}

	succeeded(): void {
		// Each 429 costs every request a Retry-After pause, so probing for a higher limit is slow.
		if (this.intervalMs > 0 && ++this.successes >= 400) {
			this.intervalMs *= 0.98;
			this.successes = 0;
		}
	}

	rateLimited(retryAfterMs: number): void {
		const now = clock.now();
		this.until = Math.max(this.until, now + retryAfterMs);
		const accepted = Math.max(1, this.sent.filter((at) => at >= now - WINDOW_MS).length - 1);
		// The newest evidence wins: it may show a higher limit than an earlier, crowded second did.
		this.intervalMs = (WINDOW_MS / accepted) * 1.03;
		this.successes = 0;
	}
}
