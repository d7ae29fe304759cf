import { clock } from './clock';
import { waitAfter429, type RateLimitSignal } from './rate-limit';
import { ServerWindow, WINDOW_MS } from './server-window';

/** The pace is looked at this often without a 429 ... */
const TICK_MS = 250;
/** ... and grows by this many requests/s per second (the same step for every execution: fair shares) ... */
const STEP_PER_SECOND = 1;
/** ... until this long has passed without any 429, after which it grows by this share each tick: an execution left alone finds the whole limit again in a few seconds. */
const QUIET_BEFORE_CLIMBING_MS = 1500;
const CLIMB_PER_TICK = 0.4;
/** A 429 after the cut pace was tried cuts it again, to this share. */
const CUT_TO = 0.85;
/** ... or, when this execution had fewer accepted in the last second (it is sending into a full window), towards that, down to this share. */
const DEEPEST_CUT_TO = 0.7;
/** The first 429 sets the pace just under what was accepted in the second before it. */
const FIRST_PACE_SHARE = 1 / 1.03;
/** Up to this share of a wait (at most `MAX_JITTER_MS`) is added at random, so that waits do not end together. */
const JITTER_SHARE = 0.1;
const MAX_JITTER_MS = 50;
/**
 * Retry-After counts whole seconds, so its smallest answer, 1, means "within a second". When every
 * request of the execution was refused, one of them asks again after this share of that second, so
 * that the window's reopening is found within a quarter second instead of up to a second late.
 */
const PROBE_SHARE = 0.25;

/**
 * Shared by the parallel requests of one execution, or (through a `Lane` each) of the executions of
 * one key in a process. It bounds how many are in flight and paces sending to what the API shows it
 * accepts. Gates in other processes (queue-mode workers) share nothing, so each finds its share of
 * the account's limit the way congestion control does:
 *
 * - A 429: the refused request waits out Retry-After (or the reset the rate-limit headers give)
 *   plus jitter; the others go on, paced. Pausing them all would leave the next window unused by
 *   this execution. The first 429 sets the pace just under what this execution got accepted in the
 *   second before. Later, a 429 cuts the pace once per overshoot: only a request sent after the last
 *   cut, refused once the cut pace had been accepted, is news (its neighbours in the same window are
 *   not, so a full window costs one cut, not one per refused request). The cut is to 85%, or towards
 *   what was accepted in the last second when that is less, never below 70%: an execution whose
 *   requests were waiting (little accepted) does not collapse to nothing. A request sent after the
 *   429 and accepted shows the window open again: the refused requests then go at once (still
 *   paced). When several requests were refused and nothing else is left to send, one of them is that
 *   probe (only for a Retry-After of a second or less, which whole seconds round up): it asks after a
 *   quarter of that second, or sooner when the execution's oldest accepted request of the last
 *   second leaves a sliding window then. Without headers a lone refused request probes so once, and
 *   refused again before anything was accepted, waits the whole Retry-After.
 * - No 429: every quarter second the pace grows by a quarter request/s (one a second). The same
 *   small step for every execution, with cuts in proportion, brings executions sharing the limit
 *   towards fair shares. After 1.5 s without any 429 it grows by 40% a quarter second instead, so
 *   that an execution left alone (the others have finished) climbs to the whole limit in about two
 *   seconds more. Without rate-limit headers this is the only sign that the others have finished.
 * - Rate-limit headers (`ServerWindow`): the window used up (`remaining` 0) is news of the limit as
 *   a 429 is, without a request lost. Until the server showed that it refills at its reset only, it
 *   holds every request of the execution a quarter second (a bucket refills within it), and a 429
 *   to a request sent after that holds until this execution's oldest request of the last second
 *   leaves a window that slides (the reset, in whole seconds, may be most of a second later); the
 *   refused request itself, when nothing else is out, asks again then. Once the server refills at its
 *   reset only (a fixed window, shown in three windows), both hold until the reset, and each
 *   execution sends its share of what is left and then holds, so that executions sharing the account
 *   use the window to its end with few 429s; spare that the account would leave unused speeds the
 *   pace up, so an execution left alone finds the whole limit within a window. A window that refills
 *   as it goes (sliding, bucket) shows it by more left before the same reset; its reset is then set
 *   aside, and what is left says when to climb instead of time without a 429: half the window or
 *   more left (`ServerWindow.hasRoom`), up to what the window holds or 40% over what was accepted in
 *   the last second. A lone refused request there probes after a quarter second, since a place frees
 *   within the second Retry-After rounds to.
 *
 * Pacing decides when a request goes out, never whether it may: that is the caller's rule.
 */
