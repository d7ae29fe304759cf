import { runWistfare, seed, useSandbox } from '../../../../../helpers';
import { virtualClock } from '../../../../../virtual-clock';
import { rowsParameters } from './rows';

const handle = useSandbox();

/** Three payouts of 400 RWF; with the sandbox's 1.5 % fee on top, 406 each. */
const items = (count = 3, prefix = 'pay') => Array.from({ length: count }, (_, i) => ({ amount: '400', phone: `25078800010${i}`, ref: `${prefix}-${i}` }));
const posts = () => handle.sandbox.requestsFor('initiate');
const paid = () => handle.sandbox.store.all().map((record: { referenceId: string }) => record.referenceId).sort();
const wallet = (balance: number, extra: Record<string, unknown> = {}) =>
	handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance, ...extra } }, fees: { biz_123: { feeModel: 'percentage', percentageRate: '1.5' } } });
const balance = () => handle.sandbox.wallets.wallets.get('wal_456')?.balance;
const hints = (taskData: { hints?: Array<{ type: string; message: string }> } | undefined) => taskData?.hints ?? [];

describe('the funds check before the first payout request', () => {
	test('a batch that would overdraw its wallet: nobody is paid, one error with the balance, the need and the count', async () => {
		wallet(1_000);
		const { output, error } = await runWistfare(handle, { parameters: rowsParameters(), items: items() });
		expect(output).toBeUndefined();
		expect(error?.message).toBe(
			'Nothing was sent: wallet "wal_456" has 1,000 RWF and this batch needs 1,218 RWF (1,200 for 3 payouts plus 18 estimated fees)',
		);
		expect(error?.description).toContain('No payout request was sent for any item');
		expect(posts()).toEqual([]);
		expect(balance()).toBe(1_000);
	});

	test('with "Continue On Fail" every item carries the refusal, and still nobody is paid', async () => {
		wallet(1_000);
		const { output } = await runWistfare(handle, { parameters: rowsParameters(), items: items(), continueOnFail: true });
		expect(output?.map((item) => [item.json.error, item.pairedItem])).toEqual(
			[0, 1, 2].map((item) => [expect.stringMatching(/^Nothing was sent: wallet "wal_456" has 1,000 RWF/), { item }]),
		);
		expect(posts()).toEqual([]);
	});

	test('a batch the wallet covers is paid, and the output pane says what was checked', async () => {
		wallet(1_218);
		const { output, error, taskData } = await runWistfare(handle, { parameters: rowsParameters(), items: items() });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(balance()).toBe(0);
		expect(hints(taskData)).toContainEqual(
			expect.objectContaining({ type: 'info', message: 'Funds checked before paying: wallet "wal_456" had 1,218 RWF, this batch needed at most 1,218 RWF (1,200 for 3 payouts plus 18 estimated fees). Fees estimated with rate 1.5 read as a percentage (the fee counted on top of the amount).' }),
		);
	});

	test('"Pay in Input Order While Funds Last": the first payouts the balance covers are paid, the rest fail clearly', async () => {
		wallet(1_000);
		const { output } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'payWhileFundsLast' }), items: items(4), continueOnFail: true });
		expect(paid()).toEqual(['pay-0', 'pay-1']);
		expect(output?.map((item) => item.json.error ?? item.json.referenceId)).toEqual([
			'pay-0',
			'pay-1',
			'Not sent: wallet "wal_456" has 1,000 RWF; the payouts before this one take 812 RWF and this one 406 RWF',
			'Not sent: row 3 (item 2) before it was not covered (wallet "wal_456" has 1,000 RWF; the payouts before this one take 812 RWF and this one 406 RWF), and no later payout of the same wallet is sent',
		]);
		// Without "Continue On Fail" the first item not covered is the node's error; those before it are paid.
		handle.sandbox.store.reset();
		wallet(1_000);
		const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'payWhileFundsLast' }), items: items(4) });
		expect(error?.message).toMatch(/^Not sent: wallet "wal_456" has 1,000 RWF/);
		expect(error?.context?.itemIndex).toBe(2);
		expect(paid()).toEqual(['pay-0', 'pay-1']);
	});

	test('a re-run counts only the rows not paid yet, after a day has passed', async () => {
		wallet(1_000);
		await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'payWhileFundsLast' }), items: items(), continueOnFail: true });
		expect(balance()).toBe(188);
		await virtualClock.sleep(26 * 3600_000);
		// The whole batch (1,218) is more than the wallet holds, but two of its rows already exist.
		handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 406 } } });
		const { output, error } = await runWistfare(handle, { parameters: rowsParameters(), items: items() });
		expect(error).toBeUndefined();
		expect(output?.map((item) => [item.json.referenceId, item.json.duplicate ?? false])).toEqual([
			['pay-0', true],
			['pay-1', true],
			['pay-2', false],
		]);
		expect(posts()).toHaveLength(3);
		expect(balance()).toBe(0);
	});

	test('a 429 on the wallet reading does not slow the payouts: the readings have their own pace', async () => {
		wallet(100_000);
		handle.sandbox.inject('GET /v1/wallets', { type: 'status', status: 429, retryAfter: 1 });
		const { output, error } = await runWistfare(handle, { parameters: rowsParameters(), items: items(8) });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(8);
		// From the last reading to the last payout, nothing waits: eight payouts four at a time, unpaced.
		// A pace cut by the wallet's 429 (to the request or two accepted before it) would space them.
		const readings = handle.sandbox.requests.filter((request: { route: string }) => request.route === 'GET /v1/wallets' || request.route === 'GET /v1/fees/:businessId');
		const lastReading = Math.max(...readings.map((request: { at: number }) => request.at));
		expect(Math.max(...posts().map((request: { at: number }) => request.at)) - lastReading).toBeLessThan(400);
	});

	test('a wallet that is not active is refused before anything is sent', async () => {
		wallet(1_000_000, { state: 'frozen' });
		const { error } = await runWistfare(handle, { parameters: rowsParameters(), items: items() });
		expect(error?.message).toBe('Nothing was sent: wallet "wal_456" is frozen, not active (3 payouts)');
		expect(posts()).toEqual([]);
	});

	test.each([
		['no wallet or fee endpoint (404)', { hide: ['wallets', 'fees'] }, /the balance of wallet "wal_456" \(Wistfare answered 404: Wallet not found \[not_found\]; this server may not serve the endpoint\)/],
		['a wallet shape the node does not know', { shapes: { wallets: 'unknown' } }, /the balance of wallet "wal_456" \(the answer is not a wallet the node can read \(fields: wallet, funds\)\)/],
		['a fee shape the node does not know', { shapes: { fees: 'unknown' } }, /the fees of business "biz_123" \(the answer is not a fee configuration the node can read \(fields: pricing\)\): amounts were counted without fees/],
		['a wallet in another currency', { wallets: { wal_456: { businessId: 'biz_123', balance: 1_000_000, currency: 'USD' } } }, /the balance of wallet "wal_456" \(the wallet holds USD, the payouts are in RWF\)/],
	])('%s: the batch is paid, and the output pane says what was not checked', async (_name, setting, said) => {
		wallet(1_000_000);
		handle.sandbox.wallets.configure(setting as never);
		const { output, error, taskData } = await runWistfare(handle, { parameters: rowsParameters(), items: items() });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(paid()).toEqual(['pay-0', 'pay-1', 'pay-2']);
		const warning = hints(taskData).find((hint) => hint.type === 'warning');
		expect(warning?.message).toMatch(/^Funds not fully checked before paying: /);
		expect(warning?.message).toMatch(said);
		expect(warning?.message).toMatch(/The payouts were sent without that check\.$/);
	});

	test('"Don\'t Check" reads neither wallet nor fees', async () => {
		wallet(1);
		const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: items(1) });
		// The sandbox itself refuses what the wallet cannot cover (422, nothing created).
		expect(error?.httpCode).toBe('422');
		expect(handle.sandbox.requestsFor('GET /v1/wallets')).toEqual([]);
		expect(handle.sandbox.requestsFor('GET /v1/fees/:businessId')).toEqual([]);
	});
});

