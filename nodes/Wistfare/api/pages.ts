import { NodeOperationError } from 'n8n-workflow';

import { listDisbursements } from './client';
import type { WistfareContext } from './request';
import type { RequestOptions } from './session';
import type { Disbursement, DisbursementPage, ListDisbursementsParams } from '../payout/types';

/**
 * The package's one way through a listing (List, the triggers' readings, Initiate's listing and the
 * day's total). Nothing but the vendor page's example says the API pages by `page`, so every walk
 * checks that each page moves the reading forward:
 * 1. Pages go by number while each brings a payout this walk has not read.
 * 2. Two pages running that bring none, or one asked past the total the server announced, show that the server
 *    does not honour `page`: the walk goes on by time, asking page 1 with `toDate` just after the
 *    oldest `createdAt` read (the ties at that instant come again and are left out).
 * 3. A time page that brings nothing new ends the walk when it shows the end (it is not full, or the
 *    server says so); otherwise, or when it holds payouts newer than `toDate`, the server honours neither
 *    parameter and the walk stops with an error that says so.
 * 4. No walk reads more than `maxPages` pages (default MAX_PAGES_PER_CALL): the bound on any server.
 */
export const MAX_PAGES_PER_CALL = 1000;

export interface WalkOptions extends RequestOptions {
	/** At most this many pages in this walk; past it, the walk stops with an error. */
	maxPages?: number;
}

/** A page of a walk, with what to ask to read on from it in a later call. */
export type WalkedPage = DisbursementPage & { next: { page: number; toDate?: string } };

type Params = Omit<ListDisbursementsParams, 'page'>;

/** What one walk has read: the ids, the oldest instant, the pages asked. */
class Progress {
	private readonly seen = new Set<string>();
	oldest = Infinity;
	pages = 0;
	/** The most payouts a page has brought: the server's page size, as served. */
	widest = 0;

	constructor(
		private readonly context: WistfareContext,
		private readonly params: Params,
		private readonly options: WalkOptions,
	) {}

	/** Counts a page asked; refuses one past the cap. */
	count(): void {
		const cap = this.options.maxPages ?? MAX_PAGES_PER_CALL;
		if (++this.pages > cap) {
			throw this.stop(`Stopped after reading ${cap} pages of the listing`, 'A walk over a listing reads at most that many pages, so that no server can keep it going. Narrow the listing (a date filter, a status) or raise the limit where the node offers one.');
		}
	}

	/** The payouts of `page` this walk has not read before, now read. */
	take(page: DisbursementPage): Disbursement[] {
		this.widest = Math.max(this.widest, page.data.length);
		const fresh = page.data.filter((payout) => !this.seen.has(payout.id));
		for (const payout of fresh) {
			this.seen.add(payout.id);
			const created = Date.parse(payout.createdAt);
			if (created < this.oldest) this.oldest = created;
		}
		return fresh;
	}

	stop(message: string, description: string): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), message, { description, itemIndex: this.options.itemIndex });
	}

	ask(page: number, toDate?: string): Promise<DisbursementPage> {
		this.count();
		const { itemIndex, session } = this.options;
		return listDisbursements.call(this.context, { ...this.params, ...(toDate ? { toDate } : {}), page }, { itemIndex, session });
	}
}

/**
 * Whether the pages asked by number have stopped moving the reading forward: one asked past the total
 * the server announced, or two running that bring no payout not read before. One alone is not enough:
 * a server that orders ties anew on each request can repeat a page's worth of them by chance.
 */
class PageCheck {
	private idle = 0;

	stalled(page: DisbursementPage, number: number, fresh: number): boolean {
		if (page.data.length === 0) return false;
		const pastTotal = page.total !== undefined && page.perPage > 0 && (number - 1) * page.perPage >= page.total;
		this.idle = fresh > 0 ? 0 : this.idle + 1;
		return pastTotal || this.idle >= 2;
	}
}

/** Where a walk by time goes on: page 1, up to just after the oldest instant read. */
const byTimeFrom = (progress: Progress) => ({ page: 1, toDate: new Date(progress.oldest + 1).toISOString() });

const earlier = (a: string | undefined, b: string) => (a !== undefined && Date.parse(a) < Date.parse(b) ? a : b);

