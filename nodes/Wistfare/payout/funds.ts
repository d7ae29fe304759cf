import { estimateFee, type FeeConfig } from './fees';
import { formatMoney, toMinor } from './money';
import { rowName } from './row';
import { balanceOf, PAYING_STATE, type Wallet } from './wallet';

/**
 * Every amount here is in minor units of its currency (money.ts): sums and comparisons are exact.
 */

/** One payout a batch would send: what the funds check counts. */
export interface Payment {
	itemIndex: number;
	businessId: string;
	walletId: string;
	/** Minor units of `currency`. */
	amount: number;
	currency: string;
}

/** What was read of one wallet: the wallet, or why it could not be checked. */
export type WalletReading = { wallet: Wallet } | { problem: string };
/** What was read of one business's fees: the configuration, or why fees were not counted. */
export type FeeReading = { config: FeeConfig } | { problem: string };
/**
 * A business's maximum total per day (a decimal, as the credential holds it: it applies in each
 * currency) and what its payouts of today already add up to, per currency, in minor units.
 */
export interface DayReading {
	limit: string;
	spent: ReadonlyMap<string, number>;
	/** How many of today's payouts `spent` counts, per currency. */
	payouts: ReadonlyMap<string, number>;
}

export interface Readings {
	wallets: ReadonlyMap<string, WalletReading>;
	fees: ReadonlyMap<string, FeeReading>;
	days: ReadonlyMap<string, DayReading>;
}

/** One payout's share: its estimated fee and what its wallet is debited, on the safe side. */
export interface Share {
	fee: number | null;
	feeReading: string;
	debit: number;
}

/** The batch's totals for one wallet and currency, and the check's verdict on them. */
export interface WalletTotals {
	walletId: string;
	currency: string;
	payouts: number;
	amount: number;
	fees: number;
	/** Amount plus estimated fees: what the wallet would be debited. */
	debit: number;
	balance: number | null;
	state: string | null;
	/** `enough`, `short`, `inactive`, or `notChecked` (then `note` says why). */
	verdict: 'enough' | 'short' | 'inactive' | 'notChecked';
	note?: string;
}

export interface Allocation {
	shares: Map<number, Share>;
	/** Per payout that cannot be paid: why, in words a user reads in the error. */
	refused: Map<number, string>;
	totals: WalletTotals[];
	/** What could not be checked, once per wallet or business. */
	notChecked: string[];
}

/** What the day's limit counts on its own: a business in one currency. */
export const dayKey = (businessId: string, currency: string) => `${businessId}\n${currency}`;

/** The day's limit in minor units of `currency` (a fraction of a minor unit does not count: the safe side). */
export const dayLimitIn = (day: DayReading, currency: string) => toMinor(day.limit, currency, 'down') ?? 0;

/** The fee of one payout, or null with the reason when the business's fees cannot be counted. */
export function shareOf(payment: Payment, reading: FeeReading | undefined): Share {
	if (!reading || !('config' in reading)) return { fee: null, feeReading: reading?.problem ?? 'fees not read', debit: payment.amount };
	if (reading.config.currency !== payment.currency) {
		return { fee: null, feeReading: `the fee configuration is in ${reading.config.currency}, the payout in ${payment.currency}`, debit: payment.amount };
	}
	const { fee, reading: feeReading } = estimateFee(reading.config, payment.amount);
	// The safe side: the fee is debited on top of the amount (nothing says it is taken from it).
	return { fee, feeReading, debit: payment.amount + fee };
}

/** Why a wallet's balance cannot be compared with a payout, or undefined when it can. */
function walletProblem(reading: WalletReading | undefined, currency: string): string | undefined {
	if (!reading) return 'not read';
	if ('problem' in reading) return reading.problem;
	if (reading.wallet.currency !== currency) return `the wallet holds ${reading.wallet.currency}, the payouts are in ${currency}`;
	return undefined;
}

/** A wallet read and not active: it pays nothing, whatever its currency. */
const inactiveWallet = (reading: WalletReading | undefined) =>
	reading && 'wallet' in reading && reading.wallet.state !== PAYING_STATE ? reading.wallet : undefined;

