import { initiateParameters, runWistfare, useSandbox } from '../../helpers';

const handle = useSandbox();

const rowsParameters = {
	...initiateParameters,
	amount: '={{ $json.amount }}',
	destinationRef: '={{ $json.phone }}',
	referenceId: '={{ $json.ref }}',
};
const rows = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ amount: String(100 + i), phone: `2507880${String(i).padStart(5, '0')}1`, ref: `payroll-2026-11-${i}` }));
const payouts = () => handle.sandbox.store.all();
const posts = () => handle.sandbox.requestsFor('initiate');

test('re-running the same 1,000 rows sends no new payout', async () => {
	const batch = rows(1000);
	const first = await runWistfare(handle, { parameters: rowsParameters, items: batch });
	expect(first.error).toBeUndefined();
	expect(payouts()).toHaveLength(1000);
	handle.sandbox.clearRequests();
	const again = await runWistfare(handle, { parameters: rowsParameters, items: batch });
	expect(again.error).toBeUndefined();
	expect(payouts()).toHaveLength(1000);
	expect(posts()).toHaveLength(0);
	expect(again.output).toHaveLength(1000);
	expect(again.output?.every((item, i) => item.json.duplicate === true && item.json.id === first.output?.[i].json.id)).toBe(true);
	expect(again.output?.map((item) => item.pairedItem)).toEqual(batch.map((_, item) => ({ item })));
}, 60_000);
