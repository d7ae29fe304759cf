import type { IPollFunctions } from 'n8n-workflow';

import { disbursementPages } from '../../../../nodes/Wistfare/api/pages';
import { restartSandbox, runWistfare, seed, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';
import { rowsParameters } from '../actions/disbursement/initiate/rows';

const handle = useSandbox();

const listAll = (extra: Record<string, unknown> = {}) =>
	runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', returnAll: true, ...extra } });

const ids = (records: Array<{ id: string }>) => records.map((record) => record.id);

/** Payouts all created at one instant, after `seed`'s. */
function tied(count: number, atMs: number) {
	return Array.from({ length: count }, (_, i) =>
		handle.sandbox.store.create(
			{ businessId: 'biz_123', walletId: 'wal_456', amount: '100', destinationType: 'mobile_money', destinationRef: `2507881${String(i).padStart(5, '1')}`, referenceId: `tie_${i}` },
			atMs,
		),
	);
}

describe('walking a listing on a server that does not honour page', () => {
	test.each([
		['hasMore stays true', { ignorePage: true }],
		['only data, full pages', { ignorePage: true, thinEnvelope: true }],
		['smaller pages than asked', { ignorePage: true, maxPerPage: 30 }],
	])('Return All reads every payout once, by date, in a few requests: %s', async (_name, options) => {
		await restartSandbox(handle, options);
		const seeded = seed(handle.sandbox, 250);
		const { output, error } = await listAll();
		expect(error).toBeUndefined();
		expect(output?.map((item) => item.json.id)).toEqual(ids(seeded).reverse());
		const asked = handle.sandbox.requestsFor();
		const perPage = (options as { maxPerPage?: number }).maxPerPage ?? 100;
		// Page 1, one page that showed no progress (up to 3 when read ahead), then by date.
		expect(asked.length).toBeLessThanOrEqual(Math.ceil(250 / perPage) + 6);
		expect(asked.some((request) => request.understood.toDate)).toBe(true);
	});

	test('payouts that share the instant where a page ends are all read (an exclusive or inclusive toDate alike)', async () => {
		await restartSandbox(handle, { ignorePage: true, shuffleTies: true });
		const older = seed(handle.sandbox, 120);
		const ties = tied(30, Date.parse('2026-01-01T01:00:00Z'));
		const newer = seed(handle.sandbox, 85, {}, Date.parse('2026-01-01T02:00:00Z'));
		const { output, error } = await listAll();
		expect(error).toBeUndefined();
		const read = output!.map((item) => item.json.id as string);
		expect(new Set(read).size).toBe(read.length);
		expect(new Set(read)).toEqual(new Set(ids([...older, ...ties, ...newer])));
	});

	test('a server that ignores both page and toDate stops the walk with an error that says so, after a few requests', async () => {
		await restartSandbox(handle, { ignorePage: true, ignoreFilters: ['toDate'] });
		seed(handle.sandbox, 250);
		const { error } = await listAll();
		expect(error?.message).toBe('Wistfare answered the same page whatever page was asked for, and ignored toDate');
		expect(handle.sandbox.requestsFor().length).toBeLessThanOrEqual(6);
	});

	test('more payouts at one instant than a page stop the walk clearly', async () => {
		await restartSandbox(handle, { ignorePage: true, maxPerPage: 20 });
		tied(50, Date.parse('2026-01-01T01:00:00Z'));
		const { error } = await listAll();
		expect(error?.message).toMatch(/^More than a page of payouts share the instant /);
		expect(handle.sandbox.requestsFor().length).toBeLessThanOrEqual(6);
	});

	test('Limit reads no more than it needs, by date too', async () => {
		await restartSandbox(handle, { ignorePage: true });
		const seeded = seed(handle.sandbox, 250);
		const { output } = await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', returnAll: false, limit: 150 } });
		expect(output?.map((item) => item.json.id)).toEqual(ids(seeded).reverse().slice(0, 150));
		// Page 1, two pages that bring nothing new, one by date.
		expect(handle.sandbox.requestsFor()).toHaveLength(4);
	});
});

describe('the page cap', () => {
	test('Return All stops at Max Pages with an error naming the setting, having asked no more pages', async () => {
		await restartSandbox(handle, { maxPerPage: 10 });
		seed(handle.sandbox, 100);
		const { error } = await listAll({ options: { maxPages: 4 } });
		expect(error?.message).toBe('Stopped after reading 4 pages of the listing');
		expect(handle.sandbox.requestsFor().length).toBeLessThanOrEqual(4);
	});

	test('a higher Max Pages reads the whole listing', async () => {
		await restartSandbox(handle, { maxPerPage: 10 });
		seed(handle.sandbox, 100);
		const { output, error } = await listAll({ options: { maxPages: 10 } });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(100);
	});
});

test('disbursementPages: from a start page, newest first, each page asked for only when the caller goes on', async () => {
	await restartSandbox(handle, {});
	seed(handle.sandbox, 250);
	const context = triggerPoller(handle, { businessId: 'biz_123' }).context() as unknown as IPollFunctions;
	const read: number[] = [];
	for await (const page of disbursementPages.call(context, { businessId: 'biz_123', perPage: 100 }, {}, 2)) {
		read.push(page.page);
		if (read.length === 1) break;
	}
	expect(read).toEqual([2]);
	expect(handle.sandbox.requestsFor('list').map((request) => Number(request.understood.page))).toEqual([2]);
});

describe('Initiate on a server that does not honour page', () => {
	const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ amount: '100', phone: `2507880${String(i).padStart(5, '1')}`, ref: `row-${i}` }));

	test('a batch whose listing is several pages long pays each row once and ends', async () => {
		await restartSandbox(handle, { ignorePage: true, ignoreIdempotencyKey: true });
		seed(handle.sandbox, 350, {}, virtualClock.now() - 3_600_000);
		const { output, error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: rows(30) });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(30);
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(30);
		// A re-run finds every row paid and sends nothing.
		const again = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: rows(30) });
		expect(again.output?.every((item) => item.json.duplicate === true)).toBe(true);
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(30);
		expect(handle.sandbox.requestsFor('list').length).toBeLessThan(60);
	});

	test('Max Total Per Day reads today\'s payouts to their end, by date', async () => {
		await restartSandbox(handle, { ignorePage: true });
		// Noon UTC: an hour before is today in the workflow's time zone whatever the hour this runs at.
		const day = 86_400_000;
		virtualClock.offset += (((day / 2 - (virtualClock.now() % day)) % day) + day) % day;
		seed(handle.sandbox, 250, { amount: '10' }, virtualClock.now() - 3_600_000);
		const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: rows(3), credential: { maxTotalPerDay: '2700' } });
		expect(error?.message).toMatch(/today's payouts add up to 2,500 \(250 payouts\) and this batch would add 300 \(3 payouts\)/);
		expect(handle.sandbox.requestsFor('initiate')).toEqual([]);
	});
});
