import type { IExecuteFunctions } from 'n8n-workflow';

import { listDisbursements, MAX_PAGE_SIZE } from '../../../api/client';
import { disbursementPages } from '../../../api/pages';
import type { Disbursement } from '../../../payout/types';
import { SERVER_CLOCK_SKEW_MS } from '../../../api/clock';
import type { WistfareSession } from '../../../api/session';
import { Listing, isFor, type RequestContext } from './listing';
import { shareListing, sharedListing, type SameKeyExecutions } from './same-key';


/** What the reference filter answered, when the server applies it. */
interface Filtered {
	match?: Disbursement;
}

/** Made once per key and shared by the rows that ask; a failed one is made again by the next row. */
function once<T>(made: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
	let promise = made.get(key);
	if (!promise) {
		promise = make();
		promise.catch(() => made.delete(key));
		made.set(key, promise);
	}
	return promise;
}

/**
 * The batch's answers to "does Wistfare have a payout with this reference?", at the lower cost of:
 *
 * - one look-up a row (the reference filter), or
 * - the business's listing, read once for the batch when it has fewer pages than the batch has
 *   rows for the business (its first page tells the total). A listing answers "none" only when it
 *   was checked against the server within the last second (see `Listing`), so it is as fresh as a
 *   look-up.
 *
 * A server that ignores the reference filter (or knows it under another name) is found out on the
 * first look-up; the listing is then read whatever its size, up to a limit.
 */
export class ReferenceBook {
	/** Per business: its listing when that is the cheaper way, or undefined for look-ups. */
	private readonly sources = new Map<string, Promise<Listing | undefined>>();

	/** Per business whose server ignores the reference filter: its whole listing. */
	private readonly whole = new Map<string, Promise<Listing>>();

	/** Businesses whose server showed it ignores the reference filter. */
	readonly filterIgnored = new Set<string>();

	/** The first look-up of each business: the others wait for what it shows of the filter. */
	private readonly probes = new Map<string, Promise<unknown>>();

	/** The execution asking: its context and session make every request of this book. */
	private readonly via: RequestContext;

	constructor(
		context: IExecuteFunctions,
		session: WistfareSession,
		/** How many payouts of the batch each business has: what look-ups would cost. */
		private readonly rowsByBusiness: ReadonlyMap<string, number> = new Map(),
		/** The executions of the same key in this process, whose listings this batch may read and share. */
		private readonly shared?: SameKeyExecutions,
	) {
		this.via = { context, session };
	}

	/** The payout with this reference, if Wistfare lists one now. */
	async find(businessId: string, referenceId: string, itemIndex: number): Promise<Disbursement | undefined> {
		const listing = await this.sourceFor(businessId, itemIndex);
		if (listing?.verifiable) return await listing.find(this.via, referenceId, itemIndex);
		const probe = this.probes.get(businessId);
		if (!probe) {
			const first = this.lookUp(businessId, referenceId, itemIndex);
			this.probes.set(businessId, first.catch(() => this.probes.delete(businessId)));
			return await first;
		}
		await probe;
		return await this.lookUp(businessId, referenceId, itemIndex);
	}

	/**
	 * A fresh look-up, never the batch's listing: after a request whose outcome is unknown. When the
	 * server shows it ignores the reference filter, reads the listing newest first down to a while
	 * before `sentAt` instead.
	 */
	async findFresh(businessId: string, referenceId: string, sentAt: number, itemIndex: number): Promise<Disbursement | undefined> {
		const filtered = await this.byFilter(businessId, referenceId, itemIndex);
		if (filtered) return filtered.match;
		// Read down to a while before the payout was sent: the server's clock may be minutes off ours.
		const floor = sentAt - SERVER_CLOCK_SKEW_MS;
		for await (const page of disbursementPages.call(this.via.context, { businessId, perPage: MAX_PAGE_SIZE }, { itemIndex, session: this.via.session })) {
			const match = page.data.find((disbursement) => isFor(disbursement, businessId, referenceId));
			if (match) return match;
			if (page.data.every((disbursement) => Date.parse(disbursement.createdAt) < floor)) return undefined;
		}
		return undefined;
	}

	/** Keeps the batch's listing true after a payout was made or found. */
	remember(businessId: string, disbursement: Disbursement): void {
		for (const listing of [this.sources.get(businessId), this.whole.get(businessId)]) {
			void listing?.then((read) => read?.remember(disbursement)).catch(() => undefined);
		}
	}

	private async lookUp(businessId: string, referenceId: string, itemIndex: number): Promise<Disbursement | undefined> {
		const filtered = await this.byFilter(businessId, referenceId, itemIndex);
		if (filtered) return filtered.match;
		return await (await this.wholeListing(businessId, itemIndex)).find(this.via, referenceId, itemIndex);
	}

	/**
	 * The reference filter's answer; undefined when the server ignores the filter (known before, or
	 * shown now by payouts with other references) and found no match on the page it answered.
	 */
	private async byFilter(businessId: string, referenceId: string, itemIndex: number): Promise<Filtered | undefined> {
		if (this.filterIgnored.has(businessId)) return undefined;
		const page = await listDisbursements.call(
			this.via.context,
			{ businessId, referenceId, perPage: MAX_PAGE_SIZE, page: 1 },
			{ itemIndex, session: this.via.session },
		);
		const match = page.data.find((disbursement) => isFor(disbursement, businessId, referenceId));
		if (page.data.some((disbursement) => disbursement.referenceId !== referenceId)) {
			this.filterIgnored.add(businessId);
			if (!match) return undefined;
		}
		return { match };
	}

	private sourceFor(businessId: string, itemIndex: number): Promise<Listing | undefined> {
		return once(this.sources, businessId, () => this.cheaperSource(businessId, itemIndex));
	}

	/**
	 * The listing another execution of this key has read (it costs nothing more), or, when it has
	 * fewer pages than the batch has rows for the business, this batch's reading of it, shared from
	 * then on; look-ups otherwise.
	 */
	private async cheaperSource(businessId: string, itemIndex: number): Promise<Listing | undefined> {
		const rows = this.rowsByBusiness.get(businessId) ?? 1;
		if (rows < 2) return undefined;
		const shared = await this.sameKeyListing(businessId);
		if (shared) return shared;
		const listing = new Listing(businessId);
		const first = await listing.readFirstPage(this.via, itemIndex);
		if (first.pages === undefined || first.pages >= rows) return undefined;
		// Executions that start together read their first pages together: the first to get there reads on.
		const meanwhile = await this.sameKeyListing(businessId);
		if (meanwhile) return meanwhile;
		const reading = listing.readAll(this.via, itemIndex, first).then(() => listing);
		if (this.shared) reading.catch(shareListing(this.shared, businessId, reading));
		return await reading;
	}

	/** A neighbour's listing of the business, once read whole and checkable. */
	private async sameKeyListing(businessId: string): Promise<Listing | undefined> {
		const reading = this.shared && sharedListing(this.shared, businessId);
		const listing = await reading?.catch(() => undefined);
		return listing?.verifiable ? listing : undefined;
	}

	/** The listing, read whatever its size (up to a limit): the filter is ignored, so look-ups cannot work. */
	private wholeListing(businessId: string, itemIndex: number): Promise<Listing> {
		return once(this.whole, businessId, () => this.readWhole(businessId, itemIndex));
	}

	private async readWhole(businessId: string, itemIndex: number): Promise<Listing> {
		const chosen = await this.sourceFor(businessId, itemIndex);
		if (chosen) return chosen;
		const listing = new Listing(businessId);
		await listing.readAll(this.via, itemIndex);
		return listing;
	}
}
