import { initiateParameters, runWistfare, useSandbox } from '../../helpers';

const handle = useSandbox({ autoAdvance: true, processingAfterMs: 300, finalAfterMs: 900 });

const rowsParameters = {
	...initiateParameters,
	amount: '={{ $json.amount }}',
	destinationRef: '={{ $json.phone }}',
	referenceId: '={{ $json.ref }}',
};

describe('money safety', () => {
	test('Retry On Fail (3 tries) after "commit then drop the connection": exactly one payout, output is it', async () => {
		// The first attempt's POST is committed but never answered, its retries too, and the reconcile
		// look-up fails: the item fails and n8n runs it again.
		handle.sandbox.inject('initiate', { type: 'commitThenDrop', times: 3 });
		handle.sandbox.inject('list', { type: 'status', status: 503, skip: 1, times: 3 });
		const { output, error, taskData } = await runWistfare(handle, {
			parameters: initiateParameters,
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
		});
		expect(error).toBeUndefined();
		const payouts = handle.sandbox.store.all();
		expect(payouts).toHaveLength(1);
		expect(output).toHaveLength(1);
		expect(output?.[0].json).toMatchObject({ id: payouts[0].id, referenceId: 'vendor_payout_001', duplicate: true });
		expect(taskData).toBeDefined();
	});

	test('a dropped answer reconciled by reference when every retry of the POST is cut', async () => {
		handle.sandbox.inject('initiate', { type: 'commitThenDrop', times: 3 });
		const { output, error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(output?.[0].json).toMatchObject({ id: handle.sandbox.store.all()[0].id, reconciled: true });
	});

	test('re-running the same 1,000 rows sends no new payout', async () => {
		const rows = Array.from({ length: 1000 }, (_, i) => ({ amount: String(100 + i), phone: `2507880${String(i).padStart(5, '0')}1`, ref: `payroll-2026-11-${i}` }));
		const first = await runWistfare(handle, { parameters: rowsParameters, items: rows });
		expect(first.error).toBeUndefined();
		expect(handle.sandbox.store.all()).toHaveLength(1000);
		handle.sandbox.clearRequests();
		const again = await runWistfare(handle, { parameters: rowsParameters, items: rows });
		expect(again.error).toBeUndefined();
		expect(handle.sandbox.store.all()).toHaveLength(1000);
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(0);
		expect(again.output).toHaveLength(1000);
		expect(again.output?.every((item, i) => item.json.duplicate === true && item.json.id === first.output?.[i].json.id)).toBe(true);
		expect(again.output?.map((item) => item.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
	}, 60_000);

	test('500 on every POST try: a clear "outcome unknown" error and no payout', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 500, times: 3 });
		const { error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(3);
		expect(handle.sandbox.store.all()).toHaveLength(0);
		expect(error?.message).toBe(
			'Outcome unknown for payout reference "vendor_payout_001" in item 0: Wistfare did not confirm it, and no payout with this reference was found',
		);
		expect(error?.description).toContain('same Reference ID is safe');
	});

	test('a timeout on the POST: retried with the same key, exactly one payout', async () => {
		handle.sandbox.inject('initiate', { type: 'latency', ms: 1500 });
		const { output, error } = await runWistfare(handle, {
			parameters: { ...initiateParameters, additionalFields: { requestTimeoutSeconds: 1 } },
		});
		expect(error).toBeUndefined();
		await new Promise((resolve) => setTimeout(resolve, 700)); // the slow first request finishes meanwhile
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(output?.[0].json.id).toBe(handle.sandbox.store.all()[0].id);
	});

	test('429 on the POST: waits and sends once more, exactly one payout', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 0, times: 2 });
		const { error } = await runWistfare(handle, { parameters: initiateParameters });
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.status)).toEqual([429, 429, 201]);
		expect(handle.sandbox.store.all()).toHaveLength(1);
	});

	test('the same reference with a different amount: a clear error, no new payout', async () => {
		await runWistfare(handle, { parameters: initiateParameters });
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, amount: '7000' } });
		expect(error?.message).toMatch(/A payout with reference "vendor_payout_001" already exists \(disb_\w+, \w+\) with other details: amount 5000 \(asked 7000\); nothing was sent/);
		expect(handle.sandbox.store.all()).toHaveLength(1);
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
	});

	test('the same Idempotency-Key with a different body: Wistfare refuses, no new payout', async () => {
		const additionalFields = { idempotencyKey: 'my-own-key-1' };
		await runWistfare(handle, { parameters: { ...initiateParameters, additionalFields } });
		const { error } = await runWistfare(handle, {
			parameters: { ...initiateParameters, referenceId: 'another_ref', amount: '7000', additionalFields },
		});
		expect(error?.httpCode).toBe('422');
		expect(error?.description).toContain('Idempotency-Key: was already used with a different request body');
		expect(handle.sandbox.store.all()).toHaveLength(1);
	});

	test('If Reference Exists = Error: fails and sends nothing', async () => {
		await runWistfare(handle, { parameters: initiateParameters });
		handle.sandbox.clearRequests();
		const { error } = await runWistfare(handle, {
			parameters: { ...initiateParameters, additionalFields: { ifReferenceExists: 'error' } },
		});
		expect(error?.message).toMatch(/already exists .*; nothing was sent$/);
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(0);
	});

	describe('wait for final status', () => {
		const waiting = (extra: Record<string, unknown>) => ({
			...initiateParameters,
			additionalFields: { waitForFinalStatus: true, pollIntervalSeconds: 1, timeoutSeconds: 10, ...extra },
		});

		test('completed', async () => {
			const { output } = await runWistfare(handle, { parameters: waiting({}) });
			expect(output?.[0].json).toMatchObject({ status: 'completed', timedOut: false, idempotencyKey: expect.any(String) });
			expect(handle.sandbox.requestsFor('get').length).toBeGreaterThanOrEqual(1);
		});

		test('failed', async () => {
			const { output } = await runWistfare(handle, { parameters: { ...waiting({}), destinationRef: '250788110000' } });
			expect(output?.[0].json).toMatchObject({ status: 'failed', timedOut: false, failureReason: expect.any(String) });
		});

		test('timeout: the last status and timedOut, not an error', async () => {
			handle.sandbox.store.finalAfterMs = 60_000;
			try {
				const { output, error } = await runWistfare(handle, { parameters: waiting({ timeoutSeconds: 1 }) });
				expect(error).toBeUndefined();
				expect(output?.[0].json).toMatchObject({ status: 'processing', timedOut: true });
			} finally {
				handle.sandbox.store.finalAfterMs = 900;
			}
		});
	});

	describe('payout guard (credential)', () => {
		test('an amount over Max Amount Per Payout fails with no request sent', async () => {
			const { error } = await runWistfare(handle, { parameters: initiateParameters, credential: { maxAmountPerPayout: '4999' } });
			expect(error?.message).toBe(
				'Invalid "amount" in item 0: 5000 is above this credential\'s Max Amount Per Payout (4999): payout refused',
			);
			expect(handle.sandbox.requests).toHaveLength(0);
		});

		test('at the cap it goes through', async () => {
			const { error } = await runWistfare(handle, { parameters: initiateParameters, credential: { maxAmountPerPayout: '5000' } });
			expect(error).toBeUndefined();
			expect(handle.sandbox.store.all()).toHaveLength(1);
		});

		test('a destination type not allowed fails with no request sent', async () => {
			const { error } = await runWistfare(handle, {
				parameters: { ...initiateParameters, destinationType: '={{ "bank_account" }}', destinationRef: 'GB00BANK' },
				credential: { allowedDestinationTypes: 'mobile_money' },
			});
			expect(error?.message).toBe(
				'Invalid "destinationType" in item 0: "bank_account" is not allowed by this credential (allowed: mobile_money): payout refused',
			);
			expect(handle.sandbox.requests).toHaveLength(0);
		});
	});
});
