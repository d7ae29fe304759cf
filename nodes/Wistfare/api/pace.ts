import { clock } from './clock';

/**
 * How requests to one account are paced, in five rules:
 *
 * 1. Requests go out at most `max` at a time; until the first 429 nothing else holds them, so a
 *    server that never refuses is never slowed.
 * 2. The first 429 sets the pace to what the server accepted in the second before. A later 429 cuts
 *    it to `CUT_TO` of what the server accepted in the last second (of the pace, when less: a pace
 *    far above what got through would stay above the limit) only when it is news: the request was
 *    sent after the last cut, and a request sent since was accepted. The other 429s of the same
 *    overshoot say nothing new, so one overshoot costs one cut.
 * 3. Between 429s the pace grows by `STEP_PER_SECOND` each second while it holds requests back. Past
 *    what the server last took, `QUIET_MS` without a 429 shows the limit has moved (the others sharing
 *    the account have finished): the pace then doubles every `DOUBLING_MS` until a 429 answers. Only
 *    past that level: a pace climbing fast back to the limit after its own cut would overshoot it by
 *    a window's worth of 429s each time.
 * 4. A refused request waits out its Retry-After, plus jitter so that waits do not end together,
 *    unless a request sent after the 429 is accepted first: the window is open again. When every
 *    request waits out a 429 of a second or less (whole seconds: 1 means "within a second"), one of
 *    them probes: after `PROBE_SHARE` of the wait, and, refused again, when the oldest answer of the
 *    last second leaves a one-second window (there is room then, whatever the window's kind).
 * 5. Only Retry-After is believed: it is the header the vendor names. Rate-limit headers of other
 *    names are not read: nothing says which kind of window they count.
 *
 * Executions of one key in one process share one `AccountPace`, each through an `ExecutionLimit` (its
 * own Concurrency); in other processes (queue-mode workers) each finds its share alone, the way
 * congestion control does: equal steps up and proportional cuts bring executions to equal shares.
 * Pacing decides when a request goes out, never whether it may: that is the caller's rule.
 * bench/simulation.js drives this code on a virtual clock against the sandbox's limiters.
 */

/** A cut keeps this share of what the server took: under it, with room for others to grow into. */
const CUT_TO = 0.85;
/** Growth without a 429, in requests/s each second: the same step for every execution keeps shares fair. */
const STEP_PER_SECOND = 1;
/** Past what the server last took, this long without a 429 means the limit has moved. */
const QUIET_MS = 1500;
/** Once the limit has moved, the pace doubles this often: an execution left alone finds the whole limit in seconds. */
const DOUBLING_MS = 500;
/** When everything waits, the probe asks again after this share of a Retry-After of a second or less. */
const PROBE_SHARE = 0.25;
/** Up to this share of a wait is added at random, so that refused requests do not all come back at once. */
const JITTER_SHARE = 0.05;

/** "What the server accepted in the last second": the pace is in requests per this window. */
const WINDOW_MS = 1000;

/** What a request goes through: before it is sent, and with its answer. */
export interface RequestPacing {
	/** Resolves when the request may go; returns when it went, for `answered` and `refused`. */
	acquire(): Promise<number>;
	release(): void;
	/** An answer other than 429, to a request sent at `sentAt`. */
	answered(sentAt: number): void;
	/** A 429 to a request sent at `sentAt`: resolves when it may be sent again. */
	refused(retryAfterMs: number, sentAt: number, abort?: AbortSignal): Promise<void>;
}

/** The pace of one account's requests in this process (see the rules above). */
export class AccountPace implements RequestPacing {
	/** Requests a second; Infinity until the first 429. */
	private rate = Infinity;

	private nextSendAt = 0;

	/** What the server was last seen to take in a second (at the last cut). */
	private taken = Infinity;

	/** Since when the pace has been past `taken` without a 429. */
	private pastTakenSince?: number;

	private cutAt = -Infinity;

	private acceptedSinceCut = false;

	private grownAt = 0;

	/** When the pace last held a request back: it grows only while it is what limits the sending. */
	private heldAt = -Infinity;

	private refusedAt = -Infinity;

	private probing = false;

	/** Probes sent since the last accepted answer. */
	private probes = 0;

	/** When the answers of the last second came. */
	private readonly accepted: number[] = [];

	/** Requests sent and not answered yet. */
	private inFlight = 0;

	/** Requests between asking and `release` (waiting for their place, their turn or their answer). */
	private pending = 0;

	/** Requests waiting for a place in flight, woken by `release`. */
	private readonly waiting: Array<() => void> = [];

	/** Wakes the refused requests when an answer shows the window open again. */
	private reopen?: { promise: Promise<void>; resolve: () => void };

	constructor(
		readonly max = Infinity,
		private readonly random: () => number = Math.random,
	) {}

