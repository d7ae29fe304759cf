/** The window the pace is counted over, and the shortest a server's may be. */
export const WINDOW_MS = 1000;
/** Two resets this close are the same window (a reset in whole seconds is read against our clock). */
const SAME_WINDOW_MS = 100;
/** Two resets this close are the same moment (read against our clock at two answers). */
const SAME_MOMENT_MS = 5;
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

/** A window used up (`remaining` 0) holds at least this long while it is not known to refill at its reset only ... */
const FIRST_HOLD_MS = 250;
/** ... until requests sent after it were refused before its reset in this many windows. */
const REFUSED_TO_TRUST = 3;

/**
 * How long a used-up window holds the execution, given its reset. A reset of a second or two may be a
 * one-second window's rounded up to whole seconds (X-RateLimit-Reset's epoch seconds): it holds a
 * second at most, and a 429 then says if that was too soon.
 */
export function heldFor(resetMs: number): number {
	return resetMs <= 2 * WINDOW_MS ? Math.min(resetMs, WINDOW_MS) : resetMs;
}

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
 * Once the window showed it refills at its reset only (requests sent after it was used up were
 * refused before its reset, in three windows):
 * - The rest of the window, `remaining`, is this execution's in proportion to its share (rounded at
 *   random, so that the executions' parts add up to what is left on average): once it has sent its
 *   part, it holds until the reset. Executions that all do so use the window to its end without a 429.
 * - What the account's rate would leave unused at the reset (others have finished) is spare: the
 *   pace may take half of it (executions that see the same spare do not all take all of it).
 *
 * Headers do not say which kind of window they count. A sliding window or a token bucket frees a
 * request every 1/R s, and their reset (X-RateLimit-Reset's whole epoch seconds) only says when the
 * next one is free, rounded up: most of a second late, where a hold until it, or parts of a
 * `remaining` that grows meanwhile, leave room unused (0.5–0.7 of R measured). Hence nothing is held
 * until the reset, and no part given, before the window showed it refills at its reset only. Their
 * `remaining` gives them away: it grows before the reset, which a fixed window's never does. From an
 * answer that shows so, the window is taken to refill as it goes (`refills`), and the gate paces as
 * it would without headers, but for `hasRoom`.
 */
export class ServerWindow {
	/** The server freed requests before its reset: its window headers are not believed any more. */
	refills = false;

	/**
	 * Requests sent after `remaining` 0 and refused before that window's reset, in `REFUSED_TO_TRUST`
	 * windows: the server refills at its reset only, and a used-up window holds until it. Until then
	 * it holds as `usedUp` and `refused` say, after which a request shows whether room came back (a 429, or
	 * `remaining` grown: `refills`).
	 */
	private refillsAtReset = false;

	private usedUpAt?: { at: number; resetAt: number };

	private refusedBeforeReset = 0;

	/** Since when, and until which reset, the window is known to have nothing left (an answer saying so, or a 429). */
	private full?: { at: number; resetAt: number };

	/** The last answer: a later request's, in the same window, never shows more left in a fixed one. */
	private last?: { at: number; remaining: number; resetAt: number };

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
	size = 0;

	private length = 0;

	constructor(private readonly random: () => number) {}

	/**
	 * An answer, at `now`, to a request sent at `sentAt`, saying `remaining` requests are left until
	 * the reset in `resetMs`, while `inFlight` other requests of this execution are out. Returns the
	 * spare rate (requests/s) the pace may add.
	 */
	answered(now: number, remaining: number, resetMs: number, inFlight: number, sentAt: number): number {
		const resetAt = now + resetMs;
		const last = this.last;
		this.last = { at: now, remaining, resetAt };
		if (last && sentAt >= last.at && remaining > last.remaining && Math.abs(last.resetAt - resetAt) <= SAME_MOMENT_MS) {
			this.refills = true;
			this.part = undefined;
		}
		this.size = Math.max(this.size, remaining + 1);
		// A reset now or past: a sliding window or a bucket with room, whose `remaining` refills as it goes.
		if (this.refills || resetMs <= 0) return 0;
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
		if (!this.refillsAtReset || seconds < MIN_MEASURED_MS / 1000) return 0;
		const unused = remaining - ((used / seconds) * resetMs) / 1000;
		return unused < 1 ? 0 : ((unused / resetMs) * 1000) / 2;
	}

	/**
	 * A window that refills as it goes with half of what it holds or more left: the account leaves
	 * room unused now (a fixed window's `remaining` says that only together with its reset).
	 */
	hasRoom(remaining: number): boolean | undefined {
		return this.refills ? remaining * 2 >= this.size : undefined;
	}

	/** An answer at `now` said nothing is left until the reset in `resetMs`: how long the execution holds. */
	usedUp(now: number, resetMs: number): number {
		this.usedUpAt = { at: now, resetAt: now + resetMs };
		this.knownFull(now, resetMs);
		return this.refillsAtReset ? heldFor(resetMs) : Math.min(heldFor(resetMs), FIRST_HOLD_MS);
	}

	/**
	 * A 429 at `now` to a request sent at `sentAt`, the reset in `resetMs`: how long the execution
	 * holds. Until the server showed it refills at its reset only: a quarter second (a bucket refills
	 * within it); when the request was sent after the window was known full (that quarter second gave
	 * no room back), until this execution's oldest request of the last second leaves a window that
	 * slides (`oldestAcceptedAt` + a second; the reset, in whole seconds, may be most of a second
	 * later).
	 */
	refused(now: number, sentAt: number | undefined, resetMs: number, oldestAcceptedAt?: number): number {
		const usedUp = this.usedUpAt;
		// Once a used-up window: the first after a burst may still be full in a sliding window.
		if (usedUp && sentAt !== undefined && sentAt > usedUp.at && now < usedUp.resetAt) {
			this.usedUpAt = undefined;
			if (++this.refusedBeforeReset >= REFUSED_TO_TRUST) this.refillsAtReset = true;
		}
		if (this.refillsAtReset) return heldFor(resetMs);
		const full = this.full;
		const probed = full !== undefined && sentAt !== undefined && sentAt > full.at && now < full.resetAt;
		this.knownFull(now, resetMs);
		const leaves = probed && oldestAcceptedAt !== undefined ? oldestAcceptedAt + WINDOW_MS - now : 0;
		return Math.min(heldFor(resetMs), Math.max(FIRST_HOLD_MS, leaves));
	}

	/** The window is full now, until the reset in `resetMs`: kept from the first sign in the window. */
	private knownFull(now: number, resetMs: number): void {
		if (!this.full || now >= this.full.resetAt) this.full = { at: now, resetAt: now + resetMs };
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
		if (this.share === undefined || !this.resetIsExact || !this.refillsAtReset || remaining <= 0) return;
		const part = Math.max(FEW - (this.seen?.own ?? 0), Math.floor(remaining * this.share * PART_MARGIN + this.random()));
		this.part = { resetAt, left: part - inFlight };
	}
}
