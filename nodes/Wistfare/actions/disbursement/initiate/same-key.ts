import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { clock } from '../../../api/clock';
import { checkCredentials } from '../../../api/credentials';
import { AccountPace, ExecutionLimit } from '../../../api/pace';
import { registrySpace } from '../../../api/registry';
import type { WistfareSession } from '../../../api/session';
import type { Listing } from './listing';

/**
 * What the Initiate executions of one API key (at one base URL) share while they run in the same n8n
 * process: one pace under the account's rate limit, and each business's listing with its checks. n8n
 * runs every execution of a regular instance, and up to its concurrency on a queue-mode worker, in one
 * process; executions that each found their own share of one limit by its 429s would spend requests on
 * 429s and on checks the others had just made. And the payouts they are making:
 * two executions paying one reference at once would both find none before either was listed.
 * Executions in other processes have their own, and rely on the Idempotency-Key and the look-ups.
 */
export interface SameKeyExecutions {
	/** The account's pace; each execution bounds its own requests in flight (`ExecutionLimit`). */
	readonly pace: AccountPace;
	/** Per business: its listing, once one execution has read it whole, and when it started (see `sharedListing`). */
	readonly listings: Map<string, { reading: Promise<Listing>; at: number }>;
	/** Per business and reference: the payout an execution is making now (see `sendSafely`). */
	readonly paying: Map<string, Promise<IDataObject>>;
	/**
	 * Per business and currency (minor units): what the running executions passed the credential's
	 * Max Total Per Day for, until they end. Wistfare's list shows a payout only once it is made, so
	 * executions checking at the same moment would each count the same day's total and together
	 * pass it; each counts the others' reservations too (a payout already listed counts twice
	 * meanwhile: the safe side).
	 */
	readonly dayReserved: Map<string, number>;
	/** How many executions of the key run now. */
	running: number;
}

/**
 * In the package's registry. Bounded: an entry lives while an execution of its key runs, and goes
 * with the last one (`end`).
 */
const entries = () => registrySpace<SameKeyExecutions>('initiate-same-key');

/** An execution among the others of its key: its session, and what to call when it ends. */
export interface RunningExecution {
	session: WistfareSession;
	/** What it shares with them (none when its credential fails its check). */
	shared?: SameKeyExecutions;
	/** Reserves amounts of the day (business and currency → minor units) until the execution ends. */
	reserveDay: (amounts: ReadonlyMap<string, number>) => void;
	end: () => void;
}

/**
 * The session of an execution of `concurrency` requests in flight at most, sharing its pace and
 * listings with the executions of the same key in this process. A credential that fails its check
 * shares nothing (its first request stops on the problem).
 */
export function startExecution(credentials: ICredentialDataDecryptedObject, concurrency: number): RunningExecution {
	const checked = checkCredentials(credentials);
	if (!checked.ok) return { session: { pacing: new AccountPace(concurrency) }, reserveDay: () => {}, end: () => {} };
	const key = keyOf(checked.value.baseUrl, String(credentials.apiKey).trim());
	let found = entries().get(key);
	if (!found) {
		found = { pace: new AccountPace(), listings: new Map(), paying: new Map(), dayReserved: new Map(), running: 0 };
		entries().set(key, found);
	}
	found.running++;
	const shared = found;
	let ended = false;
	const reserved = new Map<string, number>();
	const add = (amounts: ReadonlyMap<string, number>, sign: number) => {
		for (const [day, amount] of amounts) {
			const total = (shared.dayReserved.get(day) ?? 0) + sign * amount;
			if (total > 0) shared.dayReserved.set(day, total);
			else shared.dayReserved.delete(day);
		}
	};
	return {
		session: { pacing: new ExecutionLimit(shared.pace, concurrency), credentials: checked.value },
		shared,
		reserveDay: (amounts) => {
			add(amounts, 1);
			for (const [day, amount] of amounts) reserved.set(day, (reserved.get(day) ?? 0) + amount);
		},
		end: () => {
			if (ended) return;
			ended = true;
			add(reserved, -1);
			if (--shared.running === 0 && entries().get(key) === shared) entries().delete(key);
		},
	};
}

/** How many keys have executions running now: what the registry holds. */
export function keysRunning(): number {
	return entries().size;
}

/** The key is never kept: only a digest of it, with the base URL, tells executions of one account apart. */
function keyOf(baseUrl: string, apiKey: string): string {
	return createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
}

/**
 * A listing is shared for at most this long after it was read, and for at most this many businesses:
 * on a worker that is never idle the registry would otherwise keep every payout it ever listed.
 * Past it, the next batch reads the listing again (a few pages).
 */
export const SHARED_LISTING_MAX_AGE_MS = 10 * 60 * 1000;
export const MAX_SHARED_LISTINGS = 20;

/** Another execution's listing of the business while it is young enough to share. */
export function sharedListing(shared: SameKeyExecutions, businessId: string): Promise<Listing> | undefined {
	const entry = shared.listings.get(businessId);
	if (!entry) return undefined;
	if (clock.now() - entry.at <= SHARED_LISTING_MAX_AGE_MS) return entry.reading;
	shared.listings.delete(businessId);
	return undefined;
}

/** Shares a listing being read; the oldest shared ones go past the count. Returns a function that unshares it. */
export function shareListing(shared: SameKeyExecutions, businessId: string, reading: Promise<Listing>): () => void {
	const { listings } = shared;
	for (const [other, entry] of listings) if (clock.now() - entry.at > SHARED_LISTING_MAX_AGE_MS) listings.delete(other);
	listings.delete(businessId);
	listings.set(businessId, { reading, at: clock.now() });
	while (listings.size > MAX_SHARED_LISTINGS) listings.delete(listings.keys().next().value!);
	return () => {
		if (listings.get(businessId)?.reading === reading) listings.delete(businessId);
	};
}
