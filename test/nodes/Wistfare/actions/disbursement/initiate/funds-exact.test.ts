import { restartSandbox, runWistfare, seed, useSandbox } from '../../../../../helpers';
import { virtualClock } from '../../../../../virtual-clock';
import { rowsParameters } from './rows';

/** The funds check with money that has cents, under the real engine against the sandbox. */
const handle = useSandbox();

const usdRows = (...amounts: string[]) => amounts.map((amount, i) => ({ amount, phone: `25078800020${i}`, ref: `usd-${i}` }));
const usd = (fields: Record<string, unknown> = {}) => rowsParameters({ currency: 'USD', ...fields });
const posts = () => handle.sandbox.requestsFor('initiate');
const wallet = (balance: number, fee?: Record<string, string>, extra: Record<string, unknown> = {}) =>
	handle.sandbox.wallets.configure({
		wallets: { wal_456: { businessId: 'biz_123', balance, currency: 'USD', ...extra } },
		fees: fee ? { biz_123: { currency: 'USD', ...fee } } : {},
	});

describe('money with cents is exact', () => {
	test('a USD wallet holding 0.30 pays 0.10 and 0.20; 0.10 and 0.21 are refused with the reason', async () => {
		wallet(0.3);
		const { output, error } = await runWistfare(handle, { parameters: usd(), items: usdRows('0.10', '0.20') });
		expect(error).toBeUndefined();
		expect(output?.map((item) => item.json.amount)).toEqual(['0.10', '0.20']);
		wallet(0.3);
		handle.sandbox.clearRequests();
		const refused = await runWistfare(handle, { parameters: usd(), items: usdRows('0.10', '0.21').map((row) => ({ ...row, ref: `${row.ref}-b` })) });
		expect(refused.error?.message).toBe('Nothing was sent: wallet "wal_456" has 0.30 USD and this batch needs 0.31 USD for 2 payouts');
		expect(posts()).toEqual([]);
	});

	test('a 1.1 % fee on 1000.00 is 11.00: a wallet holding exactly 1011.00 pays, one cent less refuses', async () => {
		wallet(1010.99, { feeModel: 'percentage', percentageRate: '1.1' });
		const short = await runWistfare(handle, { parameters: usd(), items: usdRows('1000.00') });
		expect(short.error?.message).toBe('Nothing was sent: wallet "wal_456" has 1,010.99 USD and this batch needs 1,011.00 USD (1,000.00 for 1 payout plus 11.00 estimated fees)');
		wallet(1011, { feeModel: 'percentage', percentageRate: '1.1' });
		const { output, error } = await runWistfare(handle, { parameters: usd(), items: usdRows('1000.00') });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(handle.sandbox.wallets.wallets.get('wal_456')?.balance).toBe(0);
	});

	test('Preview shows fee, debit and totals as decimals of the currency', async () => {
		wallet(1011, { feeModel: 'percentage', percentageRate: '1.1' });
		const { output } = await runWistfare(handle, { parameters: { ...usd(), mode: 'preview' }, items: usdRows('1000.00') });
		expect(output?.[0].json).toMatchObject({ estimatedFee: '11.00', debit: '1011.00', walletTotals: { amount: '1000.00', fees: '11.00', debit: '1011.00', balance: '1011.00', verdict: 'enough' }, wouldSend: true });
	});

	test('a frozen wallet in another currency is refused, not paid unchecked', async () => {
		handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 1_000_000, currency: 'KES', state: 'frozen' } } });
		const { error } = await runWistfare(handle, { parameters: usd(), items: usdRows('1.00') });
		expect(error?.message).toBe('Nothing was sent: wallet "wal_456" is frozen, not active (1 payout)');
		expect(posts()).toEqual([]);
	});
});

describe('Max Total Per Day fails closed', () => {
	test('an amount in today\'s list that cannot be read blocks the batch, naming the payout', async () => {
		const [odd] = seed(handle.sandbox, 1, { amount: '300' }, virtualClock.now() - 60_000);
		const record = handle.sandbox.store.all().find((payout: { id: string }) => payout.id === odd.id) as { amount: string };
		record.amount = 'three hundred';
		const { error } = await runWistfare(handle, { parameters: rowsParameters({ fundsCheck: 'off' }), items: [{ amount: '100', phone: '250788000300', ref: 'day-1' }], credential: { maxTotalPerDay: '1000' } });
		expect(error?.message).toBe(`Nothing was sent: the credential's Max Total Per Day cannot be checked, because Wistfare lists today's payout "${odd.id}" with the amount "three hundred", which is not a decimal`);
		expect(posts()).toEqual([]);
	});

	test('today\'s payouts with cents count exactly: 999.99 + 0.01 USD fit a limit of 1,000, one cent more does not', async () => {
		seed(handle.sandbox, 1, { amount: '999.99', currency: 'USD', referenceId: 'earlier' }, virtualClock.now() - 60_000);
		const limit = { maxTotalPerDay: '1,000' };
		const over = await runWistfare(handle, { parameters: usd({ fundsCheck: 'off' }), items: usdRows('0.02'), credential: limit });
		expect(over.error?.message).toMatch(/may pay 1,000.00 USD a day .*today's payouts add up to 999.99 \(1 payout\) and this batch would add 0.02 \(1 payout\)/);
		const { error } = await runWistfare(handle, { parameters: usd({ fundsCheck: 'off' }), items: usdRows('0.01'), credential: limit });
		expect(error).toBeUndefined();
	});
});

describe('the readings never change how the payouts are sent', () => {
	test.each([
		['camel', 'snake'],
		['snake', 'camel'],
	] as const)('a strict server whose payouts speak %s and whose wallets speak %s is paid, the funds checked', async (dialect, fundsDialect) => {
		await restartSandbox(handle, { dialect, fundsDialect, strict: true });
		handle.sandbox.wallets.configure({ wallets: { wal_456: { businessId: 'biz_123', balance: 10_000 } }, fees: { biz_123: { percentageRate: '1.5' } } });
		const rows = [0, 1, 2].map((i) => ({ amount: '100', phone: `25078800040${i}`, ref: `dialects-${i}` }));
		const { output, error, taskData } = await runWistfare(handle, { parameters: rowsParameters(), items: rows });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(handle.sandbox.store.all()).toHaveLength(3);
		expect((taskData?.hints ?? []).map((hint: { message: string }) => hint.message).join(' ')).toMatch(/Funds checked before paying: wallet "wal_456" had 10,000 RWF/);
	});
});
