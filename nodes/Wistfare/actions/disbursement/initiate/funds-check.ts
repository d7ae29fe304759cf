import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clock, SERVER_CLOCK_SKEW_MS } from '../../../api/clock';
import { getFeeConfig, getWallet, MAX_PAGE_SIZE } from '../../../api/client';
import { disbursementPages } from '../../../api/pages';
import { AccountPace } from '../../../api/pace';
import type { WistfareSession } from '../../../api/session';
import { startOfDay } from '../../../payout/day';
import { readFeeConfig } from '../../../payout/fees';
import { allocate, batchRefusal, dayKey, type Allocation, type DayReading, type FeeReading, type Payment, type Readings, type WalletReading } from '../../../payout/funds';
import { DEFAULT_CURRENCY } from '../../../payout/currency';
import { toMinor } from '../../../payout/money';
import { MONEY_RETURNED } from '../../../payout/status';
import { readWallet } from '../../../payout/wallet';
import type { FundsCheckMode, InitiatePlan } from './plan';
import { referenceOutcome } from './retry';
import type { Batch } from './safe-send';


/** A planned payout as the funds check counts it: its amount in minor units (validated by the plan). */
const paymentOf = (plan: InitiatePlan): Payment => {
	const currency = plan.params.currency ?? DEFAULT_CURRENCY;
	return {
		itemIndex: plan.itemIndex,
		businessId: plan.params.businessId,
		walletId: plan.params.walletId,
		amount: toMinor(plan.params.amount, currency) ?? Number.MAX_SAFE_INTEGER,
		currency,
	};
};

/** A failed reading in words: what the user is told was not checked. */
function problemOf(error: unknown): string {
	if (error instanceof NodeApiError) {
		const said = error.message.replace(/^Wistfare: /, '');
		const hint = error.httpCode === '404' ? '; this server may not serve the endpoint' : '';
		return error.httpCode ? `Wistfare answered ${error.httpCode}: ${said}${hint}` : said;
	}
	return (error as Error).message;
}

const fieldsOf = (answer: object) => Object.keys(answer).join(', ') || 'none';

async function walletReading(this: IExecuteFunctions, walletId: string, itemIndex: number, session: WistfareSession): Promise<WalletReading> {
	try {
		const answer = await getWallet.call(this, walletId, { itemIndex, session });
		const wallet = readWallet(answer, walletId);
		return wallet ? { wallet } : { problem: `the answer is not a wallet the node can read (fields: ${fieldsOf(answer)})` };
	} catch (error) {
		return { problem: problemOf(error) };
	}
}

async function feeReading(this: IExecuteFunctions, businessId: string, itemIndex: number, session: WistfareSession): Promise<FeeReading> {
	try {
		const answer = await getFeeConfig.call(this, businessId, { itemIndex, session });
		const config = readFeeConfig(answer);
		return config ? { config } : { problem: `the answer is not a fee configuration the node can read (fields: ${fieldsOf(answer)})` };
	} catch (error) {
		return { problem: problemOf(error) };
	}
}

/**
 * What the business's payouts of today add up to, from Wistfare's own list, so that executions on
 * different workers count the same payouts. "Today" is the workflow's time zone, widened by the
 * clock skew (a payout near midnight counts: the safe side). Failed and refunded payouts do not
 * count; unknown statuses do. Each currency is counted on its own, in minor units. The list is read
 * down to the first page wholly older than the day, and to its end when it shows it is not newest
 * first. A failure here stops the batch: a guard that cannot be checked refuses, and so does an
 * amount it cannot read (never counted as 0).
 */
export async function dayReading(
	this: IExecuteFunctions,
	businessId: string,
	limit: string,
	itemIndex: number,
	session: WistfareSession,
): Promise<DayReading> {
	const since = startOfDay(clock.now(), this.getTimezone()) - SERVER_CLOCK_SKEW_MS;
	const counted = new Set<string>();
	const spent = new Map<string, number>();
	const payouts = new Map<string, number>();
	let previous = Infinity;
	let newestFirst = true;
	const params = { businessId, fromDate: new Date(since).toISOString(), perPage: MAX_PAGE_SIZE };
	for await (const page of disbursementPages.call(this, params, { itemIndex, session })) {
		let whollyOlder = page.data.length > 0;
		for (const payout of page.data) {
			const created = Date.parse(payout.createdAt);
			if (created > previous) newestFirst = false;
			if (Number.isFinite(created)) previous = created;
			const older = created < since;
			if (!older) whollyOlder = false;
			const ours = payout.businessId === undefined || payout.businessId === businessId;
			if (older || !ours || counted.has(payout.id) || MONEY_RETURNED.has(payout.status)) continue;
			counted.add(payout.id);
			const currency = typeof payout.currency === 'string' && payout.currency ? payout.currency.toUpperCase() : DEFAULT_CURRENCY;
			// Past the minor unit rounded up: what was paid is never counted short.
			const amount = toMinor(payout.amount, currency, 'up');
			if (amount === undefined) {
				throw new NodeOperationError(this.getNode(), `Nothing was sent: the credential's Max Total Per Day cannot be checked, because Wistfare lists today's payout "${payout.id}" with the amount ${JSON.stringify(payout.amount)}, which is not a decimal`, {
					itemIndex,
					description: 'A guard that cannot be checked refuses the batch. Ask Wistfare about that payout, or remove Max Total Per Day from the credential to pay without the daily guard.',
				});
			}
			spent.set(currency, (spent.get(currency) ?? 0) + amount);
			payouts.set(currency, (payouts.get(currency) ?? 0) + 1);
		}
		if (whollyOlder && newestFirst) break;
	}
	return { limit, spent, payouts };
}

