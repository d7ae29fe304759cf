import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { checkCredentials } from '../../../api/credentials';
import { RequestGate } from '../../../api/gate';
import { CREDENTIAL_TYPE } from '../../../api/request';
import type { WistfareSession } from '../../../api/session';
import { mismatch } from '../../../payout/equivalence';
import { DEFAULT_CURRENCY } from '../../../payout/currency';
import { allocate, batchRefusal, type Allocation, type WalletTotals } from '../../../payout/funds';
import { formatMoney, toDecimal } from '../../../payout/money';
import type { Disbursement } from '../../../payout/types';
import { asNodeError, errorItem, paired } from '../../items';
import { leadersOf } from './batch';
import { description } from './description';
import { paymentOf, readReadings } from './funds-check';
import { dailyLimitOf } from './guards';
import { planInitiate, readSettings, type InitiatePlan, type InitiateSettings } from './plan';
import { ReferenceBook } from './references';
import { rowName } from '../../../payout/row';

/** What Pay would do with one item, apart from the funds. */
type Action = 'pay' | 'exists' | 'conflict' | 'duplicate' | 'invalid';

interface Row {
	action: Action;
	reason?: string;
	existing?: Disbursement;
	sameAsItem?: number;
}

/**
 * Preview: the same fields and checks as Pay, and no payout request. Per item it outputs what Pay
 * would do, the estimated fee and debit, and its wallet's totals for the batch; every item carries
 * the batch's funds verdict. It reads what Pay's own checks read (one reference look-up per payout,
 * each wallet and fee configuration once, today's payouts when a Max Total Per Day is set).
 *
 * 1. Plan every item: a bad one is `invalid`, with the message Pay would fail it with.
 * 2. Look each reference up: `exists` (same details), `conflict` (other details), or `pay`.
 * 3. The funds check on the payouts Pay would send.
 * 4. One output item per input item, paired.
 */
export async function preview(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const count = this.getInputData().length;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	let settings: InitiateSettings;
	let dayLimit: string | undefined;
	try {
		settings = readSettings.call(this);
		dayLimit = dailyLimitOf(credentials);
	} catch (caught) {
		throw asNodeError.call(this, caught, 0, description);
	}

	// Step 1: plans.
	const plans: Array<InitiatePlan | undefined> = new Array(count);
	const rows: Row[] = new Array(count);
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			plans[itemIndex] = planInitiate.call(this, itemIndex, credentials);
		} catch (caught) {
			rows[itemIndex] = { action: 'invalid', reason: asNodeError.call(this, caught, itemIndex, description).message };
		}
	}
	const checked = checkCredentials(credentials);
	const session: WistfareSession = { gate: new RequestGate(settings.concurrency), credentials: checked.ok ? checked.value : undefined };
	const { leaderOf, payoutsByBusiness } = leadersOf(plans);
	const book = new ReferenceBook(this, session, payoutsByBusiness);

	// Step 2: references.
	const failures = new Map<number, Error>();
	await Promise.all(
		plans.map(async (plan) => {
			if (!plan || leaderOf[plan.itemIndex] !== undefined) return;
			try {
				rows[plan.itemIndex] = referenceRow(plan, await book.find(plan.params.businessId, plan.params.referenceId, plan.itemIndex));
			} catch (caught) {
				failures.set(plan.itemIndex, asNodeError.call(this, caught, plan.itemIndex, description));
			}
		}),
	);
	const firstFailure = [...failures].sort(([a], [b]) => a - b)[0];
	if (firstFailure && !this.continueOnFail()) throw firstFailure[1];
	for (const plan of plans) if (plan && leaderOf[plan.itemIndex] !== undefined) rows[plan.itemIndex] = followerRow(plan, plans[leaderOf[plan.itemIndex]!]!);

	// Step 3: the funds, for what Pay would send.
	const toPay = plans.filter((plan): plan is InitiatePlan => plan !== undefined && rows[plan.itemIndex]?.action === 'pay');
	const payments = toPay.map(paymentOf);
	let readings;
	try {
		readings = await readReadings.call(this, payments, { funds: settings.fundsCheck !== 'off', dayLimit, session });
	} catch (caught) {
		throw asNodeError.call(this, caught, toPay[0]?.itemIndex ?? 0, description);
	}
	const allocation = allocate(payments, readings);
	const refusedWhole = allocation.refused.size > 0 && settings.fundsCheck !== 'payWhileFundsLast';
	const batch: IDataObject = {
		payouts: payments.length,
		fundsCheck: settings.fundsCheck === 'off' && dayLimit === undefined ? 'off' : allocation.refused.size === 0 ? 'pass' : refusedWhole ? 'refused' : 'partly paid',
		...(refusedWhole ? { refusal: batchRefusal(payments, allocation, readings) } : {}),
		...(settings.fundsCheck !== 'off' && allocation.notChecked.length ? { notChecked: allocation.notChecked } : {}),
	};

	// Step 4: outputs.
	addPreviewHint.call(this, allocation, batch);
	// Every index, holes included: an invalid item has no plan, and still its output.
	return Array.from({ length: count }, (_, itemIndex) => {
		const failure = failures.get(itemIndex);
		if (failure) return errorItem(failure, itemIndex);
		return paired([outputOf(plans[itemIndex], rows[itemIndex], allocation, batch, refusedWhole)], itemIndex)[0];
	});
}

