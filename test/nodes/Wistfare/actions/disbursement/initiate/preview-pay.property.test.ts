import fc from 'fast-check';

import { runWistfare, useSandbox } from '../../../../../helpers';
import { rowsParameters } from './rows';

/**
 * Preview is Pay without the POSTs: over random batches (invalid rows, repeats with the same or
 * other details, payouts that already exist with the same or other details, short funds, both funds
 * modes, If Reference Exists and failed payouts to pay again, Continue On Fail on and off), the rows Preview marks `wouldSend` are
 * exactly the rows Pay sends, against the sandbox under the real engine.
 */
const handle = useSandbox();

const rowArb = fc.record({
	ref: fc.integer({ min: 0, max: 7 }),
	amount: fc.constantFrom('100', '250', '400', '1000'),
	phone: fc.constantFrom('250788000101', '+250 788 000 102', '0788000103', '12'),
});
const caseArb = fc.record({
	rows: fc.array(rowArb, { minLength: 1, maxLength: 8 }),
	existing: fc.array(fc.record({ ref: fc.integer({ min: 0, max: 7 }), sameAmount: fc.boolean(), failed: fc.boolean() }), { maxLength: 3 }),
	balance: fc.constantFrom(300, 1_000, 100_000),
	fundsCheck: fc.constantFrom('refuseBatch', 'payWhileFundsLast', 'off'),
	ifReferenceExists: fc.constantFrom('returnExisting', 'error', 'payAgainIfFailed'),
	continueOnFail: fc.boolean(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function setUp(example: Case, run: number) {
	handle.sandbox.store.reset();
	handle.sandbox.clearRequests();
	handle.sandbox.wallets.reset();
	handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: example.balance } }, fees: { biz_123: { percentageRate: '1.5' } } });
	const refOf = (ref: number) => `p${run}-${ref}`;
	for (const existing of example.existing) {
		const first = example.rows.find((row) => row.ref === existing.ref);
		const amount = existing.sameAmount && first ? first.amount : '777';
		const phone = first && /^250788/.test(first.phone.replace(/\D/g, '')) ? first.phone.replace(/\D/g, '') : '250788000101';
		if (!handle.sandbox.store.all().some((payout: { referenceId: string }) => payout.referenceId === refOf(existing.ref))) {
			const made = handle.sandbox.store.create({ businessId: 'biz_123', walletId: 'wal_456', amount, destinationType: 'mobile_money', destinationRef: phone, referenceId: refOf(existing.ref), currency: 'RWF' });
			if (existing.failed) handle.sandbox.store.setStatus(made.id, 'failed');
		}
	}
	const items = example.rows.map((row) => ({ amount: row.amount, phone: row.phone, ref: refOf(row.ref) }));
	const additional = { fundsCheck: example.fundsCheck, ifReferenceExists: example.ifReferenceExists };
	return { items, additional };
}

test('property: the rows Preview would send are exactly the rows Pay sends', async () => {
	let run = 0;
	await fc.assert(
		fc.asyncProperty(caseArb, async (example) => {
			run++;
			const { items, additional } = setUp(example, run);
			const shown = await runWistfare(handle, { parameters: { ...rowsParameters(additional), mode: 'preview' }, items, continueOnFail: example.continueOnFail });
			expect(handle.sandbox.requestsFor('initiate')).toEqual([]);
			const wouldSend = shown.error ? [] : shown.output!.filter((item) => item.json.wouldSend === true).map((item) => (item.pairedItem as { item: number }).item);
			await runWistfare(handle, { parameters: rowsParameters(additional), items, continueOnFail: example.continueOnFail });
			const sentRefs = handle.sandbox.requestsFor('initiate').map((request) => request.body.referenceId ?? request.body.reference_id);
			// Each sent reference is the first valid row of the batch with it (a bad number is never sent).
			const valid = (phone: string) => phone !== '12' && !phone.startsWith('0');
			// A payout paid again goes under a derived reference (p1-0~2): its row is the row of p1-0.
			const sentRows = sentRefs.map((ref: string) => items.findIndex((item) => item.ref === ref.replace(/~\d+$/, '') && valid(item.phone))).sort((a: number, b: number) => a - b);
			expect(sentRows).toEqual(wouldSend);
		}),
		{ numRuns: 60 },
	);
});
