import { WistfareApi } from '../../../../credentials/WistfareApi.credentials';
import { Wistfare } from '../../../../nodes/Wistfare/Wistfare.node';
import { runListSearch } from '../../../harness/engine';
import { NODE_TYPE, runWistfare, seed, TEST_KEY, useSandbox } from '../../../helpers';

const handle = useSandbox();

describe('Disbursement as a resource locator', () => {
	test.each([
		['By ID', (id: string) => ({ __rl: true, mode: 'id', value: ` ${id} ` })],
		['From List', (id: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: 'ref_0 · 1000 RWF · pending' })],
	])('Get takes the payout %s', async (_mode, locator) => {
		const [payout] = seed(handle.sandbox, 1);
		const { output, error } = await runWistfare(handle, { parameters: { operation: 'get', disbursementId: locator(payout.id) } });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor().map((request) => request.path)).toEqual([`/v1/disbursements/${payout.id}`]);
		expect(output?.[0].json.id).toBe(payout.id);
	});

	test('From List searches the business\'s recent payouts by Reference ID and shows reference, amount and status', async () => {
		const payouts = seed(handle.sandbox, 12);
		handle.sandbox.store.setStatus(payouts[11].id, 'completed');
		const { results } = await runListSearch({
			nodeTypes: { [NODE_TYPE]: new Wistfare() },
			credentialTypes: { wistfareApi: new WistfareApi() },
			credentials: { wistfareApi: { apiKey: TEST_KEY, baseUrl: handle.url } },
			node: { type: NODE_TYPE, parameters: { resource: 'disbursement', operation: 'get', businessId: 'biz_123' } },
			method: 'searchDisbursements',
			filter: 'REF_1',
		});
		expect(results).toEqual([
			{ name: 'ref_11 · 1011 RWF · completed', value: payouts[11].id },
			{ name: 'ref_10 · 1010 RWF · pending', value: payouts[10].id },
			{ name: 'ref_1 · 1001 RWF · pending', value: payouts[1].id },
		]);
		expect(handle.sandbox.requestsFor().map((request) => request.understood)).toEqual([{ businessId: 'biz_123', perPage: '100', page: '1' }]);
	});
});