/**
 * Goes through the payouts in input order and keeps each one its wallet (balance, state) and its
 * business (maximum per day) can still cover, counting what the payouts before it took. Once one is
 * refused, every later payout of the same wallet or business is refused too: a smaller payout never
 * jumps ahead of the one the list put first. What cannot be checked is not refused, and is named.
 */
export function allocate(payments: readonly Payment[], readings: Readings): Allocation {
	const shares = new Map<number, Share>();
	const refused = new Map<number, string>();
	const used = new Map<string, number>();
	const spent = new Map<string, number>();
	const blocked = new Map<string, Refusal>();
	for (const payment of payments) {
		const share = shareOf(payment, readings.fees.get(payment.businessId));
		shares.set(payment.itemIndex, share);
		const walletKey = `${payment.walletId}\n${payment.currency}`;
		const earlier = blocked.get(walletKey) ?? blocked.get(payment.businessId);
		if (earlier) {
			refused.set(payment.itemIndex, `${rowName(earlier.itemIndex!)} before it was not covered (${earlier.text}), and no later payout of the same ${earlier.scope} is sent`);
			continue;
		}
		const day = dayKey(payment.businessId, payment.currency);
		const reason = refusal(payment, share, readings, used.get(walletKey) ?? 0, spent.get(day) ?? 0);
		if (reason) {
			refused.set(payment.itemIndex, reason.text);
			blocked.set(reason.scope === 'wallet' ? walletKey : payment.businessId, { ...reason, itemIndex: payment.itemIndex });
			continue;
		}
		used.set(walletKey, (used.get(walletKey) ?? 0) + share.debit);
		spent.set(day, (spent.get(day) ?? 0) + payment.amount);
	}
	const totals = totalsOf(payments, shares, readings);
	return { shares, refused, totals, notChecked: notCheckedOf(payments, totals, shares) };
}

interface Refusal {
	scope: 'wallet' | 'business';
	text: string;
	itemIndex?: number;
}

function refusal(payment: Payment, share: Share, readings: Readings, usedBefore: number, spentBefore: number): Refusal | undefined {
	const reading = readings.wallets.get(payment.walletId);
	const inactive = inactiveWallet(reading);
	if (inactive) return { scope: 'wallet', text: `wallet "${inactive.id}" is ${inactive.state}, not ${PAYING_STATE}` };
	const money = (minor: number) => `${formatMoney(minor, payment.currency)} ${payment.currency}`;
	if (!walletProblem(reading, payment.currency) && reading && 'wallet' in reading) {
		const balance = balanceOf(reading.wallet) ?? 0;
		if (usedBefore + share.debit > balance) {
			return {
				scope: 'wallet',
				text: `wallet "${reading.wallet.id}" has ${money(balance)}; the payouts before this one take ${money(usedBefore)} and this one ${money(share.debit)}`,
			};
		}
	}
	const day = readings.days.get(payment.businessId);
	const spent = day?.spent.get(payment.currency) ?? 0;
	if (day && spent + spentBefore + payment.amount > dayLimitIn(day, payment.currency)) {
		return {
			scope: 'business',
			text: `business "${payment.businessId}" may pay ${money(dayLimitIn(day, payment.currency))} a day (the credential's Max Total Per Day); today's payouts already add up to ${money(spent)}, the payouts before this one ${money(spentBefore)} and this one ${money(payment.amount)}`,
		};
	}
	return undefined;
}

