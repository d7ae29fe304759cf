import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { checkCredentials } from '../../../api/credentials';
import { AccountPace } from '../../../api/pace';
import type { WistfareSession } from '../../../api/session';
import { mismatch } from '../../../payout/equivalence';
import { DEFAULT_CURRENCY } from '../../../payout/currency';
import type { Allocation, WalletTotals } from '../../../payout/funds';
import { formatMoney, toDecimal } from '../../../payout/money';
import type { Disbursement } from '../../../payout/types';
import { asNodeError, errorItem, paired } from '../../items';
import { planBatch, type BatchPlan } from './batch-plan';
import { description } from './description';
import { checkFunds, type FundsVerdict } from './funds-check';
import type { InitiatePlan } from './plan';
import { ReferenceBook } from './references';
import { referenceOutcome, type ReferenceOutcome } from './retry';
import type { Batch } from './safe-send';
import { rowName } from '../../../payout/row';

/** What Pay would do with one item, apart from the funds: `retry` pays a failed reference again. */
type Action = 'pay' | 'retry' | 'exists' | 'conflict' | 'duplicate' | 'invalid' | 'failedTooOften';
const SENDS: ReadonlySet<Action> = new Set(['pay', 'retry']);

interface Row {
	action: Action;
	reason?: string;
	/** An existing payout Pay fails the row for (If Reference Exists: Error). */
	failsPay?: boolean;
	existing?: Disbursement;
	sameAsItem?: number;
}

/**
 * Preview: the same fields and checks as Pay, and no payout request. Per item it outputs what Pay
 * would do, the estimated fee and debit, and its wallet's totals for the batch; every item carries
 * the batch's funds verdict. It reads what Pay's own checks read (one reference look-up per payout,
 * each wallet and fee configuration once, today's payouts when a Max Total Per Day is set).
 *
 * 1. Pay's batch plan (`planBatch`): a bad item is `invalid`, with the message Pay would fail it with.
 * 2. Look each reference up by Pay's rule (`referenceOutcome`): `exists`, `conflict`, `pay` or `retry`.
 * 3. Pay's funds check (`checkFunds`) on the payouts Pay would send.
 * 4. Pay's stop rule, then one output item per input item, paired.
 */
export async function preview(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// Step 1: the batch's plan, as Pay makes it.
	const batchPlan = await planBatch.call(this);
	const { settings, dayLimit, leaderOf, payoutsByBusiness } = batchPlan;
	const plans = [...batchPlan.plans];
	const count = plans.length;
	const rows: Row[] = new Array(count);
	for (const [itemIndex, error] of batchPlan.invalid) rows[itemIndex] = { action: 'invalid', reason: error.message };
	const checked = checkCredentials(batchPlan.credentials);
	const session: WistfareSession = { pacing: new AccountPace(settings.concurrency), credentials: checked.ok ? checked.value : undefined };
	const batch: Batch = { book: new ReferenceBook(this, session, payoutsByBusiness), session, settings };

	// Step 2: references.
	const failures = new Map<number, Error>();
	await Promise.all(
		batchPlan.leaders.map(async (plan) => {
			try {
				const outcome = await referenceOutcome(batch.book, plan);
				if ('send' in outcome) plans[plan.itemIndex] = outcome.send;
				rows[plan.itemIndex] = referenceRow(plan, outcome);
			} catch (caught) {
				failures.set(plan.itemIndex, asNodeError.call(this, caught, plan.itemIndex, description));
			}
		}),
	);
	const firstFailure = [...failures].sort(([a], [b]) => a - b)[0];
	if (firstFailure && !this.continueOnFail()) throw firstFailure[1];
	for (const plan of plans) if (plan && leaderOf[plan.itemIndex] !== undefined) rows[plan.itemIndex] = followerRow(plan, plans[leaderOf[plan.itemIndex]!]!);

	// Step 3: the funds, for what Pay would send, by Pay's own check.
	const toPay = plans.filter((plan): plan is InitiatePlan => plan !== undefined && SENDS.has(rows[plan.itemIndex]?.action));
	let funds: FundsVerdict;
	try {
		funds = await checkFunds.call(this, toPay, batch, { mode: settings.fundsCheck, dayLimit, referencesLookedUp: true });
	} catch (caught) {
		throw asNodeError.call(this, caught, toPay[0]?.itemIndex ?? 0, description);
	}
	const { allocation } = funds;
	const refusedWhole = funds.batchRefusal !== undefined;

	// Step 4: Pay's stop rule, then the outputs.
	const stop = stopOf(batchPlan, rows, allocation, refusedWhole, !this.continueOnFail());
	const sent = toPay.filter((plan) => !allocation.refused.has(plan.itemIndex) && !refusedWhole && !(stop && plan.itemIndex > stop.itemIndex));
	const summary: IDataObject = {
		payouts: sent.length,
		fundsCheck: fundsVerdict(settings.fundsCheck, dayLimit, allocation, refusedWhole),
		...(refusedWhole ? { refusal: funds.batchRefusal } : {}),
		...(stop ? { stoppedAt: stop.itemIndex, stop: stop.reason } : {}),
		...(allocation.notChecked.length ? { notChecked: allocation.notChecked } : {}),
	};
	addPreviewHint.call(this, allocation, summary);
	// Every index, holes included: an invalid item has no plan, and still its output.
	return Array.from({ length: count }, (_, itemIndex) => {
		const failure = failures.get(itemIndex);
		if (failure) return errorItem(failure, itemIndex);
		const after = stop && itemIndex > stop.itemIndex ? stop : undefined;
		return paired([outputOf(plans[itemIndex], rows[itemIndex], allocation, summary, refusedWhole, after)], itemIndex)[0];
	});
}

