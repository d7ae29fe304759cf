import { initiateParameters, runWistfare, useSandbox } from '../../../helpers';

const handle = useSandbox();

const invalidInitiate: Array<[string, Record<string, unknown>, string, RegExp]> = [
	['negative amount', { amount: '-5' }, 'Amount', /not a plain positive decimal/],
	['exponent', { amount: '5e3' }, 'Amount', /not a plain positive decimal/],
	['inner spaces', { amount: '5 000' }, 'Amount', /not a plain positive decimal/],
	['grouping', { amount: '5,000' }, 'Amount', /not a plain positive decimal/],
	['zero', { amount: '0' }, 'Amount', /must be greater than 0/],
	['amount from an empty expression', { amount: '={{ $json.missing }}' }, 'Amount', /is empty/],
	['RWF decimals', { amount: '5000.50' }, 'Amount', /RWF has no minor unit/],
	['three decimals', { amount: '5.125', additionalFields: { currency: 'USD' } }, 'Amount', /more than 2 decimals/],
	['leading zero', { amount: '05000' }, 'Amount', /leading zero/],
	['short MSISDN', { destinationRef: '2507880' }, 'Destination Ref', /9 to 15 digits/],
	['national form without a country code', { destinationRef: '0788 123 456' }, 'Destination Ref', /"0788 123 456" is a number without its country code: add it, e.g. 250788123456 for Rwanda, or set Default Country Code/],
	['a country code that is not one', { additionalFields: { defaultCountryCode: '25O' } }, 'Default Country Code', /not a country calling code/],
	['letters in MSISDN', { destinationRef: '25078800000A' }, 'Destination Ref', /9 to 15 digits/],
	['long MSISDN', { destinationRef: '2507880000000000' }, 'Destination Ref', /9 to 15 digits/],
	['currency', { additionalFields: { currency: 'RW' } }, 'Currency', /not a 3-letter ISO 4217 code/],
	['empty business', { businessId: '  ' }, 'Business ID', /is empty/],
	['reference from an empty expression', { referenceId: '={{ $json.nothing }}' }, 'Reference ID', /is empty/],
	['wallet from an empty expression', { walletId: '={{ "" }}' }, 'Wallet ID', /is empty/],
];

