import type { IExecuteFunctions } from 'n8n-workflow';

import { isFor, Listing } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/listing';
import type { WistfareSession } from '../../../../../../nodes/Wistfare/api/session';
import { virtualClock } from '../../../../../virtual-clock';
import type { Disbursement } from '../../../../../../nodes/Wistfare/payout/types';

// The Listing class itself (read once, kept fresh, read again when the count says so) is tested
// through Initiate under the engine: references.test.ts and safe-send.test.ts.
test('a listed payout is for a reference when the reference matches and the business does or is not said', () => {
	const payout = { referenceId: 'ref_1', businessId: 'biz_1' } as Disbursement;
	expect(isFor(payout, 'biz_1', 'ref_1')).toBe(true);
	expect(isFor(payout, 'biz_2', 'ref_1')).toBe(false);
	expect(isFor(payout, 'biz_1', 'ref_2')).toBe(false);
	expect(isFor({ referenceId: 'ref_1' } as Disbursement, 'biz_9', 'ref_1')).toBe(true);
});

describe('a listing shared by the executions of one key (same-key.ts)', () => {
	const page = (ids: string[]) => ({ statusCode: 200, body: { data: ids.map((id) => ({ id, referenceId: `ref_${id}`, businessId: 'biz_1', status: 'completed', amount: '100', createdAt: '2026-12-01T00:00:00Z' })), total: ids.length, page: 1, perPage: 100, hasMore: false } });
	const refusal = { statusCode: 400, body: { error: { code: 'invalid_request', message: 'Refused here' } } };

	/** One execution, as much of it as a listing uses, its answers given by `answer`; counts its requests. */
	function asker(answer: () => Promise<{ statusCode: number; body: unknown }>) {
		const sent = { count: 0 };
		const context = {
			getNode: () => ({ id: '1', name: 'Wistfare', type: 'n8n-nodes-wistfare.wistfare', typeVersion: 1, position: [0, 0], parameters: {} }),
			logger: { debug: () => undefined },
			helpers: {
				httpRequestWithAuthentication: async () => {
					sent.count++;
					return { ...(await answer()), headers: {} };
				},
			},
		} as unknown as IExecuteFunctions;
		const session: WistfareSession = { credentials: { baseUrl: 'http://127.0.0.1:9', mode: 'test', dialect: 'camel' } };
		return { via: { context, session }, sent };
	}

	test('when another execution\'s check fails, the rows waiting on it from this one check again themselves; its own rows get its error', async () => {
		const listing = new Listing('biz_1');
		let answerA: (answer: { statusCode: number; body: unknown }) => void = () => undefined;
		const first = asker(async () => page(['p1']));
		await listing.readAll(first.via, 0);
		expect(listing.verifiable).toBe(true);
		const a = asker(() => new Promise((resolve) => (answerA = resolve)));
		const b = asker(async () => page(['p1']));
		virtualClock.offset += 1500;

		const aRow = listing.find(a.via, 'ref_x', 0);
		const aOtherRow = listing.find(a.via, 'ref_y', 1);
		const bRow = listing.find(b.via, 'ref_x', 0);
		for (let turn = 0; turn < 1000 && a.sent.count === 0; turn++) await Promise.resolve();
		expect([a.sent.count, b.sent.count]).toEqual([1, 0]); // b waits on a's check
		answerA(refusal);

		await expect(aRow).rejects.toThrow('Refused here');
		await expect(aOtherRow).rejects.toThrow('Refused here');
		await expect(bRow).resolves.toBeUndefined();
		expect([a.sent.count, b.sent.count]).toEqual([1, 1]);
		// b's check is fresh: a's next row needs no request, and finds b's reading.
		await expect(listing.find(a.via, 'ref_p1', 2)).resolves.toMatchObject({ id: 'p1' });
		expect(a.sent.count).toBe(1);
	});
});
