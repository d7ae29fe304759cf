import { sleep } from 'n8n-workflow';

/**
 * Shared by the parallel requests of one execution (never module state): when Wistfare answers 429
 * every request waits out the same Retry-After, and the number in flight halves, then grows back by
 * one after a run of successes, so parallel requests settle just under the API's rate limit.
 */
export class RequestGate {
	private until = 0;

	private active = 0;

	private limit: number;

	private successes = 0;

	constructor(readonly max: number) {
		this.limit = Math.max(1, max);
	}

	get inFlightLimit(): number {
		return this.limit;
	}

	async acquire(): Promise<void> {
		for (;;) {
			const wait = this.until - Date.now();
			if (wait > 0) await sleep(wait);
			else if (this.active < this.limit) {
				this.active++;
				return;
			} else await sleep(5);
		}
	}

	release(): void {
		this.active = Math.max(0, this.active - 1);
	}

	succeeded(): void {
		if (++this.successes >= this.limit * 8 && this.limit < this.max) {
			this.limit++;
			this.successes = 0;
		}
	}

	rateLimited(retryAfterMs: number): void {
		this.until = Math.max(this.until, Date.now() + retryAfterMs);
		this.limit = Math.max(1, Math.floor(this.limit / 2));
		this.successes = 0;
	}
}