describe('validation before any request', () => {
	test.each(invalidInitiate)('%s', async (_name, override, field, problem) => {
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, ...override } });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(new RegExp(`^Invalid "${field}" in row 1 \\(item 0\\): `));
		expect(error?.message).toMatch(problem);
		expect(error?.context?.itemIndex).toBe(0);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('Initiate checks every item first: one bad row names its index and nothing at all is sent', async () => {
		const { error } = await runWistfare(handle, {
			parameters: { ...initiateParameters, amount: '={{ $json.amount }}', referenceId: '={{ $json.amount }}' },
			items: [{ amount: '10' }, { amount: '1e3' }, { amount: '30' }],
		});
		expect(error?.message).toMatch(/^Invalid "Amount" in row 2 \(item 1\): "1e3"/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('a required field left empty is refused by n8n itself before the node runs', async () => {
		await expect(runWistfare(handle, { parameters: { operation: 'get', disbursementId: '' } })).rejects.toThrow(
			'Parameter "Disbursement ID" is required',
		);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('an id from an expression that comes out empty fails before a request', async () => {
		const { error } = await runWistfare(handle, { parameters: { operation: 'get', disbursementId: '={{ $json.id }}' } });
		expect(error?.message).toBe('Invalid "Disbursement ID" in row 1 (item 0): is empty: a value is required');
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('a bad list date fails before a request', async () => {
		const { error } = await runWistfare(handle, {
			parameters: { operation: 'list', businessId: 'biz_123', returnAll: true, filters: { fromDate: 'yesterday' } },
		});
		expect(error?.message).toBe('Invalid "From Date" in row 1 (item 0): "yesterday" is not a date');
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('continueOnFail', () => {
	test('a failing item becomes an error item in its place; the others go on, all paired', async () => {
		const { output, error } = await runWistfare(handle, {
			continueOnFail: true,
			parameters: {
				...initiateParameters,
				amount: '={{ $json.amount }}',
				walletId: '={{ $json.wallet }}',
				referenceId: '={{ "ref-" + $itemIndex }}',
			},
			items: [
				{ amount: '10', wallet: 'wal_456' },
				{ amount: 'ten', wallet: 'wal_456' },
				{ amount: '20', wallet: 'w_bad' },
				{ amount: '30', wallet: 'wal_456' },
			],
		});
		expect(error).toBeUndefined();
		expect(output?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output?.[0].json.amount).toBe('10');
		expect(output?.[1].json).toEqual({ error: expect.stringMatching(/^Invalid "Amount" in row 2 \(item 1\): "ten"/) });
		expect(output?.[2].json).toEqual({
			error: 'Wistfare: Validation failed [validation_error]',
			httpCode: '422',
			code: 'validation_error',
			requestId: expect.stringMatching(/^req_/),
			details: { walletId: ['is not a wallet of this business'] },
		});
		expect(output?.[3].json.amount).toBe('30');
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.understood.amount)).toEqual(['10', '20', '30']);
	});
});

describe('credential checks', () => {
	test('a key of neither form is refused before any request', async () => {
		const { error } = await runWistfare(handle, {
			apiKey: 'sk_live_abc',
			parameters: { operation: 'get', disbursementId: 'disb_x' },
		});
		expect(error?.message).toMatch(/unknown format: keys start with "wf_test_" \(test mode\) or "wf_live_"/);
		expect(error?.message).not.toContain('sk_live_abc');
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('plain http:// to a host that is not loopback is refused', async () => {
		const { error } = await runWistfare(handle, {
			baseUrl: 'http://api.example.com',
			parameters: { operation: 'get', disbursementId: 'disb_x' },
		});
		expect(error?.message).toMatch(/uses plain http:\/\/ to a host that is not this machine/);
	});

	const pasted = 'wf_live_9f8e7d6c5b4a39281706';
	test.each([
		['instead of the URL', pasted],
		['after the host', `https://api-production.wistfare.com/${pasted}`],
		['as a query', `https://api-production.wistfare.com?key=${pasted}`],
		['as a user', `https://${pasted}@api-production.wistfare.com`],
		['over plain http', `http://api.example.com/${pasted}`],
	])('a key pasted into Base URL (%s) is refused, and appears in no output, error or log', async (_where, baseUrl) => {
		const written: string[] = [];
		const capture = (stream: NodeJS.WriteStream) =>
			jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- the test reads what the process writes
		const spies = [capture(process.stdout), capture(process.stderr), ...(['log', 'warn', 'error', 'info', 'debug'] as const).map((name) => jest.spyOn(console, name).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))))];
		try {
			for (const parameters of [{ operation: 'get', disbursementId: 'disb_x' }, { operation: 'list', businessId: 'biz_123', returnAll: true }]) {
				const { error, output } = await runWistfare(handle, { baseUrl, parameters });
				expect(error?.message).toMatch(/^The Base URL/);
				const shown = JSON.stringify({ output, message: error?.message, description: error?.description, context: error?.context, stack: error?.stack });
				expect(shown).not.toContain(pasted);
			}
		} finally {
			for (const spy of spies) spy.mockRestore();
		}
		expect(written.join('\n')).not.toContain(pasted);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test.each(['http://localhost:1', 'http://127.0.0.2:1', 'http://[::1]:1'])('loopback %s is allowed', async (baseUrl) => {
		const { error } = await runWistfare(handle, { baseUrl, parameters: { operation: 'get', disbursementId: 'disb_x' } });
		expect(error?.message).toMatch(/did not answer GET/);
	});
});

describe('Business ID and Wallet ID set once on the credential', () => {
	const defaults = { defaultBusinessId: 'biz_123', defaultWalletId: 'wal_456' };

	test('Initiate, List and Wallet → Get use them when the node leaves the field empty', async () => {
		const paid = await runWistfare(handle, { parameters: { ...initiateParameters, businessId: '', walletId: '' }, credential: defaults });
		expect(paid.error).toBeUndefined();
		expect(paid.output?.[0].json).toMatchObject({ businessId: 'biz_123', walletId: 'wal_456' });
		const listed = await runWistfare(handle, { parameters: { operation: 'list', businessId: '', limit: 5 }, credential: defaults });
		expect(listed.output?.map((item) => item.json.referenceId)).toEqual([initiateParameters.referenceId]);
		handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 5000 } } });
		const wallet = await runWistfare(handle, { parameters: { resource: 'wallet', operation: 'get', walletId: '' }, credential: defaults });
		expect(wallet.output?.[0].json).toMatchObject({ id: 'wal_456', balance: '5000' });
	});

	test('a value in the node wins over the credential\'s', async () => {
		const { output } = await runWistfare(handle, { parameters: { operation: 'list', businessId: 'biz_other', limit: 5 }, credential: defaults });
		expect(output).toEqual([]);
		expect(handle.sandbox.requestsFor('list')[0].understood.businessId).toBe('biz_other');
	});

	test('neither set: refused before any request, naming both places', async () => {
		const { error } = await runWistfare(handle, { parameters: { ...initiateParameters, businessId: '' } });
		expect(error?.message).toBe('Invalid "Business ID" in row 1 (item 0): is empty: set it here, or set Default Business ID on the credential');
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});