export class RequestGate {
	private until = 0;

	private active = 0;

	/** 0: not paced (no 429 yet). */
	private intervalMs = 0;

	private nextSendAt = 0;

	private grownAt = 0;

	/** When the pace was last cut, and whether a request sent since was accepted (the cut pace was tried). */
	private cutAt = -Infinity;

	private acceptedSinceCut = false;

	/** When the last 429 came, and whether a refused request is out probing since. */
	private refusedAt = 0;

	private probing = false;

	/** A lone refused request probed since the last accepted answer: it waits the whole Retry-After if refused again. */
	private loneProbed = false;

	/** A probe went when the oldest accepted request left a sliding window, since the last accepted answer. */
	private slideProbed = false;

	/** Refused requests waiting out their 429, not counting the probe. */
	private refusedWaiting = 0;

	/** Requests between `acquire` and `release`, paced or in flight. */
	private pending = 0;

	/** Wakes the refused requests when an answer shows the window open again. */
	private reopen?: { promise: Promise<void>; resolve: () => void };

	/** The server's window, as its rate-limit headers show it. */
	private readonly window: ServerWindow;

	/** When this execution's recent requests were accepted (the last second's). */
	private readonly accepted: number[] = [];

	/** Requests waiting for a free slot, woken by `release`. */
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly max: number,
		private readonly random: () => number = Math.random,
	) {
		this.window = new ServerWindow(random);
	}

	/** Resolves when the request may go; returns when it went, for `answered`. */
	async acquire(): Promise<number> {
		this.enter();
		return await this.paced();
	}

	/** A request is pending from the moment it asks (a `Lane` counts the ones waiting for its place). */
	enter(): void {
		this.pending++;
	}

	/** `acquire` for a request already `enter`ed. */
	async paced(): Promise<number> {
		for (;;) {
			const now = clock.now();
			const wait = Math.max(this.until, this.nextSendAt, this.window.heldUntil(now)) - now;
			if (wait > 0) await clock.sleep(wait);
			else if (this.active < Math.max(1, this.max)) {
				this.active++;
				this.nextSendAt = now + this.intervalMs;
				this.window.sent(now);
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
		this.loneProbed = this.slideProbed = false;
		if (sentAt >= this.cutAt) this.acceptedSinceCut = true;
		if (this.reopen && sentAt > this.refusedAt) {
			this.reopen.resolve();
			this.reopen = undefined;
		}
		this.accepted.push(now);
		while (this.accepted[0] < now - WINDOW_MS) this.accepted.shift();
		const { remaining, resetMs } = signal;
		if (remaining !== undefined && resetMs !== undefined) {
			// No spare, and no hold, once the window showed it refills as it goes: paced as without headers.
			const spare = this.window.answered(now, remaining, resetMs, this.active, sentAt);
			if (remaining === 0 && !this.window.refills) {
				this.until = Math.max(this.until, now + this.withJitter(this.window.usedUp(now, resetMs)));
				// News of the limit as a 429 is, without a request lost: the pace is set or cut the same way,
				// and the hold is no quiet to climb on.
				this.rateLimited({}, sentAt);
				this.refusedAt = this.grownAt = this.until;
			} else if (spare > 0 && this.intervalMs > 0) this.intervalMs = WINDOW_MS / (WINDOW_MS / this.intervalMs + spare);
		}
		if (this.intervalMs > 0 && now >= this.grownAt + TICK_MS) {
			const rate = WINDOW_MS / this.intervalMs;
			const room = remaining === undefined ? undefined : this.window.hasRoom(remaining);
			const quiet = room ?? now - this.refusedAt >= QUIET_BEFORE_CLIMBING_MS;
			const climbed = quiet ? rate * (1 + CLIMB_PER_TICK) : rate + (STEP_PER_SECOND * TICK_MS) / WINDOW_MS;
			// Room in a window that refills is room now (a burst just left a sliding window): the climb on
			// it stops at what the window holds or a climb over what was accepted in the last second.
			const ceiling = room ? Math.max(rate, this.window.size, this.accepted.length * (1 + CLIMB_PER_TICK)) : Infinity;
			this.intervalMs = WINDOW_MS / Math.min(climbed, ceiling);
			this.grownAt = now;
		}
	}

	/**
	 * A 429: cuts the pace, then waits until the refused request may go again: the wait the server
	 * asked for, or less when a later request is accepted first or this request is the probe.
	 */
	async refused(heard: RateLimitSignal, abort?: AbortSignal, sentAt?: number): Promise<void> {
		// A window that refills as it goes: its reset is not believed (see `ServerWindow`).
		const signal = this.window.refills ? { retryAfterMs: heard.retryAfterMs } : heard;
		const waitMs = this.rateLimited(signal, sentAt);
		// The execution holds as long as the window is taken to be full; with nothing else out, the
		// refused request itself then asks again (the probe).
		let probeMs: number | undefined;
		if (signal.resetMs !== undefined) {
			probeMs = Math.min(waitMs, this.withJitter(this.window.refused(clock.now(), sentAt, signal.resetMs, this.accepted[0])));
			this.until = Math.max(this.until, clock.now() + probeMs);
		} else if (waitAfter429(signal) <= 1000 && (this.refusedWaiting > 0 || this.window.refills || (!this.loneProbed && this.window.size === 0))) {
			// Without a reset: when several were refused, one of them probes. A lone refused request (the
			// last of a batch) probes once when the server sends no rate-limit headers (with them, the
			// rules above hold it); refused again, before anything was accepted, it waits the whole
			// Retry-After, so that a server still refusing costs one 429 more, not one a quarter second.
			probeMs = waitMs * PROBE_SHARE;
		}
		if (probeMs !== undefined && this.pending === 0 && !this.probing) {
			if (this.refusedWaiting === 0 && !this.window.refills && signal.resetMs === undefined) this.loneProbed = true;
			this.probing = true;
			await clock.sleep(signal.resetMs === undefined ? this.slideProbe(probeMs) : probeMs, abort);
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
	 * A 429 to a request sent at `sentAt`: returns how long it waits before it goes again, and cuts
	 * the pace when the 429 is news. The first sets the pace just under what was accepted in the
	 * second before. After that, only a request sent after the last cut, refused once the cut pace
	 * had been accepted, cuts it again (to `CUT_TO` of it, or towards what was accepted, not below
	 * `DEEPEST_CUT_TO`): the others were sent before the cut, or while the window was still closed,
	 * and say nothing about the pace.
	 */
	rateLimited(signal: RateLimitSignal = {}, sentAt?: number): number {
		const now = clock.now();
		this.refusedAt = now;
		this.grownAt = now;
		const recent = this.accepted.filter((at) => at >= now - WINDOW_MS).length;
		if (this.intervalMs === 0) {
			this.cut(now, WINDOW_MS / Math.max(1, recent) / FIRST_PACE_SHARE);
		} else if (sentAt === undefined || (sentAt >= this.cutAt && this.acceptedSinceCut)) {
			const rate = WINDOW_MS / this.intervalMs;
			this.cut(now, WINDOW_MS / Math.max(1, Math.min(rate * CUT_TO, Math.max(rate * DEEPEST_CUT_TO, recent * FIRST_PACE_SHARE))));
		}
		return this.withJitter(waitAfter429(signal));
	}

	/**
	 * A probe's wait without a reset: a quarter of Retry-After finds a fixed window's new second or a
	 * bucket's token within a quarter second; a sliding window frees its first place when this
	 * execution's oldest accepted request of the last second leaves it (its answer came after the
	 * server counted it), which may come sooner. That earlier time once between accepted answers: if
	 * it is refused too (the window is fixed, or others took the place), the next oldest would follow
	 * within milliseconds, a 429 each.
	 */
	private slideProbe(probeMs: number): number {
		const now = clock.now();
		const oldest = this.accepted.find((at) => at > now - WINDOW_MS);
		if (this.slideProbed || oldest === undefined || oldest + WINDOW_MS - now >= probeMs) return probeMs;
		this.slideProbed = true;
		return oldest + WINDOW_MS - now;
	}

	private cut(now: number, intervalMs: number): void {
		this.intervalMs = intervalMs;
		this.cutAt = now;
		this.acceptedSinceCut = false;
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
