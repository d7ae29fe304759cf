import type { WistfareCredentials } from './credentials';
import type { Dialect } from './dialect';
import type { RequestGate } from './gate';
import type { IDataObject } from 'n8n-workflow';

/** Statuses Wistfare documents (see status.ts); others pass through untouched. */
export type DisbursementStatus =
	| 'pending'
	| 'processing'
	| 'completed'
	| 'failed'
	| 'refunded'
	| (string & {});

export interface Disbursement extends IDataObject {
	id: string;
	businessId: string;
	walletId: string;
	amount: string;
	currency: string;
	destinationType: string;
	destinationRef: string;
	referenceId: string | null;
	status: DisbursementStatus;
	description: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface InitiateDisbursementParams extends IDataObject {
	businessId: string;
	walletId: string;
	amount: string;
	destinationType: string;
	destinationRef: string;
	referenceId?: string;
	description?: string;
	currency?: string;
	destinationName?: string;
}

export interface ListDisbursementsParams {
	businessId: string;
	page?: number;
	perPage?: number;
	status?: string;
	referenceId?: string;
	walletId?: string;
	fromDate?: string;
	toDate?: string;
}

export interface DisbursementPage {
	data: Disbursement[];
	total?: number;
	page: number;
	perPage: number;
	hasMore: boolean;
}

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

/** Per execution or poll, never module state: what the server has shown, and the shared gate. */
export interface WistfareSession {
	/** The dialect the server has shown it speaks; undefined while unknown. */
	dialect?: Dialect;
	/** Bounded concurrency and one backoff on 429 for parallel requests. */
	gate?: RequestGate;
	/** The credential as checked by the first request: read once per execution. */
	credentials?: WistfareCredentials;
}
