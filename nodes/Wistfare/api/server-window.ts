/** Two resets this close are the same window (a reset in whole seconds is read against our clock). */
const SAME_WINDOW_MS = 100;
/** The account's use of a window is measured over at least this long before its rate is believed ... */
const MIN_MEASURED_MS = 200;
/** ... and over at least this many requests before this execution's share of it is. */
const MIN_COUNTED = 4;
/**
 * An execution sends at least this many a window, and this many of its own with no one else's
 * between show it the window is its own: one left alone, held to a share from a crowded window,
 * would otherwise never send enough to find out. (Ten executions sending this many use half of a
 * window of 40.)
 */
const FEW = 2;
/**
 * An execution takes this much of its share of what is left: the others' `remaining` may be fresher
 * than its own (they answered since), and a part given from a stale one ends in 429s. What it leaves
 * is given again at the next answer, so an execution alone still uses the window to its last requests.
 */
const PART_MARGIN = 0.8;

interface Part {
	resetAt: number;
	left: number;
	/** Given at a reset, before an answer of the new window came. */
	carried?: boolean;
}

interface Seen {
	at: number;
	remaining: number;
	resetAt: number;
	/** This execution's answers in the window since it was first seen. */
	own: number;
}

/**
 * A server's window as one execution sees it through rate-limit headers that give what is left and
 * when it resets (a fixed window: the reset is ahead while requests remain). Every execution sharing
 * the account sees the same `remaining`; what it does not see is how many others share it. Its part
 * of the account's use since it first saw the window tells it that: its share. Left to itself, each
 * execution paced under the limit finds out only with a 429 that the others used the rest.
 *
 * - The rest of the window, `remaining`, is this execution's in proportion to its share (rounded at
 *   random, so that the executions' parts add up to what is left on average): once it has sent its
 *   part, it holds until the reset. Executions that all do so use the window to its end without a 429.
 * - What the account's rate would leave unused at the reset (others have finished) is spare: the
 *   pace may take half of it (executions that see the same spare do not all take all of it).
 */
export class ServerWindow {
	private seen?: Seen;

	/** This execution's share of the account's use in the last window measured. */
	private share?: number;

	/**
	 * The server's reset is a moment that stays put: only then is a hold until it believed. A reset
	 * given as whole seconds from now can be up to a second late.
	 */
	private resetIsExact = false;

	/** What this execution may still send before `resetAt`. */
	private part?: Part;

	/** The most a window was seen to hold, and the longest it was seen to last. */
	private size = 0;

	private length = 0;

	constructor(private readonly random: () => number) {}

	/**
	 * An answer saying `remaining` requests are left until the reset in `resetMs`, while `inFlight`
	 * other requests of this execution are out. Returns the spare rate (requests/s) the pace may add.
	 */
	answered(now: number, remaining: number, resetMs: number, inFlight: number): number {
		// A reset now or past: a sliding window or a bucket with room, whose `remaining` refills as it goes.
		if (resetMs <= 0) return 0;
		const resetAt = now + resetMs;
		this.size = Math.max(this.size, remaining + 1);
		this.length = Math.max(this.length, resetMs);
		const seen = this.seen;
		if (!seen || Math.abs(seen.resetAt - resetAt) > SAME_WINDOW_MS) {
			this.seen = { at: now, remaining, resetAt, own: 0 };
			this.giveShare(resetAt, remaining, inFlight);
			return 0;
		}
		seen.own++;
		const used = Math.max(0, seen.remaining - remaining);
		const seconds = (now - seen.at) / 1000;
		// A reset that stays put while time passes is a moment; a delay in whole seconds moves with it.
		if (Math.abs(seen.resetAt - resetAt) * 4 < now - seen.at) this.resetIsExact = true;
		// Few requests tell little, except that nobody else used any: see `FEW`.
		if (used >= MIN_COUNTED || (seen.own >= FEW && seen.own >= used)) this.share = Math.min(1, seen.own / used);
		this.giveShare(resetAt, remaining, inFlight);
		if (seconds < MIN_MEASURED_MS / 1000) return 0;
		const unused = remaining - ((used / seconds) * resetMs) / 1000;
		return unused < 1 ? 0 : ((unused / resetMs) * 1000) / 2;
	}

	/** Counts a request sent. */
	sent(now: number): void {
		const part = this.current(now);
		if (part && now < part.resetAt) part.left--;
	}

	/** Until when a request must wait now: the reset, while this execution's part is sent. */
	heldUntil(now: number): number {
		const part = this.current(now);
		return part && now < part.resetAt && part.left <= 0 ? part.resetAt : 0;
	}

	/**
	 * The part for now. At a reset every execution that held sends at once, before any answer of the
	 * new window can give it a part: until one does, it sends its share of a whole window.
	 */
	private current(now: number): Part | undefined {
		const part = this.part;
		if (!part || now < part.resetAt || part.carried || this.share === undefined) return part;
		const left = Math.max(1, Math.floor(this.size * this.share * PART_MARGIN + this.random()));
		this.part = { resetAt: part.resetAt + this.length, left, carried: true };
		return this.part;
	}

	private giveShare(resetAt: number, remaining: number, inFlight: number): void {
		if (this.share === undefined || !this.resetIsExact || remaining <= 0) return;
		const part = Math.max(FEW - (this.seen?.own ?? 0), Math.floor(remaining * this.share * PART_MARGIN + this.random()));
		this.part = { resetAt, left: part - inFlight };
	}
}
