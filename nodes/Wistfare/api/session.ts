import type { WistfareCredentials } from './credentials';
import type { Dialect } from './dialect';
import type { RequestPacing } from './pace';

export interface RequestOptions {
	/** For errors: which input item the request was made for. */
	itemIndex?: number;
	/** Sent as `Idempotency-Key` (a server may ignore it: nothing relies on it). */
	idempotencyKey?: string;
	/** How long to wait for an answer; default 30 s. */
	timeoutMs?: number;
	/** One try: no retry of a 5xx, a lost answer or a 429 (the caller has its own plan). */
	oneTry?: boolean;
	/** What the requests of one execution (or one poll) share. */
	session?: WistfareSession;
}

/** Per execution or poll: what the server has shown, and the pace its requests go through. */
export interface WistfareSession {
	/** The dialect the server has shown it speaks; undefined while unknown. */
	dialect?: Dialect;
	/** Bounded concurrency and one pace under the rate limit (shared by Initiate's executions of one key in a process). */
	pacing?: RequestPacing;
	/** The credential as checked by the first request: read once per execution. */
	credentials?: WistfareCredentials;
}
