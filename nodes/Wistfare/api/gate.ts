import { clock } from './clock';
import { waitAfter429, type RateLimitSignal } from './rate-limit';

const WINDOW_MS = 1000;
/** After a 429 the pace grows by this many requests/s each second without one ... */
const STEP_PER_SECOND = 1;
/** ... and after this many such seconds the step doubles each second. */
const QUIET_SECONDS_BEFORE_DOUBLING = 1;
/** Up to this share of a wait (at most `MAX_JITTER_MS`) is added at random, so that waits do not end together. */
const JITTER_SHARE = 0.1;
const MAX_JITTER_MS = 50;
/**
 * Retry-After counts whole seconds, so its smallest answer, 1, means "within a second". When every
 * request of the execution was refused, one of them asks again after this share of that second, so
 * that the window's reopening is found within a quarter second instead of up to a second late.
 */
const PROBE_SHARE = 0.25;
/** Two resets this close are the same window (a reset in whole seconds is read against our clock). */
const SAME_WINDOW_MS = 100;
/** The account's use of a window is measured over at least this long before it is believed. */
const MIN_MEASURED_MS = 200;

/**
 * Shared by the parallel requests of one execution (never module state). It bounds how many are in
 * flight and paces sending to what the API shows it accepts. Executions share no memory (queue mode
 * runs them in other processes), so each finds its share of the account's limit the way congestion
 * control does:
 *
 * - A 429: the refused request waits out Retry-After (or the reset the rate-limit headers give)
 *   plus jitter; the others go on, at a pace cut to what this execution got accepted in the second
 *   before. Pausing them all would leave the next window unused by this execution. A request sent
 *   after the 429 and accepted shows the window open again: the refused requests then go at once
 *   (still paced). When several requests were refused and nothing else is left to send, one of them
 *   is that probe (only for a Retry-After of a second or less, which whole seconds round up); a
 *   lone refused request waits the whole Retry-After.
 * - No 429 for a second: the pace grows by one request/s. The same small step for every execution
 *   brings executions sharing the limit to fair shares (so none is left alone with a small one at
 *   the end); from the second quiet second on, the step doubles each second, so that an execution left
 *   alone climbs back to the whole limit in seconds.
 * - Headers that say the window is used up (`remaining` 0): every request waits for its reset,
 *   without a 429. Headers that say some of it is left speed the pace up to spread that over the
 *   rest of the window, so an execution left alone finds the whole limit within a window.
 *
 * Pacing decides when a request goes out, never whether it may: that is the caller's rule.
 */
export class RequestGate {
	private until = 0;

	private active = 0;

	/** 0: not paced (no 429 yet). */
	private intervalMs = 0;

	private nextSendAt = 0;

	private stepPerSecond = STEP_PER_SECOND;

	private quietSeconds = 0;

	private grownAt = 0;

	/** When the last 429 came, and whether a refused request is out probing since. */
	private refusedAt = 0;

	private probing = false;

	/** Refused requests waiting out their 429, not counting the probe. */
	private refusedWaiting = 0;

	/** Requests between `acquire` and `release`, paced or in flight. */
	private pending = 0;

	/** Wakes the refused requests when an answer shows the window open again. */
	private reopen?: { promise: Promise<void>; resolve: () => void };

	/** The server's window as this execution first saw it (with rate-limit headers). */
	private windowSeen?: { at: number; remaining: number; resetAt: number };

	/** When this execution's recent requests were accepted (the last second's). */
	private readonly accepted: number[] = [];