/** A row Pay fails: invalid, in conflict, an existing payout with If Reference Exists "Error", or not funded. */
const failsInPay = (row: Row | undefined, refused: boolean) =>
	refused || !row || ['invalid', 'conflict', 'failedTooOften'].includes(row.action) || (row.action === 'exists' && row.failsPay === true);

/**
 * Pay's stop rule without "Continue On Fail": an invalid row stops the batch before any request;
 * otherwise the rows after the first failing one are not sent (rows are decided in input order).
 */
function stopOf(batchPlan: BatchPlan, rows: Row[], allocation: Allocation, refusedWhole: boolean, ordered: boolean): { itemIndex: number; reason: string } | undefined {
	if (!ordered || refusedWhole) return undefined;
	const invalid = batchPlan.stopsBeforeSending?.itemIndex;
	if (invalid !== undefined) return { itemIndex: -1, reason: `Pay would send nothing: ${rowName(invalid)} is invalid, and Continue On Fail is off` };
	const failing = rows.findIndex((row, itemIndex) => failsInPay(row, allocation.refused.has(itemIndex)));
	return failing === -1 ? undefined : { itemIndex: failing, reason: `Pay would stop at ${rowName(failing)}, which fails, and send none of the rows after it (Continue On Fail is off)` };
}

/**
 * The funds check's verdict in one word: "pass" only when every wallet was read and fits and every
 * fee was counted; "notChecked" when something that decides it could not be read.
 */
function fundsVerdict(mode: string, dayLimit: string | undefined, allocation: Allocation, refusedWhole: boolean): string {
	if (mode === 'off' && dayLimit === undefined) return 'off';
	if (allocation.refused.size) return refusedWhole ? 'refused' : 'partly paid';
	return allocation.notChecked.length && mode !== 'off' ? 'notChecked' : 'pass';
}

function referenceRow(plan: InitiatePlan, outcome: ReferenceOutcome): Row {
	if ('tooMany' in outcome) return { action: 'failedTooOften', reason: `Reference "${plan.params.referenceId}" was paid and failed ${outcome.tooMany.length} times; Pay would fail this item` };
	if ('send' in outcome) {
		if (!outcome.failedBefore) return { action: 'pay' };
		return { action: 'retry', reason: `Every payout with this Reference ID failed (${outcome.failedBefore.join(', ')}): Pay would pay again as "${outcome.send.params.referenceId}"` };
	}
	const existing = outcome.existing;
	if (outcome.failedBefore) return { action: 'exists', existing, reason: `Paid again earlier as "${existing.referenceId}" (${existing.status}); Pay would send nothing and output it (duplicate: true)` };
	const difference = mismatch(existing, plan.params);
	if (difference) return { action: 'conflict', existing, reason: `A payout with this Reference ID already exists (${existing.id}, ${existing.status}) with other details: ${difference}; Pay would fail this item` };
	if (plan.ifReferenceExists === 'error') return { action: 'exists', existing, failsPay: true, reason: 'A payout with this Reference ID already exists; Pay would fail this item (If Reference Exists: Error)' };
	return { action: 'exists', existing, reason: 'A payout with this Reference ID already exists; Pay would send nothing and output it (duplicate: true)' };
}

