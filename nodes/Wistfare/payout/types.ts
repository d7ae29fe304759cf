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