	/** Requests waiting for a free slot, woken by `release`. */
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly max: number,
		private readonly random: () => number = Math.random,
	) {}

	/** Resolves when the request may go; returns when it went, for `answered`. */
	async acquire(): Promise<number> {
		this.pending++;
		for (;;) {
			const now = clock.now();
			const wait = Math.max(this.until, this.nextSendAt) - now;
			if (wait > 0) await clock.sleep(wait);
			else if (this.active < Math.max(1, this.max)) {
				this.active++;
				this.nextSendAt = now + this.intervalMs;
				return now;
			} else await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}

	release(): void {
		this.active = Math.max(0, this.active - 1);
		this.pending = Math.max(0, this.pending - 1);
		this.waiting.shift()?.();
	}

	/** An answer other than 429, to a request sent at `sentAt`. */
	answered(signal: RateLimitSignal = {}, sentAt = clock.now()): void {
		const now = clock.now();
		if (this.reopen && sentAt > this.refusedAt) {
			this.reopen.resolve();
			this.reopen = undefined;
		}
		this.accepted.push(now);
		while (this.accepted[0] < now - WINDOW_MS) this.accepted.shift();
		if (signal.remaining === 0 && signal.resetMs !== undefined) {
			this.until = Math.max(this.until, now + this.withJitter(signal.resetMs));
		} else if (signal.remaining !== undefined && signal.resetMs !== undefined) {
			this.useWhatIsLeft(now, signal.remaining, signal.resetMs);
		}
		if (this.intervalMs > 0 && now >= this.grownAt + WINDOW_MS) {
			this.intervalMs = WINDOW_MS / (WINDOW_MS / this.intervalMs + this.stepPerSecond);
			if (++this.quietSeconds > QUIET_SECONDS_BEFORE_DOUBLING) this.stepPerSecond *= 2;
			this.grownAt = now;
		}
	}

	/**
	 * A 429: cuts the pace, then waits until the refused request may go again: the wait the server
	 * asked for, or less when a later request is accepted first or this request is the probe.
	 */
	async refused(signal: RateLimitSignal, abort?: AbortSignal): Promise<void> {
		const waitMs = this.rateLimited(signal);
		// A lone refused request waits the whole Retry-After; only when several of the execution's
		// requests were refused and nothing else is out does one of them probe.
		if (this.refusedWaiting > 0 && this.pending === 0 && !this.probing && signal.resetMs === undefined && waitAfter429(signal) <= 1000) {
			this.probing = true;
			await clock.sleep(waitMs * PROBE_SHARE, abort);
			this.probing = false;
			return;
		}
		this.reopen ??= deferred();
		this.refusedWaiting++;
		try {
			await Promise.race([clock.sleep(waitMs, abort), this.reopen.promise]);
		} finally {
			this.refusedWaiting--;
		}
	}

	/**
	 * The server says what is left of its window. Measured since this execution first saw the window,
	 * the account's requests (all executions') use it at some rate; what that rate would leave unused
	 * at the reset (others have finished) is spare, and the pace takes half of it: executions that
	 * see the same spare do not all take all of it.
	 */
	private useWhatIsLeft(now: number, remaining: number, resetMs: number): void {
		const resetAt = now + resetMs;
		const first = this.windowSeen;
		if (!first || Math.abs(first.resetAt - resetAt) > SAME_WINDOW_MS) {
			this.windowSeen = { at: now, remaining, resetAt };
			return;
		}
		const seconds = (now - first.at) / 1000;
		if (this.intervalMs === 0 || seconds < MIN_MEASURED_MS / 1000 || resetMs <= 0) return;
		const used = Math.max(0, first.remaining - remaining) / seconds;
		const unused = remaining - (used * resetMs) / 1000;
		if (unused < 1) return;
		const rate = WINDOW_MS / this.intervalMs + ((unused / resetMs) * 1000) / 2;
		this.intervalMs = Math.min(this.intervalMs, WINDOW_MS / rate);
	}

	/** A 429: cuts the pace; returns how long the refused request waits before it goes again. */
	rateLimited(signal: RateLimitSignal = {}): number {
		const now = clock.now();
		this.refusedAt = now;
		const recent = this.accepted.filter((at) => at >= now - WINDOW_MS).length;
		// Just under what was accepted: the newest evidence wins, higher or lower than the pace before.
		this.intervalMs = (WINDOW_MS / Math.max(1, recent)) * 1.03;
		this.stepPerSecond = STEP_PER_SECOND;
		this.quietSeconds = 0;
		this.grownAt = now;
		return this.withJitter(waitAfter429(signal));
	}

	private withJitter(waitMs: number): number {
		return waitMs + this.random() * Math.min(MAX_JITTER_MS, waitMs * JITTER_SHARE);
	}
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve = () => {};
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}