describe('the credential\'s guards', () => {
	const limit = { maxTotalPerDay: '1000' };

	test('Max Total Per Day counts today\'s payouts from Wistfare\'s list (failed ones not), and refuses a batch that would pass it', async () => {
		seed(handle.sandbox, 2, { amount: '300' }, virtualClock.now() - 60_000);
		const [failed] = seed(handle.sandbox, 1, { amount: '5000', referenceId: 'failed-one' }, virtualClock.now() - 30_000);
		handle.sandbox.store.setStatus(failed.id, 'failed');
		seed(handle.sandbox, 1, { amount: '9000', referenceId: 'two-days-ago' }, virtualClock.now() - 2 * 86_400_000);
		const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: items(), credential: limit });
		expect(error?.message).toBe(
			'Nothing was sent: business "biz_123" may pay 1,000 RWF a day (the credential\'s Max Total Per Day): today\'s payouts add up to 600 (2 payouts) and this batch would add 1,200 (3 payouts)',
		);
		expect(posts()).toEqual([]);
		// One row fits what is left of the day.
		const { error: fits } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: items(1), credential: limit });
		expect(fits).toBeUndefined();
		expect(posts()).toHaveLength(1);
	});

	test('Max Total Per Day on a server that ignores the from-date filter: today\'s payouts counted, the reading stops at the first page wholly older', async () => {
		seed(handle.sandbox, 250, { amount: '1' }, virtualClock.now() - 3 * 86_400_000);
		seed(handle.sandbox, 2, { amount: '450', referenceId: 'today' }, virtualClock.now() - 60_000);
		handle.sandbox.ignoreFilters = new Set(['fromDate']);
		try {
			const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: items(1), credential: limit });
			expect(error?.message).toMatch(/today's payouts add up to 900 \(2 payouts\) and this batch would add 400/);
			// Newest first: page 1 holds today's payouts and older ones, page 2 only older ones; page 3 is
			// never asked for. (Then the batch's reference is looked up, to count only unpaid rows.)
			const dayPages = handle.sandbox.requestsFor('GET /v1/disbursements').filter((request) => !request.understood?.referenceId);
			expect(dayPages.map((request) => request.understood?.page)).toEqual(['1', '2']);
		} finally {
			handle.sandbox.ignoreFilters = new Set();
		}
	});

	test('Max Total Per Day starts again the next day', async () => {
		await runWistfare(handle, { parameters: rowsParameters(), items: items(2), credential: limit });
		expect((await runWistfare(handle, { parameters: rowsParameters(), items: items(2, 'later'), credential: limit })).error?.message).toMatch(/may pay 1,000 RWF a day/);
		await virtualClock.sleep(2 * 86_400_000);
		const { error } = await runWistfare(handle, { parameters: rowsParameters(), items: items(2, 'later'), credential: limit });
		expect(error).toBeUndefined();
		expect(paid()).toEqual(['later-0', 'later-1', 'pay-0', 'pay-1']);
	});

	test('Allowed Destinations refuses any other number before any request, naming the field and the item', async () => {
		const { error } = await runWistfare(handle, {
			parameters: rowsParameters(),
			items: items(2),
			credential: { allowedDestinations: '+250788000100\n250788000999' },
		});
		expect(error?.message).toBe('Invalid "Destination Ref" in row 2 (item 1): "250788000101" is not in this credential\'s Allowed Destinations (2 listed): payout refused');
		expect(handle.sandbox.requestsFor()).toEqual([]);
	});
});
