import { restartSandbox, runWistfare, seed, useSandbox } from '../../../../helpers';
import { serverKind } from '../../../../servers';

const handle = useSandbox();

describe('List', () => {
	test('Return All pages to the end, newest first, one item per payout', async () => {
		const seeded = seed(handle.sandbox, 230);
		const { output, error } = await runWistfare(handle, {
			parameters: { operation: 'list', businessId: 'biz_123', returnAll: true },
		});
		expect(error).toBeUndefined();
		// Once page 1 gives the total, the next pages are fetched side by side.
		expect(handle.sandbox.requestsFor().map((request) => request.understood).sort((a, b) => Number(a.page) - Number(b.page))).toEqual([
			{ businessId: 'biz_123', perPage: '100', page: '1' },
			{ businessId: 'biz_123', perPage: '100', page: '2' },
			{ businessId: 'biz_123', perPage: '100', page: '3' },
		]);
		expect(output).toHaveLength(230);
		expect(output?.[0].json.id).toBe(seeded[229].id);
		expect(output?.[229].json.id).toBe(seeded[0].id);
		expect(output?.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Limit stops early and fetches no page it does not need', async () => {
		seed(handle.sandbox, 230);
		const { output } = await runWistfare(handle, {
			parameters: { operation: 'list', businessId: 'biz_123', returnAll: false, limit: 7 },
		});
		expect(output).toHaveLength(7);
		expect(handle.sandbox.requestsFor().map((request) => request.understood)).toEqual([
			{ businessId: 'biz_123', perPage: '7', page: '1' },
		]);
	});

	test('Limit above a page takes just enough pages', async () => {
		seed(handle.sandbox, 330);
		const { output } = await runWistfare(handle, {
			parameters: { operation: 'list', businessId: 'biz_123', returnAll: false, limit: 150 },
		});
		expect(output).toHaveLength(150);
		expect(handle.sandbox.requestsFor().map((request) => request.understood.page)).toEqual(['1', '2']);
	});

	test('filters are sent and applied on the client when the server ignores them', async () => {
		await restartSandbox(handle, { ignoreFilters: ['status', 'walletId', 'fromDate', 'toDate', 'referenceId'] });
		const seeded = seed(handle.sandbox, 150);
		handle.sandbox.store.setStatus(seeded[3].id, 'failed');
		handle.sandbox.store.setStatus(seeded[140].id, 'failed');
		handle.sandbox.store.setStatus(seeded[141].id, 'failed');
		seed(handle.sandbox, 2, { walletId: 'wal_other' }, Date.parse('2026-01-01T00:00:30Z'));
		const { output, taskData } = await runWistfare(handle, {
			parameters: {
				operation: 'list',
				businessId: 'biz_123',
				returnAll: true,
				filters: { status: 'failed', walletId: 'wal_456', fromDate: '2026-01-01T00:00:02', toDate: '2026-01-01T00:02:20' },
			},
		});
		expect(handle.sandbox.requestsFor()[0].understood).toEqual({
			businessId: 'biz_123',
			perPage: '100',
			page: '1',
			status: 'failed',
			walletId: 'wal_456',
			fromDate: '2026-01-01T00:00:02',
			toDate: '2026-01-01T00:02:20',
		});
		expect(handle.sandbox.requestsFor()).toHaveLength(2);
		expect(output?.map((item) => item.json.id)).toEqual([seeded[140].id, seeded[3].id]);
		expect(taskData?.hints).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('ignored one of them') })]);
	});

	test('From Date after To Date is refused before any request', async () => {
		const { error } = await runWistfare(handle, {
			parameters: { operation: 'list', businessId: 'biz_123', returnAll: true, filters: { fromDate: '2026-02-01', toDate: '2026-01-01' } },
		});
		expect(error?.message).toBe('Invalid "To Date" in row 1 (item 0): "2026-01-01" is before From Date "2026-02-01": no payout can match');
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test.each([
		['pages smaller than asked, envelope complete', { maxPerPage: 30 }],
		['pages smaller than asked, thin envelope (data only)', { maxPerPage: 30, thinEnvelope: true }],
		['thin envelope, full pages', { thinEnvelope: true }],
	])('Return All reads every payout once: %s', async (_name, options) => {
		await restartSandbox(handle, options);
		const seeded = seed(handle.sandbox, 205);
		const { output, error } = await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', returnAll: true } });
		expect(error).toBeUndefined();
		expect(output?.map((item) => item.json.id)).toEqual(seeded.map((record: { id: string }) => record.id).reverse());
	});

	test('outputs use the node\'s names whatever the server spoke; unknown fields pass through', async () => {
		await restartSandbox(handle, {});
		const [payout] = seed(handle.sandbox, 1);
		handle.sandbox.store.setStatus(payout.id, 'failed', { failureReason: 'Destination rejected', providerCode: 'X1' });
		const { output } = await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_123', limit: 1 } });
		const snake = serverKind().dialect === 'snake';
		expect(output?.[0].json).toMatchObject({
			id: payout.id,
			businessId: 'biz_123',
			referenceId: 'ref_0',
			createdAt: payout.createdAt,
			failureReason: 'Destination rejected',
			[snake ? 'provider_code' : 'providerCode']: 'X1',
		});
		expect(Object.keys(output![0].json).filter((name) => name.includes('_'))).toEqual(snake ? ['provider_code'] : []);
	});
});
