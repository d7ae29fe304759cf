'use strict';
// How the sandbox counts its rate limit (shared/wistfare-api.md: a real server may count however it
// likes). Three kinds, as real APIs do:
// - 'fixed': windows of whole seconds; every request counts, refused ones too (the sandbox's first kind);
// - 'sliding': the requests accepted in the last 1,000 ms, whatever the second boundaries;
// - 'bucket': a token bucket holding `burst` tokens, refilled at `refill` tokens a second; a request
//   takes one token or is refused.
// A refusal's Retry-After is whole seconds: the wait until a request would pass, rounded up, at least 1.

/** @typedef {'fixed' | 'sliding' | 'bucket'} LimiterKind */
const LIMITER_KINDS = ['fixed', 'sliding', 'bucket'];

class Limiter {
	/** @param {{ rate: number, kind?: LimiterKind, burst?: number, refill?: number }} options */
	constructor({ rate, kind = 'fixed', burst, refill }) {
		if (!LIMITER_KINDS.includes(kind)) throw new Error(`unknown rate limiter "${kind}": ${LIMITER_KINDS.join(', ')}`);
		this.rate = rate;
		this.kind = kind;
		this.burst = burst ?? rate;
		this.refill = refill ?? rate;
		this.window = { second: 0, count: 0 };
		/** @type {number[]} */
		this.accepted = [];
		this.tokens = this.burst;
		/** @type {number | undefined} */
		this.filledAt = undefined;
	}

	reset() {
		this.window = { second: 0, count: 0 };
		/** @type {number[]} */
		this.accepted = [];
		this.tokens = this.burst;
		this.filledAt = undefined;
	}

	/**
	 * Counts one request at `now` (ms).
	 * @returns {{ allowed: boolean, limit: number, remaining: number, resetMs: number, retryAfter: number }}
	 */
	take(now) {
		const verdict = this.kind === 'sliding' ? this.slide(now) : this.kind === 'bucket' ? this.drip(now) : this.fix(now);
		return { ...verdict, limit: this.kind === 'bucket' ? this.burst : this.rate, retryAfter: Math.max(1, Math.ceil(verdict.resetMs / 1000)) };
	}

	fix(now) {
		const second = Math.floor(now / 1000);
		if (this.window.second !== second) this.window = { second, count: 0 };
		this.window.count += 1;
		return { allowed: this.window.count <= this.rate, remaining: Math.max(0, this.rate - this.window.count), resetMs: (second + 1) * 1000 - now };
	}

	slide(now) {
		while (this.accepted.length && (this.accepted[0] ?? now) <= now - 1000) this.accepted.shift();
		const allowed = this.accepted.length < this.rate;
		if (allowed) this.accepted.push(now);
		const full = this.accepted.length >= this.rate;
		const oldest = this.accepted[0] ?? now;
		return { allowed, remaining: this.rate - this.accepted.length, resetMs: full ? oldest + 1000 - now : 0 };
	}

	drip(now) {
		if (this.filledAt !== undefined) this.tokens = Math.min(this.burst, this.tokens + ((now - this.filledAt) * this.refill) / 1000);
		this.filledAt = now;
		const allowed = this.tokens >= 1;
		if (allowed) this.tokens -= 1;
		const resetMs = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.refill);
		return { allowed, remaining: Math.floor(this.tokens), resetMs };
	}
}

/**
 * The headers an answer carries for a verdict of `take` at `now`: Retry-After on a refusal, and the
 * window as `style` tells it: 'x' as `X-RateLimit-Limit/-Remaining/-Reset` (epoch seconds, as
 * GitHub), 'ietf' as the IETF draft's `RateLimit` and `RateLimit-Policy`, false: neither.
 * @param {ReturnType<Limiter['take']>} verdict
 * @param {number} now
 * @param {false | 'x' | 'ietf'} style
 * @returns {Record<string, string>}
 */
function rateLimitHeaders(verdict, now, style) {
	/** @type {Record<string, string>} */
	const headers = verdict.allowed ? {} : { 'retry-after': String(verdict.retryAfter) };
	if (style === 'x') {
		headers['x-ratelimit-limit'] = String(verdict.limit);
		headers['x-ratelimit-remaining'] = String(verdict.remaining);
		headers['x-ratelimit-reset'] = String(Math.ceil((now + verdict.resetMs) / 1000));
	} else if (style === 'ietf') {
		headers['ratelimit-policy'] = `"default";q=${verdict.limit};w=1`;
		headers.ratelimit = `"default";r=${verdict.remaining};t=${Math.ceil(verdict.resetMs / 1000)}`;
	}
	return headers;
}

module.exports = { Limiter, LIMITER_KINDS, rateLimitHeaders };
