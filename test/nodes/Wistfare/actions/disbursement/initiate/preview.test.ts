import { runWistfare, useSandbox } from '../../../../../helpers';
import { rowsParameters } from './rows';

const handle = useSandbox();

const row = (i: number, extra: Record<string, unknown> = {}) => ({ amount: '400', phone: `25078800010${i}`, ref: `pay-${i}`, ...extra });
const funds = (balance: number) =>
	handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance } }, fees: { biz_123: { feeModel: 'percentage', percentageRate: '1.5' } } });
const preview = (items: Array<Record<string, unknown>>, additional: Record<string, unknown> = {}, credential?: Record<string, unknown>, continueOnFail = false) =>
	runWistfare(handle, { parameters: { ...rowsParameters(additional), mode: 'preview' }, items, credential, continueOnFail });
const pay = (items: Array<Record<string, unknown>>, additional: Record<string, unknown> = {}) => runWistfare(handle, { parameters: rowsParameters(additional), items });
const posts = () => handle.sandbox.requestsFor('initiate');

describe('Preview (send no payout)', () => {
	test('each item says what Pay would do, with its fee, debit and wallet totals; nothing is sent; Pay then does exactly that', async () => {
		funds(10_000);
		await pay([row(0), row(1)]);
		handle.sandbox.clearRequests();
		const items = [row(0), row(1, { amount: '999' }), row(2), row(2), row(3, { phone: '12' }), row(4)];
		// With Continue On Fail, each row on its own.
		const { output, error, taskData } = await preview(items, {}, undefined, true);
		expect(error).toBeUndefined();
		expect(posts()).toEqual([]);
		const shown = output!.map((item) => [item.json.action, item.json.wouldSend, item.pairedItem]);
		expect(shown).toEqual([
			['exists', false, { item: 0 }],
			['conflict', false, { item: 1 }],
			['pay', true, { item: 2 }],
			['duplicate', false, { item: 3 }],
			['invalid', false, { item: 4 }],
			['pay', true, { item: 5 }],
		]);
		const [exists, conflict, toPay, duplicate, invalid] = output!.map((item) => item.json);
		expect(exists).toMatchObject({ preview: true, referenceId: 'pay-0', existing: { referenceId: 'pay-0', amount: '400' } });
		expect(conflict.reason).toMatch(/^A payout with this Reference ID already exists \(.+\) with other details: Amount 400 \(asked 999\); Pay would fail this item$/);
		expect(toPay).toMatchObject({
			amount: '400',
			estimatedFee: '6',
			feeReading: 'rate 1.5 read as a percentage',
			debit: '406',
			walletTotals: { walletId: 'wal_456', currency: 'RWF', payouts: 2, amount: '800', fees: '12', debit: '812', balance: '9188', state: 'active', verdict: 'enough' },
			batch: { payouts: 2, fundsCheck: 'pass' },
		});
		expect(duplicate).toMatchObject({ sameAsItem: 2, reason: 'Paid by row 3 (item 2) of this batch; Pay would send nothing more for this item' });
		expect(invalid.reason).toBe('Invalid "Destination Ref" in row 5 (item 4): "12" is not a mobile money number: use 9 to 15 digits in international form, e.g. 250788000000');
		expect(taskData?.hints).toEqual([expect.objectContaining({ type: 'info', message: expect.stringMatching(/^Preview, nothing was sent\. Pay would send 2 payout\(s\); funds check: pass; wallet "wal_456": 2 payout\(s\), 812 RWF/) })]);

		const previewRequests = handle.sandbox.requestsFor().length;

		// Without it, as Pay: a bad row stops the batch before any request, so nothing would be sent.
		const stopped = await preview(items);
		expect(stopped.output!.map((item) => item.json.wouldSend)).toEqual([false, false, false, false, false, false]);
		expect(stopped.output![2].json.reason).toBe('Not sent: Pay would send nothing: row 5 (item 4) is invalid, and Continue On Fail is off');
		expect(stopped.output![0].json.batch).toMatchObject({ payouts: 0, stoppedAt: -1 });
		expect(posts()).toEqual([]);

		// No more requests than Pay's own checks: Pay, for the same batch without its bad row, reads as much before its first POST.
		handle.sandbox.clearRequests();
		const paid = await runWistfare(handle, { parameters: rowsParameters(), items: [row(0), row(2), row(2), row(4)] });
		expect(paid.error).toBeUndefined();
		const firstPost = handle.sandbox.requestsFor().findIndex((request) => request.route === 'POST /v1/disbursements');
		expect(previewRequests).toBeLessThanOrEqual(firstPost + 1);
		expect(posts().map((request) => request.body.referenceId ?? request.body.reference_id)).toEqual(['pay-2', 'pay-4']);
	});

	test('a batch that would overdraw: the preview says the funds check refuses it, in Pay\'s own words', async () => {
		funds(1_000);
		const items = [row(0), row(1), row(2)];
		const { output } = await preview(items);
		const refusal = 'Nothing was sent: wallet "wal_456" has 1,000 RWF and this batch needs 1,218 RWF (1,200 for 3 payouts plus 18 estimated fees)';
		expect(output!.map((item) => [item.json.action, item.json.wouldSend])).toEqual([['pay', false], ['pay', false], ['pay', false]]);
		expect(output![0].json.batch).toEqual({ payouts: 0, fundsCheck: 'refused', refusal });
		expect((await pay(items)).error?.message).toBe(refusal);
		// In "Pay in Input Order While Funds Last" mode, the preview names the rows that would be paid.
		const partly = await preview(items, { fundsCheck: 'payWhileFundsLast' }, undefined, true);
		expect(partly.output!.map((item) => item.json.wouldSend)).toEqual([true, true, false]);
		expect(partly.output![2].json.reason).toMatch(/^Not sent: wallet "wal_456" has 1,000 RWF/);
		expect(posts()).toEqual([]);
	});

	test('a server without the wallet and fee endpoints: the preview says what it could not check', async () => {
		const { output } = await preview([row(0)]);
		expect(output![0].json).toMatchObject({
			action: 'pay',
			wouldSend: true,
			estimatedFee: null,
			debit: '400',
			walletTotals: { verdict: 'notChecked', balance: null },
			batch: { fundsCheck: 'notChecked', notChecked: [expect.stringMatching(/^the balance of wallet "wal_456" \(Wistfare answered 404/), expect.stringMatching(/^the fees of business "biz_123"/)] },
		});
	});

	test('the credential\'s Max Total Per Day shows in the preview as in Pay', async () => {
		const { output } = await preview([row(0), row(1), row(2)], {}, { maxTotalPerDay: '1000' });
		expect(output![0].json.batch).toMatchObject({ fundsCheck: 'refused', refusal: expect.stringContaining('business "biz_123" may pay 1,000 RWF a day') });
		expect(posts()).toEqual([]);
	});
});
