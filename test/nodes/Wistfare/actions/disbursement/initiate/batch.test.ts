import { runWistfare, useSandbox } from '../../../../../helpers';
import { rowsParameters } from './rows';

/** Rows decided in input order (batch.ts, `RowOrder`), under the real engine against the sandbox. */
const handle = useSandbox();

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ amount: '100', phone: `25078800050${i}`, ref: `order-${i}` }));
const sentRefs = () => handle.sandbox.requestsFor('initiate').map((request) => request.body.referenceId ?? request.body.reference_id);

describe('rows decided in input order', () => {
	// Row 1's reference already exists with other details, and its look-up is slow: rows 2 and 3,
	// looked up at the same time, are ready first.
	const setUp = () => {
		handle.sandbox.store.create({ businessId: 'biz_123', walletId: 'wal_456', amount: '999', destinationType: 'mobile_money', destinationRef: '250788000501', referenceId: 'order-1' });
		handle.sandbox.inject('list', { type: 'latency', ms: 300, skip: 1, times: 1 });
	};

	test('without Continue On Fail, no row after a failing one is sent, whatever the concurrency', async () => {
		setUp();
		const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off', concurrency: 4 }), items: rows(6) });
		expect(error?.message).toMatch(/^A payout with reference "order-1" already exists .* with other details/);
		expect(sentRefs()).toEqual(['order-0']);
	});

	test('with Continue On Fail, the rows do not wait for each other: every other row is sent', async () => {
		setUp();
		const { output } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off', concurrency: 4 }), items: rows(6), continueOnFail: true });
		expect(output?.[1].json.error).toMatch(/already exists/);
		expect(sentRefs().sort()).toEqual(['order-0', 'order-2', 'order-3', 'order-4', 'order-5']);
	});
});
