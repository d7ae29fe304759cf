import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { clock } from '../../../api/clock';
import { listDisbursements, MAX_PAGE_SIZE } from '../../../api/client';
import { disbursementPages, disbursementPagesAhead } from '../../../api/pages';
import type { Disbursement, DisbursementPage } from '../../../payout/types';
import type { WistfareSession } from '../../../api/session';

/** Past this many pages, reading a business's whole listing to check references is refused. */
export const MAX_LISTING_PAGES = 500;
/** A listing answers "no payout with this reference" only if it was checked against Wistfare this recently. */
export const LISTING_FRESH_MS = 1000;
/**
 * A check whose count is off reads the newest pages again this many times before the whole listing:
 * others paying the business while it read move the count, and a whole reading then loses payouts that
 * move between its pages, leaving the batch to one look-up a row.
 */
const CHECK_ROUNDS = 3;
/** A whole reading asks for this many pages at once. */
const PAGES_AHEAD = 3;

export interface FirstPage {
	page: DisbursementPage;
	/** When it was asked for: the listing is as fresh as this. */
	at: number;
	pages?: number;
}

/** Whose requests a listing makes: the execution (and its session) that asks. */
export interface RequestContext {
	context: IExecuteFunctions;
	session: WistfareSession;
}

export function isFor(disbursement: Disbursement, businessId: string, referenceId: string): boolean {
	return (
		disbursement.referenceId === referenceId &&
		(disbursement.businessId === undefined || disbursement.businessId === businessId)
	);
}

/**
 * One business's payouts, read once for a batch and kept as fresh as a look-up would be.
 *
 * Before it answers "none", the listing must have been checked within `LISTING_FRESH_MS`: a check
 * reads the newest page and compares the server's `total` with the payouts read. Equal, nothing
 * was listed that the listing lacks. Otherwise (a payout listed late, below the newest page) the
 * whole listing is read again. A server whose total does not match even a whole reading cannot be
 * checked this way: the listing is then not `verifiable`, and the caller falls back to look-ups.
 */
export class Listing {
	private readonly byReference = new Map<string, Disbursement>();

	/** Payouts this batch made or found, kept across readings. */
	private readonly remembered = new Map<string, Disbursement>();

	/** Every payout id read, to compare with the server's total. */
	private readonly ids = new Set<string>();

	private checkedAt = -Infinity;

	/** The check under way, and who makes it: rows of other executions waiting on it check again if it fails. */
	private checking?: { done: Promise<void>; by: IExecuteFunctions };

	/** The server's total matched a whole reading. */
	verifiable = false;

	constructor(readonly businessId: string) {}

	/**
	 * The first page, for `readAll` to go on from, and how many pages the listing has (undefined when
	 * the server gives no total).
	 */
	async readFirstPage(via: RequestContext, itemIndex: number): Promise<FirstPage> {
		const at = clock.now();
		const page = await this.page(via, 1, itemIndex);
		const pages = page.total === undefined ? undefined : Math.max(1, Math.ceil(page.total / Math.max(1, page.perPage || MAX_PAGE_SIZE)));
		return { page, at, pages };
	}

	/**
	 * The whole listing, pages read ahead (after `first` when given); refused past `MAX_LISTING_PAGES`.
	 * Pages read ahead can come back out of order (one waits out a 429 while the next is answered):
	 * when payouts are being made meanwhile, some move from one page to another unread, and the count
	 * is off. The listing is then read once more a page at a time, where nothing can slip between two
	 * pages, before the server's total is taken as unusable.
	 */
	async readAll(via: RequestContext, itemIndex: number, first?: FirstPage): Promise<void> {
		const total = await this.readWhole(via, itemIndex, first, PAGES_AHEAD);
		if (!this.verifiable && total !== undefined) await this.readWhole(via, itemIndex, undefined, 1);
	}

