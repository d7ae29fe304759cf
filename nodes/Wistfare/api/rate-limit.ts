import type { IDataObject } from 'n8n-workflow';

/** What an answer says about the account's rate limit. Times are delays from now, in ms. */
export interface RateLimitSignal {
	/** Requests left in the current window, when the server says. */
	remaining?: number;
	/** When the window resets, when the server says. */
	resetMs?: number;
	/** The Retry-After of a 429 (whole seconds on the wire). */
	retryAfterMs?: number;
}

/** A 429 with neither Retry-After nor a reset (the vendor's Python SDK would wait 5 s; one second is enough to ask again). */
const DEFAULT_WAIT_MS = 1000;

/** How long a 429 asks to wait. The reset states the same moment as Retry-After without its rounding up to whole seconds. */
export function waitAfter429(signal: RateLimitSignal): number {
	return signal.resetMs ?? signal.retryAfterMs ?? DEFAULT_WAIT_MS;
}

/** An epoch or delay further off than this is not believed (a server clock minutes off ours). */
const MAX_RESET_MS = 60_000;

function header(headers: IDataObject | undefined, name: string): string | undefined {
	const raw = headers?.[name];
	const value = Array.isArray(raw) ? raw[0] : raw;
	return value === undefined || value === null ? undefined : String(value).trim();
}

function number(text: string | undefined): number | undefined {
	if (text === undefined || text === '') return undefined;
	const value = Number(text);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A reset given as seconds from now, or (GitHub's way) as epoch seconds. */
function resetDelay(seconds: number | undefined, now: number): number | undefined {
	if (seconds === undefined) return undefined;
	const ms = seconds > 1e9 ? seconds * 1000 - now : seconds * 1000;
	return ms >= 0 && ms <= MAX_RESET_MS ? ms : undefined;
}

/** A parameter of the IETF `RateLimit` field, in its old (`remaining=1, reset=2`) or new (`"q";r=1;t=2`) form. */
function ietfParameter(field: string, names: string[]): number | undefined {
	for (const name of names) {
		const match = new RegExp(`(?:^|[;,\\s])${name}=("?)(\\d+(?:\\.\\d+)?)\\1`, 'i').exec(field);
		if (match) return number(match[2]);
	}
	return undefined;
}

/**
 * Reads the rate-limit headers a server may send: `Retry-After`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (delay or epoch seconds), `RateLimit-Remaining`/`RateLimit-Reset`, and the
 * IETF draft's `RateLimit` field. What is absent or not believable stays undefined.
 */
export function rateLimitSignal(headers: IDataObject | undefined, now: number): RateLimitSignal {
	const field = header(headers, 'ratelimit');
	const remaining =
		number(header(headers, 'x-ratelimit-remaining')) ??
		number(header(headers, 'ratelimit-remaining')) ??
		(field ? ietfParameter(field, ['r', 'remaining']) : undefined);
	const reset =
		resetDelay(number(header(headers, 'x-ratelimit-reset')), now) ??
		resetDelay(number(header(headers, 'ratelimit-reset')), now) ??
		resetDelay(field ? ietfParameter(field, ['t', 'reset']) : undefined, now);
	const retryAfter = number(header(headers, 'retry-after'));
	return {
		remaining,
		resetMs: reset,
		retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
	};
}
