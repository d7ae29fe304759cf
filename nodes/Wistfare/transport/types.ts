import type { RequestGate } from './gate';
import type { IDataObject } from 'n8n-workflow';

/** Statuses Wistfare documents; others pass through untouched. */
export type DisbursementStatus =
	| 'pending'
	| 'processing'
	| 'completed'
	| 'failed'
	| 'refunded'
	| (string & {});

/** The documented statuses as n8n options, alphabetical as n8n's linter wants. */
export const STATUS_OPTIONS = [
	{ name: 'Completed', value: 'completed' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Pending', value: 'pending' },
	{ name: 'Processing', value: 'processing' },
	{ name: 'Refunded', value: 'refunded' },
];

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
	/** Sent as `Idempotency-Key`; a POST is retried only when it has one. */
	idempotencyKey?: string;
	/** How long to wait for an answer; default 30 s. */
	timeoutMs?: number;
	/** Shared by parallel requests of one execution: one backoff on 429, bounded concurrency. */
	gate?: RequestGate;
}