	async acquire(): Promise<number> {
		this.enter();
		return await this.paced();
	}

	/** A request is pending from the moment it asks (an `ExecutionLimit` counts the ones waiting for its place). */
	enter(): void {
		this.pending++;
	}

	/** `acquire` for a request already `enter`ed. */
	async paced(): Promise<number> {
		for (;;) {
			const now = clock.now();
			if (this.nextSendAt > now) {
				this.heldAt = now;
				await clock.sleep(this.nextSendAt - now);
			} else if (this.inFlight < Math.max(1, this.max)) {
				this.inFlight++;
				this.nextSendAt = now + WINDOW_MS / this.rate;
				return now;
			} else await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}

	release(): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.pending = Math.max(0, this.pending - 1);
		this.waiting.shift()?.();
	}

	answered(sentAt: number): void {
		const now = clock.now();
		this.accepted.push(now);
		while (this.accepted[0] <= now - WINDOW_MS) this.accepted.shift();
		this.probes = 0;
		if (sentAt >= this.cutAt) this.acceptedSinceCut = true;
		if (this.reopen && sentAt > this.refusedAt) {
			this.reopen.resolve();
			this.reopen = undefined;
		}
		this.grow(now);
	}

	async refused(retryAfterMs: number, sentAt: number, abort?: AbortSignal): Promise<void> {
		const now = clock.now();
		this.refusedAt = now;
		// A request sent since the pace went past what the server took, refused: the limit has not moved.
		if (this.pastTakenSince !== undefined && sentAt >= this.pastTakenSince) this.pastTakenSince = undefined;
		this.cut(now, sentAt);
		const waitMs = retryAfterMs + this.random() * retryAfterMs * JITTER_SHARE;
		const probeMs = this.probeWait(now, waitMs);
		if (this.pending === 0 && !this.probing && probeMs < waitMs && retryAfterMs <= WINDOW_MS) {
			this.probing = true;
			this.probes++;
			await clock.sleep(probeMs, abort);
			this.probing = false;
			return;
		}
		this.reopen ??= deferred();
		await Promise.race([clock.sleep(waitMs, abort), this.reopen.promise]);
	}

	/**
	 * When the probe asks again: first after a quarter of the wait; refused again, when the oldest
	 * answer of the last second leaves a one-second window (there is room then, whatever its kind).
	 */
	private probeWait(now: number, waitMs: number): number {
		if (this.probes === 0) return waitMs * PROBE_SHARE;
		const oldest = this.accepted.find((at) => at > now - WINDOW_MS);
		return this.probes === 1 && oldest !== undefined ? oldest + WINDOW_MS - now : waitMs;
	}

	private grow(now: number): void {
		const elapsed = now - this.grownAt;
		this.grownAt = now;
		if (this.rate === Infinity || now - this.heldAt > WINDOW_MS) return;
		if (this.rate > this.taken) this.pastTakenSince ??= now;
		const moved = this.pastTakenSince !== undefined && now - this.pastTakenSince >= QUIET_MS;
		this.rate = moved ? this.rate * 2 ** (elapsed / DOUBLING_MS) : this.rate + (STEP_PER_SECOND * elapsed) / WINDOW_MS;
	}

	private cut(now: number, sentAt: number): void {
		const first = this.rate === Infinity;
		const counted = this.accepted.filter((at) => at > now - WINDOW_MS).length;
		// Nothing accepted in the last second (others hold the whole limit, or the answers are slow):
		// no pace can be read from it, and one of a request a second would take seconds to climb from.
		if (first && counted === 0) return;
		if (!first && (sentAt < this.cutAt || !this.acceptedSinceCut)) return;
		const accepted = Math.max(1, counted);
		// The first 429 ends a burst: what the server takes in a second is not known from it.
		this.taken = first ? 0 : accepted;
		this.pastTakenSince = first ? now : undefined;
		this.rate = first ? accepted : CUT_TO * Math.min(this.rate, accepted);
		this.grownAt = this.cutAt = now;
		this.acceptedSinceCut = false;
	}
}

/**
 * One execution's way through an `AccountPace` it shares with the other executions of its key: its
 * own bound on requests in flight (its Concurrency setting), the shared pace. A request holds its
 * place while it waits for the pace, so an execution never has more than `max` requests waiting or out.
 */
export class ExecutionLimit implements RequestPacing {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly shared: AccountPace,
		readonly max: number,
	) {}

	async acquire(): Promise<number> {
		// Pending in the shared pace while it waits for a place: a refused request probes only when nothing else is.
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

	answered(sentAt: number): void {
		this.shared.answered(sentAt);
	}

	async refused(retryAfterMs: number, sentAt: number, abort?: AbortSignal): Promise<void> {
		await this.shared.refused(retryAfterMs, sentAt, abort);
	}
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve = () => {};
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}