function totalsOf(payments: readonly Payment[], shares: Map<number, Share>, readings: Readings): WalletTotals[] {
	const byWallet = new Map<string, WalletTotals>();
	for (const payment of payments) {
		const key = `${payment.walletId}\n${payment.currency}`;
		let totals = byWallet.get(key);
		if (!totals) {
			const reading = readings.wallets.get(payment.walletId);
			const wallet = reading && 'wallet' in reading ? reading.wallet : undefined;
			const problem = walletProblem(reading, payment.currency);
			totals = { walletId: payment.walletId, currency: payment.currency, payouts: 0, amount: 0, fees: 0, debit: 0, balance: wallet ? (balanceOf(wallet) ?? null) : null, state: wallet?.state ?? null, verdict: problem ? 'notChecked' : 'enough', ...(problem ? { note: problem } : {}) };
			byWallet.set(key, totals);
		}
		const share = shares.get(payment.itemIndex)!;
		totals.payouts++;
		totals.amount += payment.amount;
		totals.fees += share.fee ?? 0;
		totals.debit += share.debit;
	}
	for (const totals of byWallet.values()) {
		if (inactiveWallet(readings.wallets.get(totals.walletId))) totals.verdict = 'inactive';
		else if (totals.verdict !== 'notChecked' && totals.debit > (totals.balance ?? 0)) totals.verdict = 'short';
	}
	return [...byWallet.values()];
}

function notCheckedOf(payments: readonly Payment[], totals: WalletTotals[], shares: Map<number, Share>): string[] {
	const notes = totals.filter((wallet) => wallet.verdict === 'notChecked').map((wallet) => `the balance of wallet "${wallet.walletId}" (${wallet.note})`);
	const feesNoted = new Set<string>();
	for (const payment of payments) {
		const share = shares.get(payment.itemIndex)!;
		if (share.fee !== null || feesNoted.has(payment.businessId)) continue;
		feesNoted.add(payment.businessId);
		notes.push(`the fees of business "${payment.businessId}" (${share.feeReading}): amounts were counted without fees`);
	}
	return notes;
}

/** The batch's need for one wallet, in the words of the refusal. */
export function describeNeed(totals: WalletTotals): string {
	const money = (minor: number) => formatMoney(minor, totals.currency);
	const fees = totals.fees > 0 ? ` (${money(totals.amount)} for ${totals.payouts} payout${totals.payouts === 1 ? '' : 's'} plus ${money(totals.fees)} estimated fees)` : ` for ${totals.payouts} payout${totals.payouts === 1 ? '' : 's'}`;
	return `${money(totals.debit)} ${totals.currency}${fees}`;
}

/**
 * Why the whole batch is refused, naming every wallet and business that cannot cover it; the
 * allocation's own reasons when the totals name none (they come from the same sums, so they agree).
 */
export function batchRefusal(payments: readonly Payment[], allocation: Allocation, readings: Readings): string {
	const reasons: string[] = [];
	const plural = (count: number) => `${count} payout${count === 1 ? '' : 's'}`;
	for (const totals of allocation.totals) {
		if (totals.verdict === 'inactive') reasons.push(`wallet "${totals.walletId}" is ${totals.state ?? inactiveWallet(readings.wallets.get(totals.walletId))?.state}, not ${PAYING_STATE} (${plural(totals.payouts)})`);
		if (totals.verdict === 'short') reasons.push(`wallet "${totals.walletId}" has ${formatMoney(totals.balance ?? 0, totals.currency)} ${totals.currency} and this batch needs ${describeNeed(totals)}`);
	}
	for (const [businessId, day] of readings.days) {
		for (const currency of new Set(payments.filter((payment) => payment.businessId === businessId).map((payment) => payment.currency))) {
			const own = payments.filter((payment) => payment.businessId === businessId && payment.currency === currency);
			const adding = own.reduce((sum, payment) => sum + payment.amount, 0);
			const spent = day.spent.get(currency) ?? 0;
			const limit = dayLimitIn(day, currency);
			if (spent + adding <= limit) continue;
			const money = (minor: number) => formatMoney(minor, currency);
			reasons.push(
				`business "${businessId}" may pay ${money(limit)} ${currency} a day (the credential's Max Total Per Day): today's payouts add up to ${money(spent)} (${plural(day.payouts.get(currency) ?? 0)}) and this batch would add ${money(adding)} (${plural(own.length)})`,
			);
		}
	}
	if (reasons.length === 0) reasons.push(...new Set(allocation.refused.values()));
	return `Nothing was sent: ${reasons.join('; ')}`;
}
