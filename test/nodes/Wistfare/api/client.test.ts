import type { IPollFunctions } from 'n8n-workflow';

import { disbursementPages, normalizePage } from '../../../../nodes/Wistfare/api/client';
import { seed, triggerPoller, useSandbox } from '../../../helpers';

const handle = useSandbox();

describe('normalizePage: the list envelope in either spelling, thin or whole', () => {
	test('the server\'s word on hasMore, total and page size wins', () => {
		expect(normalizePage({ data: [{ id: 'a' }], total: 3, page: 1, per_page: 1, has_more: true }, { businessId: 'b', perPage: 100 })).toMatchObject({ total: 3, perPage: 1, hasMore: true });
		expect(normalizePage({ data: [{ id: 'a' }], total: 1, page: 1, perPage: 100 }, { businessId: 'b', perPage: 100 })).toMatchObject({ hasMore: false });
	});

	test('a thin envelope never ends the listing early: only an empty page is the last', () => {
		expect(normalizePage({ data: [{ id: 'a' }] }, { businessId: 'b', perPage: 100 })).toMatchObject({ hasMore: true, perPage: 1, total: undefined });
		expect(normalizePage({ data: [] }, { businessId: 'b', perPage: 100 })).toMatchObject({ hasMore: false });
		expect(normalizePage({ data: [{ disbursement_id: 'x', business_id: 'b' }] }, { businessId: 'b' }).data[0]).toMatchObject({ id: 'x', businessId: 'b' });
	});
});

test('disbursementPages: from a start page, newest first, each page asked for only when the caller goes on', async () => {
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
