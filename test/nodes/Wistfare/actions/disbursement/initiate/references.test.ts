import { restartSandbox, runWistfare, seed, useSandbox } from '../../../../../helpers';
import { virtualClock } from '../../../../../virtual-clock';
import { rows, rowsParameters } from './rows';

const lifecycle = { autoAdvance: true, processingAfterMs: 300, finalAfterMs: 900 };
const handle = useSandbox(lifecycle);


const payouts = () => handle.sandbox.store.all();
const posts = () => handle.sandbox.requestsFor('initiate');

type Route = (method: string, url: URL, body: unknown, name: string) => unknown;

/** Runs `body` while `around` (given the sandbox's own routing) answers its requests; restored after. */
async function rerouted(around: (route: Route) => Route, body: () => Promise<void>): Promise<void> {
	const { sandbox } = handle;
	const route: Route = sandbox.route.bind(sandbox);
	sandbox.route = around(route);
	try {
		await body();
	} finally {
		sandbox.route = route;
	}
}

describe('a server that ignores the reference filter', () => {
	beforeAll(async () => await restartSandbox(handle, { ...lifecycle, ignoreFilters: ['referenceId'] }));
	afterAll(async () => await restartSandbox(handle, lifecycle));

	test('the listing is read once for the batch, and a re-run pays nobody again', async () => {
		// More pages (11) than rows (10): look-ups would be cheaper, if the filter worked.
		seed(handle.sandbox, 1050, {}, virtualClock.now() - 3600_000);
		const batch = rows(10, 'fresh');
		const first = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
		expect(first.error).toBeUndefined();
		expect(posts()).toHaveLength(10);
		// The first page (the total), one look-up that shows the filter is ignored, then the 11 pages once.
		expect(handle.sandbox.requestsFor('list')).toHaveLength(13);
		handle.sandbox.clearRequests();
		virtualClock.offset += 10_000;
		const again = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
		expect(again.error).toBeUndefined();
		expect(posts()).toHaveLength(0);
		expect(payouts()).toHaveLength(1060);
		// 1,060 payouts now: still 11 pages.
		expect(handle.sandbox.requestsFor('list')).toHaveLength(13);
		expect(again.output?.every((item, i) => item.json.duplicate === true && item.json.id === first.output?.[i].json.id)).toBe(true);
		// The user sees it in the execution view.
		expect(again.taskData?.hints).toEqual([
			expect.objectContaining({ type: 'info', message: '10 of 10 payouts already existed with their Reference ID: nothing was sent for them (duplicate: true).' }),
			expect.objectContaining({ type: 'warning', message: expect.stringContaining('Wistfare ignored the Reference ID filter for business "biz_123"') }),
		]);
		// This server has no wallet endpoint; the first run, which paid, said what it did not check.
		// Nothing was sent this time, so nothing is said of a check that decided nothing.
		expect(first.taskData?.hints).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^Funds not fully checked before paying: the balance of wallet "wal_456" \(Wistfare answered 404/) }));
	});

	test('a batch with more rows than the listing has pages reads the listing and never needs the filter', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const batch = rows(40, 'cheap');
		const { error } = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(40);
		expect(handle.sandbox.requestsFor('list').filter((request) => request.understood?.referenceId)).toHaveLength(0);
		const again = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
		expect(again.output?.every((item) => item.json.duplicate === true)).toBe(true);
		expect(posts()).toHaveLength(40);
	});
});

