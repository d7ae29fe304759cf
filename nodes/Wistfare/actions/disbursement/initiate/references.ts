import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { clock } from '../../../transport/clock';
import { disbursementPages, disbursementPagesAhead, listDisbursements, MAX_PAGE_SIZE } from '../../../transport/client';
import type { Disbursement, WistfareSession } from '../../../transport/types';

/** Past this many pages, reading a business's whole listing to check references is refused. */
export const MAX_LISTING_PAGES = 500;
/**
 * How far under the time a payout was sent a fresh look-up reads when the server ignores the
 * reference filter: covers the server's clock being minutes off ours.
 */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

const key = (businessId: string, referenceId: string) => `${businessId}\n${referenceId}`;

function isFor(disbursement: Disbursement, businessId: string, referenceId: string): boolean {
	return (
		disbursement.referenceId === referenceId &&
		(disbursement.businessId === undefined || disbursement.businessId === businessId)
	);
}

/**
 * The batch's answers to "does Wistfare have a payout with this reference?". A server that applies
 * the reference filter costs one request a row. One that ignores it (or knows it under another name)
 * is found out on the first look-up; the business's listing is then read once for the whole batch
 * and the references found there, never once per row.
 */
export class ReferenceBook {
	private readonly listings = new Map<string, Promise<Map<string, Disbursement>>>();

	/** Businesses whose server showed it ignores the reference filter. */
	readonly filterIgnored = new Set<string>();

	/** The first look-up of each business: the others wait for what it shows of the filter. */
	private readonly probes = new Map<string, Promise<unknown>>();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly session: WistfareSession,
	) {}

	/** The payout with this reference, if Wistfare lists one now (the batch's listing when the filter is ignored). */
	async find(businessId: string, referenceId: string, itemIndex: number): Promise<Disbursement | undefined> {
		const probe = this.probes.get(businessId);
		if (!probe) {
			const first = this.lookUp(businessId, referenceId, itemIndex);
			this.probes.set(businessId, first.catch(() => this.probes.delete(businessId)));
			return await first;
		}
		await probe;
		return await this.lookUp(businessId, referenceId, itemIndex);
	}

	private async lookUp(businessId: string, referenceId: string, itemIndex: number): Promise<Disbursement | undefined> {
		if (this.filterIgnored.has(businessId)) return (await this.listing(businessId, itemIndex)).get(key(businessId, referenceId));
		const page = await listDisbursements.call(
			this.context,
			{ businessId, referenceId, perPage: MAX_PAGE_SIZE, page: 1 },
			{ itemIndex, session: this.session },
		);
		const match = page.data.find((disbursement) => isFor(disbursement, businessId, referenceId));
		const ignored = page.data.some((disbursement) => disbursement.referenceId !== referenceId);
		if (ignored) this.filterIgnored.add(businessId);
		if (match || !ignored) return match;
		return (await this.listing(businessId, itemIndex)).get(key(businessId, referenceId));
	}

	/**
	 * A fresh look-up, never the batch's listing: after a request whose outcome is unknown. When the
	 * filter is ignored, reads the listing newest first down to a while before `sentAt`.
	 */
	async findFresh(businessId: string, referenceId: string, sentAt: number, itemIndex: number): Promise<Disbursement | undefined> {
		if (!this.filterIgnored.has(businessId)) return await this.lookUp(businessId, referenceId, itemIndex);
		const floor = sentAt - CLOCK_SKEW_MS;
		for await (const page of disbursementPages.call(this.context, { businessId, perPage: MAX_PAGE_SIZE }, { itemIndex, session: this.session })) {
			const match = page.data.find((disbursement) => isFor(disbursement, businessId, referenceId));
			if (match) return match;
			if (page.data.every((disbursement) => Date.parse(disbursement.createdAt) < floor)) return undefined;
		}
		return undefined;
	}

	/** Keeps the batch's listing true after a payout was made or found. */
	remember(businessId: string, disbursement: Disbursement): void {
		const listing = this.listings.get(businessId);
		if (listing && disbursement.referenceId) {
			void listing.then((index) => index.set(key(businessId, disbursement.referenceId!), disbursement)).catch(() => undefined);
		}
	}

	private listing(businessId: string, itemIndex: number): Promise<Map<string, Disbursement>> {
		let listing = this.listings.get(businessId);
		if (!listing) {
			listing = this.readListing(businessId, itemIndex);
			// A failed read is tried again by the next row that needs it.
			listing.catch(() => this.listings.delete(businessId));
			this.listings.set(businessId, listing);
		}
		return listing;
	}

	private async readListing(businessId: string, itemIndex: number): Promise<Map<string, Disbursement>> {
		const index = new Map<string, Disbursement>();
		let pages = 0;
		const startedAt = clock.now();
		for await (const page of disbursementPagesAhead.call(
			this.context,
			{ businessId, perPage: MAX_PAGE_SIZE },
			{ itemIndex, session: this.session },
		)) {
			if (++pages === 1 && page.total !== undefined && page.total > MAX_LISTING_PAGES * MAX_PAGE_SIZE) break;
			if (pages > MAX_LISTING_PAGES) break;
			for (const disbursement of page.data) {
				if (disbursement.referenceId && (disbursement.businessId === undefined || disbursement.businessId === businessId)) {
					const id = key(businessId, disbursement.referenceId);
					if (!index.has(id)) index.set(id, disbursement);
				}
			}
			if (!page.hasMore) {
				this.context.logger.debug(`Wistfare: read ${pages} pages of ${businessId} to check references in ${clock.now() - startedAt} ms`);
				return index;
			}
		}
		throw new NodeOperationError(
			this.context.getNode(),
			`Wistfare ignores the Reference ID filter, and business "${businessId}" has more than ${MAX_LISTING_PAGES * MAX_PAGE_SIZE} payouts: too many to check each reference against; nothing was sent`,
			{
				itemIndex,
				description:
					'Without a working reference look-up a re-run could pay twice, so no payout is sent. Ask Wistfare to support filtering disbursements by reference_id.',
			},
		);
	}
}
