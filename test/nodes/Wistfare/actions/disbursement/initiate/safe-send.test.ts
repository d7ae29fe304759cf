import { initiateOptions, initiateParameters, restartSandbox, runWistfare, useSandbox } from '../../../../../helpers';
import { serverKind } from '../../../../../servers';
import { virtualClock } from '../../../../../virtual-clock';
import { rows, rowsParameters } from './rows';

const lifecycle = { autoAdvance: true, processingAfterMs: 300, finalAfterMs: 900 };
const handle = useSandbox(lifecycle);


const payouts = () => handle.sandbox.store.all();
/**
 * List requests that pass before an injected list fault: the first look-up, and before it, on a strict
 * server, the look-up in the dialect it refuses (the wallet and fee readings teach the payouts nothing).
 */
const firstLookUp = () => (serverKind().strict ? 2 : 1);
const posts = () => handle.sandbox.requestsFor('initiate');

describe('no blind re-send, against a server that ignores the Idempotency-Key and lists new payouts 5 s late', () => {
	beforeAll(async () => await restartSandbox(handle, { ...lifecycle, ignoreIdempotencyKey: true, listLagMs: 5000 }));
	afterAll(async () => await restartSandbox(handle, lifecycle));

	test.each([
		['the answer is lost (connection cut after commit)', { type: 'commitThenDrop', times: 5 }],
		['a 502 after commit', { type: 'commitThenStatus', status: 502, times: 5 }],
		['a 409 "in progress"', { type: 'commitThenStatus', status: 409, times: 5 }],
		['a 200 with no id', { type: 'commitThenStatus', status: 200, body: { accepted: true }, times: 5 }],
	])('%s: one POST, one payout, found by reference', async (_name, fault) => {
		handle.sandbox.inject('initiate', fault);
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(payouts()).toHaveLength(1);
		expect(output?.[0].json).toMatchObject({ id: payouts()[0].id, reconciled: true });
	});

	test('Retry On Fail, answers lost on every try and the look-ups failing: one POST, one payout', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenDrop', times: 5 });
		// The first look-up answers; every look-up of the settle window then fails (3 tries each).
		handle.sandbox.inject('list', { type: 'status', status: 503, skip: firstLookUp(), times: 12 });
		const { output, error } = await runWistfare(handle, {
			parameters: { ...initiateParameters, ...initiateOptions({ settleSeconds: 5 }) },
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 1, // n8n reads 0 as its default, 1 s
		});
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(payouts()).toHaveLength(1);
		expect(output?.[0].json).toMatchObject({ id: payouts()[0].id, duplicate: true });
	});

	test('look-ups failing without Retry On Fail: "outcome unknown", saying what was checked, and nothing sent again', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenDrop' });
		handle.sandbox.inject('list', { type: 'status', status: 503, skip: firstLookUp(), times: 1000 });
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, ...initiateOptions({ settleSeconds: 5 }) } });
		expect(posts()).toHaveLength(1);
		expect(error?.message).toMatch(
			/^Outcome unknown for payout reference "vendor_payout_001" in row 1 \(item 0\): Wistfare did not confirm it \(Wistfare did not answer POST \/v1\/disbursements: .+\), and looked the reference up \d+ times over \d+ s, the last look-up failed \(Wistfare: Injected 503 \[internal_error\]\)$/,
		);
		expect(error?.description).toContain('Nothing more was sent');
	});

	test('a timeout: the slow request commits after the node gave up on it; the settle window finds it', async () => {
		// Real time here: the request's own timeout is real. The list shows payouts at once.
		await restartSandbox(handle, { ...lifecycle, ignoreIdempotencyKey: true });
		virtualClock.realSleeps = true;
		try {
			handle.sandbox.inject('initiate', { type: 'latency', ms: 1500 });
			const { output, error } = await runWistfare(handle, {
				parameters: { ...initiateParameters, ...initiateOptions({ requestTimeoutSeconds: 1, settleSeconds: 2 }) },
			});
			expect(error).toBeUndefined();
			expect(posts()).toHaveLength(1);
			expect(payouts()).toHaveLength(1);
			expect(output?.[0].json).toMatchObject({ id: payouts()[0].id, reconciled: true });
		} finally {
			virtualClock.realSleeps = false;
			await restartSandbox(handle, { ...lifecycle, ignoreIdempotencyKey: true, listLagMs: 5000 });
		}
	}, 15_000);

	test('the limit, measured: a list that lags longer than the settle window pays twice on such a server', async () => {
		await restartSandbox(handle, { ...lifecycle, ignoreIdempotencyKey: true, listLagMs: 60_000 });
		handle.sandbox.inject('initiate', { type: 'commitThenStatus', status: 502 });
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, ...initiateOptions({ settleSeconds: 30 }) } });
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(2);
		expect(payouts()).toHaveLength(2);
		await restartSandbox(handle, { ...lifecycle, ignoreIdempotencyKey: true, listLagMs: 5000 });
	});

	test('a 500 on every POST (nothing made): sent twice, each time after look-ups found nothing; then "outcome unknown"', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 500, times: 5 });
		const { error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(posts()).toHaveLength(2);
		expect(payouts()).toHaveLength(0);
		expect(error?.message).toMatch(
			/Wistfare did not confirm it \(Wistfare: Injected 500 \[internal_error\]\), and looked the reference up \d+ times over 3\d s: no payout with this reference was listed; then looked the reference up \d+ times over 3\d s: no payout with this reference was listed$/,
		);
	});
});

