import type { RequestGate } from './gate';
import type { RateLimitSignal } from './rate-limit';

/** What a request goes through: `RequestGate` alone, or a `Lane` of a gate that executions share. */
export interface Gate {
	acquire(): Promise<number>;
	release(): void;
	answered(signal?: RateLimitSignal, sentAt?: number): void;
	refused(heard: RateLimitSignal, abort?: AbortSignal, sentAt?: number): Promise<void>;
}

/**
 * One execution's way through a gate it shares with others: its own bound on requests in flight
 * (its Concurrency setting), the shared gate's pace. A request holds its place in the lane while it
 * waits for the pace, so an execution never has more than `max` requests waiting or out.
 */
export class Lane implements Gate {
	private active = 0;

	/** Requests waiting for a place, woken by `release`. */
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly shared: RequestGate,
		readonly max: number,
	) {}

	async acquire(): Promise<number> {
		// Pending in the shared gate while it waits for a place: a refused request probes only when nothing else is.
		this.shared.enter();
		while (this.active >= Math.max(1, this.max)) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.active++;
		return await this.shared.paced();
	}

	release(): void {
		this.shared.release();
		this.active = Math.max(0, this.active - 1);
		this.waiting.shift()?.();
	}

	answered(signal?: RateLimitSignal, sentAt?: number): void {
		this.shared.answered(signal, sentAt);
	}

	async refused(heard: RateLimitSignal, abort?: AbortSignal, sentAt?: number): Promise<void> {
		await this.shared.refused(heard, abort, sentAt);
	}
}