	/** One whole reading: returns the total its first page gave. */
	private async readWhole(via: RequestContext, itemIndex: number, first: FirstPage | undefined, ahead: number): Promise<number | undefined> {
		const startedAt = first?.at ?? clock.now();
		this.byReference.clear();
		this.ids.clear();
		let pages = 0;
		let total: number | undefined;
		for await (const page of disbursementPagesAhead.call(
			via.context,
			{ businessId: this.businessId, perPage: MAX_PAGE_SIZE },
			{ itemIndex, session: via.session },
			ahead,
			first?.page,
		)) {
			if (++pages === 1) {
				total = page.total;
				if (total !== undefined && total > MAX_LISTING_PAGES * MAX_PAGE_SIZE) break;
			}
			if (pages > MAX_LISTING_PAGES) break;
			this.add(page.data);
			if (!page.hasMore) {
				this.verifiable = total !== undefined && total === this.ids.size;
				this.checkedAt = startedAt;
				via.context.logger.debug(
					`Wistfare: read ${pages} pages of ${this.businessId} to check references in ${clock.now() - startedAt} ms`,
				);
				return total;
			}
		}
		throw new NodeOperationError(
			via.context.getNode(),
			`Wistfare ignores the Reference ID filter, and business "${this.businessId}" has more than ${MAX_LISTING_PAGES * MAX_PAGE_SIZE} payouts: too many to check each reference against; nothing was sent`,
			{
				itemIndex,
				description:
					'Without a working reference look-up a re-run could pay twice, so no payout is sent. Ask Wistfare to support filtering disbursements by reference_id.',
			},
		);
	}

	/** The payout with this reference; "none" only from a listing checked within `LISTING_FRESH_MS`. */
	async find(via: RequestContext, referenceId: string, itemIndex: number): Promise<Disbursement | undefined> {
		const known = this.get(referenceId);
		if (known) return known;
		if (clock.now() - this.checkedAt >= LISTING_FRESH_MS) {
			if (!this.checking) {
				const done: Promise<void> = this.check(via, itemIndex).finally(() => {
					if (this.checking?.done === done) this.checking = undefined;
				});
				this.checking = { done, by: via.context };
			}
			const { done, by } = this.checking;
			// Another execution's check failed (its own error, or it was stopped): this one checks itself.
			if (by !== via.context && (await done.then(() => false, () => true))) return await this.find(via, referenceId, itemIndex);
			await done;
		}
		return this.get(referenceId);
	}

	remember(disbursement: Disbursement): void {
		if (disbursement.referenceId) this.remembered.set(disbursement.referenceId, disbursement);
	}

	private get(referenceId: string): Disbursement | undefined {
		return this.byReference.get(referenceId) ?? this.remembered.get(referenceId);
	}

	/**
	 * Reads the newest pages, down to the first that holds a payout already read. When the server's
	 * total then equals the payouts read, the listing is complete as of this check. When it does not,
	 * either others paid while the pages were read (their payouts are on the newest page now) or a
	 * payout was listed below them: the newest pages are read again, a few times, and only then the
	 * whole listing.
	 */
	private async check(via: RequestContext, itemIndex: number): Promise<void> {
		const startedAt = clock.now();
		for (let round = 0; round < CHECK_ROUNDS; round++) {
			if (await this.readDownToKnown(via, itemIndex)) {
				this.checkedAt = startedAt;
				return;
			}
		}
		await this.readAll(via, itemIndex);
	}

	/**
	 * The newest pages down to the first holding a payout already read: true when the server's total
	 * then equals the payouts read (every payout read is still listed, so none is missing), or when the
	 * server has no usable total (the newest page is the best check there is; filter ignored only).
	 */
	private async readDownToKnown(via: RequestContext, itemIndex: number): Promise<boolean> {
		let read = 0;
		for await (const page of disbursementPages.call(via.context, { businessId: this.businessId, perPage: MAX_PAGE_SIZE }, { itemIndex, session: via.session })) {
			const unseen = page.data.filter((disbursement) => !this.ids.has(disbursement.id)).length;
			this.add(page.data);
			if (!this.verifiable || page.total === this.ids.size) return true;
			// Only a page of nothing but new payouts means the next one may hold more.
			if (unseen < page.data.length || ++read >= MAX_LISTING_PAGES) return false;
		}
		return false;
	}

	private async page(via: RequestContext, page: number, itemIndex: number): Promise<DisbursementPage> {
		return await listDisbursements.call(
			via.context,
			{ businessId: this.businessId, perPage: MAX_PAGE_SIZE, page },
			{ itemIndex, session: via.session },
		);
	}

	private add(disbursements: Disbursement[]): void {
		for (const disbursement of disbursements) {
			this.ids.add(disbursement.id);
			if (disbursement.referenceId && isFor(disbursement, this.businessId, disbursement.referenceId) && !this.byReference.has(disbursement.referenceId)) {
				this.byReference.set(disbursement.referenceId, disbursement);
			}
		}
	}
}