/**
 * Everything the funds check reads, each thing once: the wallets and fee configurations (when
 * `funds`), then today's total of each business (when the credential sets a Max Total Per Day).
 */
async function readFundsAndDayTotals(
	this: IExecuteFunctions,
	payments: readonly Payment[],
	options: { funds: boolean; dayLimit?: string; session: WistfareSession; concurrency: number },
): Promise<Readings> {
	const firstOf = (key: (payment: Payment) => string) => {
		const first = new Map<string, number>();
		for (const payment of payments) if (!first.has(key(payment))) first.set(key(payment), payment.itemIndex);
		return [...first];
	};
	const { session, dayLimit } = options;
	// The wallet and fee endpoints are not the payouts' (the SDKs' alone name them): what their answers
	// teach, of the wire dialect or of the rate limit (a 429), stays with them, so that they never
	// change how the payouts are sent. They are a few requests, before the first payout.
	// Their own pace, as many at once as the execution's Concurrency; today's payouts (the payouts'
	// endpoint, their session) are read after them, so that the bound holds for the execution.
	const readingSession: WistfareSession = { pacing: new AccountPace(options.concurrency), credentials: session.credentials, dialect: session.dialect };
	const wallets = options.funds ? firstOf((payment) => payment.walletId) : [];
	const businesses = firstOf((payment) => payment.businessId);
	const [walletList, feeList] = await Promise.all([
		Promise.all(wallets.map(([walletId, itemIndex]) => walletReading.call(this, walletId, itemIndex, readingSession))),
		Promise.all((options.funds ? businesses : []).map(([businessId, itemIndex]) => feeReading.call(this, businessId, itemIndex, readingSession))),
	]);
	const dayList = await Promise.all((dayLimit === undefined ? [] : businesses).map(([businessId, itemIndex]) => dayReading.call(this, businessId, dayLimit!, itemIndex, session)));
	return {
		wallets: new Map(wallets.map(([walletId], index) => [walletId, walletList[index]])),
		fees: new Map((options.funds ? businesses : []).map(([businessId], index) => [businessId, feeList[index]])),
		days: new Map((dayLimit === undefined ? [] : businesses).map(([businessId], index) => [businessId, dayList[index]])),
	};
}

/** What the funds check decided for a batch about to be paid. */
export interface FundsVerdict {
	allocation: Allocation;
	/** Set when the whole batch is refused: the error's message. */
	batchRefusal?: string;
	/** Per payout refused in "Pay in Input Order While Funds Last" mode: why. */
	refused: ReadonlyMap<number, string>;
}

/**
 * The funds check before the first payout request, for Pay and Preview alike. All the batch's payouts
 * are counted first (one reading per wallet and business, no look-up); only when they do not fit are
 * the references looked up, so that payouts that already exist (a re-run) do not count. Preview looked
 * every reference up before (`referencesLookedUp`): its `leaders` are already the payouts Pay would
 * send. Each payout's own fresh look-up right before its request stays: this pass only decides what
 * may start. Reads nothing when Funds Check is off and no Max Total Per Day is set.
 */
export async function checkFunds(
	this: IExecuteFunctions,
	leaders: readonly InitiatePlan[],
	batch: Batch,
	options: { mode: FundsCheckMode; dayLimit?: string; day?: DayReservations; referencesLookedUp?: boolean },
): Promise<FundsVerdict> {
	let payments = leaders.map(paymentOf);
	const read = await readFundsAndDayTotals.call(this, payments, {
		funds: options.mode !== 'off',
		dayLimit: options.dayLimit,
		session: batch.session,
		concurrency: batch.settings.concurrency,
	});
	// From the reservations read to this execution's own, no await: the check and the reservation are one step.
	const withReserved = () => (options.day ? reservedIn(read, options.day.reserved) : read);
	let readings = withReserved();
	let allocation = allocate(payments, readings);
	if (allocation.refused.size && !options.referencesLookedUp) {
		const outcomes = await Promise.all(leaders.map((plan) => referenceOutcome(batch.book, plan)));
		payments = payments.filter((_, index) => 'send' in outcomes[index]);
		readings = withReserved();
		allocation = allocate(payments, readings);
	}
	const refusedWhole = allocation.refused.size > 0 && options.mode !== 'payWhileFundsLast';
	if (options.day && options.dayLimit !== undefined && !refusedWhole) options.day.reserve(dayAmounts(payments.filter((payment) => !allocation.refused.has(payment.itemIndex))));
	if (!allocation.refused.size) return { allocation, refused: new Map() };
	if (!refusedWhole) return { allocation, refused: allocation.refused };
	return { allocation, refused: new Map(), batchRefusal: batchRefusal(payments, allocation, readings) };
}

/** What the other executions of the key in this process reserved of the day, and how to reserve. */
export interface DayReservations {
	reserved: ReadonlyMap<string, number>;
	reserve: (amounts: ReadonlyMap<string, number>) => void;
}

/** The payments' amounts per business and currency. */
function dayAmounts(payments: readonly Payment[]): Map<string, number> {
	const amounts = new Map<string, number>();
	for (const payment of payments) {
		const day = dayKey(payment.businessId, payment.currency);
		amounts.set(day, (amounts.get(day) ?? 0) + payment.amount);
	}
	return amounts;
}

/** The readings with the other executions' reservations counted as spent today. */
function reservedIn(readings: Readings, reserved: ReadonlyMap<string, number>): Readings {
	const days = new Map<string, DayReading>();
	for (const [businessId, day] of readings.days) {
		const spent = new Map(day.spent);
		for (const [key, amount] of reserved) {
			const [business, currency] = key.split('\n');
			if (business === businessId) spent.set(currency, (spent.get(currency) ?? 0) + amount);
		}
		days.set(businessId, { ...day, spent });
	}
	return { ...readings, days };
}