function followerRow(plan: InitiatePlan, leader: InitiatePlan): Row {
	const difference = mismatch(leader.params, plan.params);
	if (difference) return { action: 'conflict', reason: `Reference also used by ${rowName(leader.itemIndex)} of this batch, with other details: ${difference}; Pay would fail this item`, sameAsItem: leader.itemIndex };
	return { action: 'duplicate', reason: `Paid by ${rowName(leader.itemIndex)} of this batch; Pay would send nothing more for this item`, sameAsItem: leader.itemIndex };
}

function outputOf(plan: InitiatePlan | undefined, row: Row, allocation: Allocation, batch: IDataObject, refusedWhole: boolean, stoppedBy?: { reason: string }): IDataObject {
	const output: IDataObject = { preview: true, action: row.action, wouldSend: false };
	if (plan) Object.assign(output, { ...plan.params });
	if (SENDS.has(row.action) && plan) {
		const share = allocation.shares.get(plan.itemIndex)!;
		const refused = allocation.refused.get(plan.itemIndex);
		const totals = allocation.totals.find((wallet) => wallet.walletId === plan.params.walletId && wallet.currency === plan.params.currency);
		const currency = plan.params.currency ?? DEFAULT_CURRENCY;
		const decimal = (minor: number | null) => (minor === null ? null : toDecimal(minor, currency));
		output.wouldSend = !refused && !refusedWhole && !stoppedBy;
		Object.assign(output, { estimatedFee: decimal(share.fee), feeReading: share.feeReading, debit: decimal(share.debit), walletTotals: totals && totalsOut(totals) });
		if (refused) output.reason = `Not sent: ${refused}`;
		else if (refusedWhole) output.reason = 'Not sent: the whole batch would be refused (see batch.refusal)';
		else if (stoppedBy) output.reason = `Not sent: ${stoppedBy.reason}`;
		else if (row.reason) output.reason = row.reason;
	} else if (row.reason) output.reason = row.reason;
	if (row.existing) output.existing = row.existing;
	if (row.sameAsItem !== undefined) output.sameAsItem = row.sameAsItem;
	return { ...output, batch };
}

/** A wallet's totals as the output shows them: amounts as decimal strings of its currency. */
function totalsOut(totals: WalletTotals): IDataObject {
	const decimal = (minor: number | null) => (minor === null ? null : toDecimal(minor, totals.currency));
	return { ...totals, amount: decimal(totals.amount), fees: decimal(totals.fees), debit: decimal(totals.debit), balance: decimal(totals.balance) };
}

/** The batch's verdict and totals per wallet, in the execution view: one message, its parts agreeing. */
function addPreviewHint(this: IExecuteFunctions, allocation: Allocation, batch: IDataObject): void {
	const money = (minor: number, currency: string) => `${formatMoney(minor, currency)} ${currency}`;
	const wallets = allocation.totals.map((totals) => `wallet "${totals.walletId}": ${totals.payouts} payout(s), ${money(totals.debit, totals.currency)} with estimated fees, balance ${totals.balance === null ? 'not read' : money(totals.balance, totals.currency)} (${totals.verdict})`);
	const verdict = String(batch.fundsCheck);
	const parts = [
		`Preview, nothing was sent. Pay would send ${String(batch.payouts)} payout(s)`,
		batch.stop ? String(batch.stop) : '',
		verdict === 'refused' ? `funds check: refused (${String(batch.refusal).replace(/^Nothing was sent: /, '')})` : `funds check: ${verdict === 'notChecked' ? 'not fully checked' : verdict}`,
		...wallets,
	].filter(Boolean);
	this.addExecutionHints({
		type: verdict === 'pass' || verdict === 'off' ? 'info' : 'warning',
		location: 'outputPane',
		message: `${parts.join('; ')}.${batch.notChecked ? ` Not checked: ${(batch.notChecked as string[]).join('; ')}.` : ''}`,
	});
}
