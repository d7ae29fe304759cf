import { deriveIdempotencyKey } from '../../../../../../nodes/Wistfare/actions/disbursement/initiate/plan';
import { runWistfare, useSandbox } from '../../../../../helpers';
import { rowsParameters } from './rows';

/** "Pay Again If It Failed" (retry.ts), under the real engine against the sandbox. */
const handle = useSandbox();

const row = { amount: '1500', phone: '250788000700', ref: 'INV-7' };
const payAgain = rowsParameters({ ifReferenceExists: 'payAgainIfFailed', fundsCheck: 'off' });
const posts = () => handle.sandbox.requestsFor('initiate');
const payouts = () => handle.sandbox.store.all() as Array<{ id: string; referenceId: string; status: string }>;
const fail = (referenceId: string) => handle.sandbox.store.setStatus(payouts().find((payout) => payout.referenceId === referenceId)!.id, 'failed');

describe('a failed payout paid again, never twice', () => {
	test('a failed payout is paid again as INV-7~2 with its own key; the next run pays nobody; if that fails too, INV-7~3', async () => {
		await runWistfare(handle, { parameters: payAgain, items: [row] });
		fail('INV-7');
		const [failed] = payouts();

		// The user fixes the number and runs the sheet again.
		const fixed = { ...row, phone: '250788000701' };
		const again = await runWistfare(handle, { parameters: payAgain, items: [fixed] });
		expect(again.error).toBeUndefined();
		expect(again.output?.[0].json).toMatchObject({ referenceId: 'INV-7~2', destinationRef: '250788000701', paidAgain: true, failedBefore: [failed.id] });
		expect(posts().at(-1)?.headers['idempotency-key']).toBe(deriveIdempotencyKey('biz_123', 'INV-7~2'));

		const third = await runWistfare(handle, { parameters: payAgain, items: [fixed] });
		expect(third.output?.[0].json).toMatchObject({ referenceId: 'INV-7~2', duplicate: true, failedBefore: [failed.id] });
		expect(posts()).toHaveLength(2);

		fail('INV-7~2');
		const fourth = await runWistfare(handle, { parameters: payAgain, items: [fixed] });
		expect(fourth.output?.[0].json).toMatchObject({ referenceId: 'INV-7~3', paidAgain: true });
		expect(payouts().map((payout) => payout.referenceId).sort()).toEqual(['INV-7', 'INV-7~2', 'INV-7~3']);
	});

	test.each(['pending', 'processing', 'completed', 'refunded'])('a payout that is %s is never paid again', async (status) => {
		await runWistfare(handle, { parameters: payAgain, items: [row] });
		handle.sandbox.store.setStatus(payouts()[0].id, status);
		const again = await runWistfare(handle, { parameters: payAgain, items: [row] });
		expect(again.output?.[0].json).toMatchObject({ referenceId: 'INV-7', status, duplicate: true });
		expect(posts()).toHaveLength(1);
	});

	test('without the option, the failed payout is the output, as before', async () => {
		await runWistfare(handle, { parameters: payAgain, items: [row] });
		fail('INV-7');
		const again = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: [row] });
		expect(again.output?.[0].json).toMatchObject({ referenceId: 'INV-7', status: 'failed', duplicate: true });
		expect(posts()).toHaveLength(1);
	});

	test('Preview shows it as retry, under the reference Pay would use', async () => {
		await runWistfare(handle, { parameters: payAgain, items: [row] });
		fail('INV-7');
		const { output } = await runWistfare(handle, { parameters: { ...payAgain, mode: 'preview' }, items: [row] });
		expect(output?.[0].json).toMatchObject({ action: 'retry', wouldSend: true, referenceId: 'INV-7~2' });
		expect(posts()).toHaveLength(1);
	});

	test('two runs of the sheet at once pay it again once', async () => {
		await runWistfare(handle, { parameters: payAgain, items: [row] });
		fail('INV-7');
		handle.sandbox.latencyMs = 20;
		try {
			const runs = await Promise.all([1, 2].map(() => runWistfare(handle, { parameters: payAgain, items: [row] })));
			expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
		} finally {
			handle.sandbox.latencyMs = 0;
		}
		expect(payouts().map((payout) => payout.referenceId).sort()).toEqual(['INV-7', 'INV-7~2']);
	});

	test('a reference that failed ten times is not paid again', async () => {
		await runWistfare(handle, { parameters: payAgain, items: [row] });
		fail('INV-7');
		for (let attempt = 2; attempt <= 10; attempt++) {
			await runWistfare(handle, { parameters: payAgain, items: [row] });
			fail(`INV-7~${attempt}`);
		}
		const { error } = await runWistfare(handle, { parameters: payAgain, items: [row] });
		expect(error?.message).toBe('Not sent: reference "INV-7" was paid and failed 10 times');
		expect(payouts()).toHaveLength(10);
	});
});