/** The rest of a walk by time, from what `progress` has read (step 2 and 3 above). */
async function* byTime(this: WistfareContext, params: Params, progress: Progress): AsyncGenerator<WalkedPage> {
	for (;;) {
		if (!Number.isFinite(progress.oldest)) {
			throw progress.stop('Wistfare answered the same page whatever page was asked for', 'Its payouts carry no readable createdAt, so the listing cannot be read on by date either. Only its first page was read.');
		}
		// Just after the oldest instant: a server whose toDate is exclusive still sends its ties.
		const toDate = earlier(params.toDate, byTimeFrom(progress).toDate);
		const page = await progress.ask(1, toDate);
		if (page.data.some((payout) => Date.parse(payout.createdAt) > Date.parse(toDate))) {
			throw progress.stop('Wistfare answered the same page whatever page was asked for, and ignored toDate', `The listing cannot be read past the ${progress.pages > 0 ? 'payouts already read' : 'first page'}: the server honours neither "page" nor "toDate". Narrow the listing with a status or date filter the server applies.`);
		}
		const fresh = progress.take(page);
		const ended = page.data.length < progress.widest || !page.hasMore || (page.total !== undefined && page.total <= page.data.length);
		if (fresh.length === 0) {
			if (page.data.length === 0 || ended) return;
			throw progress.stop(`More than a page of payouts share the instant ${toDate}`, 'The server does not honour "page", and a listing by date cannot get past one instant holding more payouts than a page.');
		}
		yield { ...page, data: fresh, hasMore: !ended, next: byTimeFrom(progress) };
		if (ended) return;
	}
}

/**
 * Page after page, newest first, from `startPage`, until the server says there is no more. The next
 * page is asked for only when the caller goes on, so a caller stops reading (a budget, a match) by
 * leaving the loop. Pages that shift while payouts arrive may bring one payout twice, none skipped.
 */
export function disbursementPages(
	this: WistfareContext,
	params: Params,
	options: WalkOptions = {},
	startPage = 1,
): AsyncGenerator<WalkedPage> {
	return pagesFrom.call(this, params, new Progress(this, params, options), startPage);
}

/**
 * Like `disbursementPages`, for reading a listing to its end: once the first page gives the total,
 * `depth` pages are in flight at once, yielded in order. `first`: page 1, when already read.
 */
export async function* disbursementPagesAhead(
	this: WistfareContext,
	params: Params,
	options: WalkOptions = {},
	depth = 3,
	first?: DisbursementPage,
): AsyncGenerator<WalkedPage> {
	const progress = new Progress(this, params, options);
	first ??= await progress.ask(1);
	progress.take(first);
	yield { ...first, next: { page: 2 } };
	if (!first.hasMore) return;
	const planned = first.total !== undefined && first.perPage > 0 ? Math.ceil(first.total / first.perPage) : 1;
	let next = 2;
	const inFlight: Array<{ number: number; answer: Promise<DisbursementPage> }> = [];
	const launch = () => {
		if (next > planned) return;
		const answer = progress.ask(next);
		answer.catch(() => undefined); // awaited in order below; this only keeps an early stop quiet
		inFlight.push({ number: next++, answer });
	};
	for (let i = 0; i < depth; i++) launch();
	let last: DisbursementPage = first;
	let number = 1;
	const check = new PageCheck();
	while (inFlight.length) {
		const flight = inFlight.shift()!;
		last = await flight.answer;
		number = flight.number;
		if (check.stalled(last, number, progress.take(last).length)) {
			// What it brought is read (a tie may be new), and the walk goes on by time.
			yield { ...last, hasMore: true, next: byTimeFrom(progress) };
			yield* byTime.call(this, params, progress);
			return;
		}
		launch();
		yield { ...last, next: { page: number + 1 } };
	}
	// The listing grew past the total it announced: go on one page at a time.
	if (last.hasMore) yield* pagesFrom.call(this, params, progress, number + 1, check);
}

/** One page at a time from `startPage`, with a walk's progress so far. */
async function* pagesFrom(
	this: WistfareContext,
	params: Params,
	progress: Progress,
	startPage: number,
	check = new PageCheck(),
): AsyncGenerator<WalkedPage> {
	for (let number = startPage; ; number++) {
		const page = await progress.ask(number);
		if (check.stalled(page, number, progress.take(page).length)) {
			yield { ...page, hasMore: true, next: byTimeFrom(progress) };
			yield* byTime.call(this, params, progress);
			return;
		}
		yield { ...page, next: { page: number + 1 } };
		if (!page.hasMore) return;
	}
}