describe('one payout per business and reference per batch', () => {
	test.each([
		['derived keys', {}],
		['the user\'s own keys, one per row', { idempotencyKey: '={{ "own-" + $itemIndex }}' }],
	])('%s: rows repeating a reference follow the first row, at any concurrency', async (_name, extra) => {
		const items = [...rows(3, 'a'), { amount: '100', phone: '250788000000011', ref: 'a-0' }, { amount: '100', phone: '250788000000011', ref: 'a-0' }];
		items[3].phone = items[0].phone;
		items[4].phone = items[0].phone;
		const { output, error } = await runWistfare(handle, { parameters: rowsParameters({ concurrency: 8, ...extra }), items });
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(3);
		expect(payouts()).toHaveLength(3);
		const first = output![0].json;
		expect(output?.slice(3).map((item) => [item.json.id, item.json.duplicate, item.pairedItem])).toEqual([
			[first.id, true, { item: 3 }],
			[first.id, true, { item: 4 }],
		]);
	});

	test('a row repeating a reference with other details fails, naming the row it clashes with', async () => {
		const items = [
			{ amount: '100', phone: '250788000011', ref: 'x' },
			{ amount: '700', phone: '250788000011', ref: 'x' },
		];
		const { output } = await runWistfare(handle, { parameters: rowsParameters({ concurrency: 4 }), items, continueOnFail: true });
		expect(posts()).toHaveLength(1);
		expect(output?.[1].json.error).toBe(
			'Reference "x" is also used by row 1 (item 0) of this batch, with other details: Amount 100 (asked 700); this item was not sent',
		);
	});
});

describe('equivalent values are equal', () => {
	beforeAll(async () => await restartSandbox(handle, { ...lifecycle, echoFormats: true }));
	afterAll(async () => await restartSandbox(handle, lifecycle));

	test('"5000.00", "+2507…" and no currency in the answer match what was asked: a re-run returns the payout', async () => {
		await runWistfare(handle, { parameters: initiateParameters });
		const { output, error } = await runWistfare(handle, { parameters: { ...initiateParameters, amount: 5000 } });
		expect(error).toBeUndefined();
		// The amount in the currency's form; the number as Wistfare wrote it.
		expect(output?.[0].json).toMatchObject({ amount: '5000', destinationRef: '+250788000001', duplicate: true });
		expect(posts()).toHaveLength(1);
	});
});

test('the same reference with a different amount: says the payout was found and how it differs; nothing sent', async () => {
	await runWistfare(handle, { parameters: initiateParameters });
	const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, amount: '7000' } });
	expect(error?.message).toMatch(
		/^A payout with reference "vendor_payout_001" already exists \(disb_\w+, \w+\) with other details: Amount 5000 \(asked 7000\); nothing was sent$/,
	);
	expect(payouts()).toHaveLength(1);
	expect(posts()).toHaveLength(1);
});

test('the same Idempotency-Key with a different body: Wistfare refuses, no new payout', async () => {
	const ownKey = initiateOptions({ idempotencyKey: 'my-own-key-1' });
	await runWistfare(handle, { parameters: { ...initiateParameters, ...ownKey } });
	const { error } = await runWistfare(handle, {
		parameters: { ...initiateParameters, referenceId: 'another_ref', amount: '7000', ...ownKey },
	});
	expect(error?.httpCode).toBe('422');
	expect(error?.description).toContain('Idempotency-Key: was already used with a different request body');
	expect(payouts()).toHaveLength(1);
});

test('If Reference Exists = Error: fails and sends nothing', async () => {
	await runWistfare(handle, { parameters: initiateParameters });
	handle.sandbox.clearRequests();
	const { error } = await runWistfare(handle, {
		parameters: { ...initiateParameters, additionalFields: { ifReferenceExists: 'error' } },
	});
	expect(error?.message).toMatch(/already exists .*; nothing was sent$/);
	expect(posts()).toHaveLength(0);
});

describe('payout guard (credential)', () => {
	test('an amount over Max Amount Per Payout fails with no request sent', async () => {
		const { error } = await runWistfare(handle, { parameters: initiateParameters, credential: { maxAmountPerPayout: '4999' } });
		expect(error?.message).toBe(
			'Invalid "Amount" in row 1 (item 0): 5000 RWF is above this credential\'s Max Amount Per Payout (4,999 RWF): payout refused',
		);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('at the cap it goes through', async () => {
		const { error } = await runWistfare(handle, { parameters: initiateParameters, credential: { maxAmountPerPayout: '5000' } });
		expect(error).toBeUndefined();
		expect(payouts()).toHaveLength(1);
	});

	test('a destination type not allowed fails with no request sent', async () => {
		const { error } = await runWistfare(handle, {
			parameters: { ...initiateParameters, destinationType: '={{ "bank_account" }}', destinationRef: 'GB00BANK' },
			credential: { allowedDestinationTypes: 'mobile_money' },
		});
		expect(error?.message).toBe(
			'Invalid "Destination Type" in row 1 (item 0): "bank_account" is not allowed by this credential (allowed: mobile_money): payout refused',
		);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});