describe('checking a batch\'s references: the cheaper of a look-up a row or the listing read once', () => {
	beforeAll(async () => await restartSandbox(handle, lifecycle));

	test('40 rows against 250 payouts: the 3 pages once, then one POST a payout; a re-run: the 3 pages only', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const batch = rows(40, 'listed');
		const first = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
		expect(first.error).toBeUndefined();
		expect(posts()).toHaveLength(40);
		const lists = handle.sandbox.requestsFor('list');
		expect(lists.map((request) => [request.understood?.page, request.understood?.referenceId])).toEqual([
			['1', undefined],
			['2', undefined],
			['3', undefined],
		]);
		handle.sandbox.clearRequests();
		virtualClock.offset += 10_000;
		const again = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
		expect(again.output?.every((item, i) => item.json.duplicate === true && item.json.id === first.output?.[i].json.id)).toBe(true);
		expect(posts()).toHaveLength(0);
		expect(handle.sandbox.requestsFor('list')).toHaveLength(3);
	});

	test('10 rows against 1,050 payouts (11 pages): one look-up a row, after the first page told the total', async () => {
		seed(handle.sandbox, 1050, {}, virtualClock.now() - 3600_000);
		const { error } = await runWistfare(handle, { parameters: rowsParameters(), items: rows(10, 'looked-up') });
		expect(error).toBeUndefined();
		const lists = handle.sandbox.requestsFor('list');
		expect(lists).toHaveLength(11);
		expect(lists.filter((request) => request.understood?.referenceId)).toHaveLength(10);
	});

	test('350 payouts made by others between two checks: the check reads the newest pages down to a known one, not the whole listing again', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const batch = rows(40, 'busy');
		const { sandbox } = handle;
		let posted = 0;
		let listsBefore = 0;
		await rerouted(
			(route) => (method, url, body, name) => {
				if (name === 'POST /v1/disbursements' && ++posted === 10) {
					seed(sandbox, 350, { referenceId: undefined }, virtualClock.now() - 1000).forEach((record, i) => (record.referenceId = `other-${i}`));
					listsBefore = sandbox.requestsFor('list').length;
					virtualClock.offset += 1500;
				}
				return route(method, url, body, name);
			},
			async () => {
				const { error } = await runWistfare(handle, { parameters: rowsParameters({ concurrency: 1 }), items: batch });
				expect(error).toBeUndefined();
				expect(posts()).toHaveLength(40);
				// 610 payouts by then (7 pages): the 350 new fill the newest 4; a whole reading would ask for pages 5 to 7.
				const after = sandbox.requestsFor('list').slice(listsBefore).map((request) => Number(request.understood?.page));
				expect(after).toContain(4);
				expect(Math.max(...after)).toBe(4);
			},
		);
	});

	test('others paying while the check reads its pages: the newest page is read again, not the whole listing', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const batch = rows(40, 'racing');
		const { sandbox } = handle;
		let posted = 0;
		let listsBefore = -1;
		const others = (count: number, at: number) => seed(sandbox, count, {}, at).forEach((record, i) => (record.referenceId = `racer-${at}-${i}`));
		await rerouted(
			(route) => (method, url, body, name) => {
				if (name === 'POST /v1/disbursements' && ++posted === 10) {
					others(150, virtualClock.now() - 1000);
					listsBefore = sandbox.requestsFor('list').length;
					virtualClock.offset += 1500;
				}
				// While the check reads its second page, five more are paid: they land on the newest page, read already.
				if (name === 'GET /v1/disbursements' && listsBefore >= 0 && url.searchParams.get('page') === '2') {
					others(5, virtualClock.now() + 600_000);
					listsBefore = -2;
				}
				return route(method, url, body, name);
			},
			async () => {
				const { error } = await runWistfare(handle, { parameters: rowsParameters({ concurrency: 1 }), items: batch });
				expect(error).toBeUndefined();
				expect(posts()).toHaveLength(40);
				// 415 payouts then (5 pages): pages 1 and 2 held the 150 new, page 1 again the 5; never pages 3 to 5.
				const pages = sandbox.requestsFor('list').map((request) => Number(request.understood?.page));
				expect(pages.slice(3)).toEqual(expect.arrayContaining([1, 2]));
				expect(Math.max(...pages.slice(3))).toBe(2);
				expect(sandbox.requestsFor('list').filter((request) => request.understood?.referenceId)).toHaveLength(0);
			},
		);
	});

	test('pages read ahead answered out of order while others pay: the listing is read again a page at a time, not given up for a look-up a row', async () => {
		seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const batch = rows(40, 'shifted');
		const { sandbox } = handle;
		let refused = false;
		await rerouted(
			(route) => (method, url, body, name) => {
				const page = name === 'GET /v1/disbursements' ? url.searchParams.get('page') : null;
				// Page 2 waits out a 429; page 3 is answered first; then 50 payouts are made: page 2, asked
				// again, now holds what page 2 held before less its last 50, which went to page 3, read already.
				if (page === '2' && !refused) {
					refused = true;
					return { error: { status: 429, code: 'rate_limit', message: 'Too many requests' } };
				}
				const outcome = route(method, url, body, name);
				if (page === '3' && refused && sandbox.store.all().length === 250) {
					seed(sandbox, 50, {}, virtualClock.now() + 600_000).forEach((record, i) => (record.referenceId = `mover-${i}`));
				}
				return outcome;
			},
			async () => {
				const { error } = await runWistfare(handle, { parameters: rowsParameters(), items: batch });
				expect(error).toBeUndefined();
				expect(refused).toBe(true);
				expect(posts()).toHaveLength(40);
				// Read ahead: 1, 2 (429), 3, 2; a page at a time: 1, 2, 3, 4 (300 payouts now).
				expect(sandbox.requestsFor('list').filter((request) => request.understood?.referenceId)).toHaveLength(0);
			},
		);
	});

	test('a payout with a batch reference listed late, below the newest page, after the listing was read: found, not paid again', async () => {
		const history = seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const batch = rows(40, 'late');
		const { sandbox } = handle;
		let posted = 0;
		await rerouted(
			(route) => (method, url, body, name) => {
				if (name === 'POST /v1/disbursements' && ++posted === 10) {
					// Another process paid row 30 a while ago; it becomes visible now, among old payouts.
					sandbox.store.create({ ...history[0], ...batch[30], destinationRef: batch[30].phone, referenceId: batch[30].ref, amount: batch[30].amount }, virtualClock.now() - 1800_000);
					virtualClock.offset += 1500;
				}
				return route(method, url, body, name);
			},
			async () => {
				const { output, error } = await runWistfare(handle, { parameters: rowsParameters({ concurrency: 1 }), items: batch });
				expect(error).toBeUndefined();
				expect(posts()).toHaveLength(39);
				expect(output?.[30].json).toMatchObject({ referenceId: batch[30].ref, duplicate: true });
				expect(payouts().filter((payout: { referenceId: string }) => payout.referenceId === batch[30].ref)).toHaveLength(1);
			},
		);
	});
});