function referenceRow(plan: InitiatePlan, existing: Disbursement | undefined): Row {
	if (!existing) return { action: 'pay' };
	const difference = mismatch(existing, plan.params);
	if (difference) return { action: 'conflict', existing, reason: `A payout with this Reference ID already exists (${existing.id}, ${existing.status}) with other details: ${difference}; Pay would fail this item` };
	if (plan.ifReferenceExists === 'error') return { action: 'exists', existing, reason: 'A payout with this Reference ID already exists; Pay would fail this item (If Reference Exists: Error)' };
	return { action: 'exists', existing, reason: 'A payout with this Reference ID already exists; Pay would send nothing and output it (duplicate: true)' };
}

function followerRow(plan: InitiatePlan, leader: InitiatePlan): Row {
	const difference = mismatch(leader.params, plan.params);
	if (difference) return { action: 'conflict', reason: `Reference also used by ${rowName(leader.itemIndex)} of this batch, with other details: ${difference}; Pay would fail this item`, sameAsItem: leader.itemIndex };
	return { action: 'duplicate', reason: `Paid by ${rowName(leader.itemIndex)} of this batch; Pay would send nothing more for this item`, sameAsItem: leader.itemIndex };
}

function outputOf(plan: InitiatePlan | undefined, row: Row, allocation: Allocation, batch: IDataObject, refusedWhole: boolean): IDataObject {
	const output: IDataObject = { preview: true, action: row.action, wouldSend: false };
	if (plan) Object.assign(output, { ...plan.params });
	if (row.action === 'pay' && plan) {
		const share = allocation.shares.get(plan.itemIndex)!;
		const refused = allocation.refused.get(plan.itemIndex);
		const totals = allocation.totals.find((wallet) => wallet.walletId === plan.params.walletId && wallet.currency === plan.params.currency);
		output.wouldSend = !refused && !refusedWhole;
		const currency = plan.params.currency ?? DEFAULT_CURRENCY;
		const decimal = (minor: number | null) => (minor === null ? null : toDecimal(minor, currency));
		Object.assign(output, { estimatedFee: decimal(share.fee), feeReading: share.feeReading, debit: decimal(share.debit), walletTotals: totals && totalsOut(totals) });
		if (refused) output.reason = `Not sent: ${refused}`;
		else if (refusedWhole) output.reason = 'Not sent: the whole batch would be refused (see batch.refusal)';
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

/** The batch's verdict and totals per wallet, in the execution view. */
function addPreviewHint(this: IExecuteFunctions, allocation: Allocation, batch: IDataObject): void {
	const money = (minor: number, currency: string) => `${formatMoney(minor, currency)} ${currency}`;
	const wallets = allocation.totals.map((totals) => `wallet "${totals.walletId}": ${totals.payouts} payout(s), ${money(totals.debit, totals.currency)} with estimated fees, balance ${totals.balance === null ? 'not read' : money(totals.balance, totals.currency)} (${totals.verdict})`);
	this.addExecutionHints({
		type: batch.fundsCheck === 'pass' || batch.fundsCheck === 'off' ? 'info' : 'warning',
		location: 'outputPane',
		message: `Preview, nothing was sent. ${batch.payouts} payout(s) would be sent; funds check: ${String(batch.fundsCheck)}${wallets.length ? `; ${wallets.join('; ')}` : ''}.${batch.notChecked ? ` Not checked: ${(batch.notChecked as string[]).join('; ')}.` : ''}`,
	});
}
