import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Disbursement } from '../../../payout/types';
import { describeNeed } from '../../../payout/funds';
import { formatMoney } from '../../../payout/money';
import { asNodeError, errorItem, paired } from '../../items';
import { Outcomes, RowOrder } from './batch';
import { planBatch, type BatchPlan } from './batch-plan';
import { checkFunds, type FundsVerdict } from './funds-check';
import { preview } from './preview';
import { description } from './description';
import { mismatch } from '../../../payout/equivalence';
import { startExecution, type RunningExecution } from './same-key';
import type { InitiatePlan } from './plan';
import { ReferenceBook } from './references';
import { sendSafely, type Batch } from './safe-send';
import { waitForFinalStatus } from './wait';
import { rowName } from '../../../payout/row';

/**
 * Initiate owns its batch:
 *
 * 1. Every item is checked before anything is sent (a bad row stops the batch before any payout).
 * 2. Rows with the same business and reference make one payout: the first row sends it, the others
 *    wait for it and output it as `duplicate: true`, or fail when their details differ.
 * 3. The funds check (and the credential's Max Total Per Day): a batch its wallets cannot cover is
 *    refused whole before the first payout request, or paid in input order while the funds last.
 * 4. Payouts go out `concurrency` at a time through one pace; output order and pairing are kept.
 *    Without "Continue On Fail" rows are decided in input order (`RowOrder`): the rows paid are those
 *    before the first failing one, and that item's error is reported.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('mode', 0, 'pay') === 'preview') return await preview.call(this);
	// Step 1: every item's plan, and the execution's settings, before any request.
	const batchPlan = await planBatch.call(this);
	if (batchPlan.stopsBeforeSending) throw batchPlan.stopsBeforeSending.error;
	const outcomes = new Outcomes(this, batchPlan.plans.length);
	for (const [itemIndex, error] of batchPlan.invalid) outcomes.items[itemIndex] = [errorItem(error, itemIndex)];
	// The credential read above serves every request of the execution; its pace and listings are
	// shared with the executions of the same key in this process while this one runs.
	const execution = startExecution(batchPlan.credentials, batchPlan.settings.concurrency);
	try {
		return await pay.call(this, batchPlan, outcomes, execution);
	} finally {
		execution.end();
	}
}

/** Steps 2 to 4: the batch's plans, paid. */
async function pay(this: IExecuteFunctions, batchPlan: BatchPlan, outcomes: Outcomes, execution: RunningExecution): Promise<INodeExecutionData[]> {
	const { plans, leaderOf, leaders, payoutsByBusiness, settings, dayLimit } = batchPlan;
	const count = plans.length;
	const { session, shared } = execution;

	// Step 2: one payout per business and reference; later rows follow the first.
	const order = new RowOrder(count, !this.continueOnFail());
	const batch: Batch = { book: new ReferenceBook(this, session, payoutsByBusiness, shared), session, settings, paying: shared?.paying, order };

	// Step 3: the funds, before the first payout request.
	let funds: FundsVerdict;
	try {
		const day = shared ? { reserved: shared.dayReserved, reserve: execution.reserveDay } : undefined;
		funds = await checkFunds.call(this, leaders, batch, { mode: settings.fundsCheck, dayLimit, day });
	} catch (caught) {
		throw asNodeError.call(this, caught, leaders[0]?.itemIndex ?? 0, description);
	}
	if (funds.batchRefusal) return refuseBatch.call(this, funds.batchRefusal, plans, outcomes);

	const payouts = new Map<number, Promise<IDataObject>>();
	const payoutOf = (plan: InitiatePlan): Promise<IDataObject> => {
		const leader = leaderOf[plan.itemIndex];
		if (leader !== undefined) return followLeader.call(this, plan, plans[leader]!, payouts);
		const refused = funds.refused.get(plan.itemIndex);
		const payout = refused ? Promise.reject(notFunded.call(this, refused, plan)) : sendSafely.call(this, plan, batch);
		payout.catch(() => undefined); // a follower may never read it; the leader reports it
		payouts.set(plan.itemIndex, payout);
		return payout;
	};

	// Step 4: send, `concurrency` at a time, each worker taking the next item in order.
	let next = 0;
	const worker = async () => {
		for (let itemIndex = next++; itemIndex < count && !outcomes.stopped; itemIndex = next++) {
			const plan = plans[itemIndex];
			if (!plan) {
				order.decide(itemIndex, false);
				continue;
			}
			try {
				let result = await payoutOf(plan);
				order.decide(itemIndex, true);
				if (plan.wait) {
					result = { ...result, ...(await waitForFinalStatus.call(this, result as Disbursement, plan.wait, { itemIndex, session })) };
				}
				outcomes.items[itemIndex] = paired([result], itemIndex);
			} catch (caught) {
				order.decide(itemIndex, false);
				outcomes.fail(caught, itemIndex);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, worker));
	const output = outcomes.result();
	addHints.call(this, output, batch);
	// What the funds check could not check matters only when payouts went out.
	const sent = output.filter((item) => !item.json.duplicate && !item.json.error).length;
	if (settings.fundsCheck !== 'off' && sent > 0) addFundsHints.call(this, funds);
	return output;
}

/** The whole batch is refused: one error, or with "Continue On Fail" the same error on every row. */
function refuseBatch(this: IExecuteFunctions, message: string, plans: Array<InitiatePlan | undefined>, outcomes: Outcomes): INodeExecutionData[] {
	const refusal = () =>
		new NodeOperationError(this.getNode(), message, {
			description:
				'No payout request was sent for any item. Payouts that already exist with their Reference ID were not counted. Top up the wallet, pay fewer rows, or set Funds Check to "Pay in Input Order While Funds Last".',
		});
	if (!this.continueOnFail()) throw refusal();
	for (const plan of plans) if (plan) outcomes.items[plan.itemIndex] = [errorItem(refusal(), plan.itemIndex)];
	return outcomes.result();
}

function notFunded(this: IExecuteFunctions, reason: string, plan: InitiatePlan): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Not sent: ${reason}`, {
		itemIndex: plan.itemIndex,
		description: 'Funds Check "Pay in Input Order While Funds Last": the payouts before this one were sent while the funds lasted; this one and the later ones of the same wallet (or business) were not.',
	});
}

/** What the funds check did and did not check, in the execution view. */
function addFundsHints(this: IExecuteFunctions, funds: FundsVerdict): void {
	const { allocation } = funds;
	if (allocation.notChecked.length) {
		this.addExecutionHints({
			type: 'warning',
			location: 'outputPane',
			message: `Funds not fully checked before paying: ${allocation.notChecked.join('; ')}. The payouts were sent without that check.`,
		});
	}
	const checked = allocation.totals.filter((totals) => totals.verdict !== 'notChecked');
	const readings = new Set([...allocation.shares.values()].filter((share) => share.fee !== null).map((share) => share.feeReading));
	if (checked.length) {
		this.addExecutionHints({
			type: 'info',
			location: 'outputPane',
			message: `Funds checked before paying: ${checked.map((totals) => `wallet "${totals.walletId}" had ${formatMoney(totals.balance ?? 0, totals.currency)} ${totals.currency}, this batch needed at most ${describeNeed(totals)}`).join('; ')}.${readings.size ? ` Fees estimated with ${[...readings].slice(0, 3).join('; ')} (the fee counted on top of the amount).` : ''}`,
		});
	}
}

/** What the user should know about the batch, in n8n's execution view, not only in the items. */
function addHints(this: IExecuteFunctions, output: INodeExecutionData[], batch: Batch): void {
	const count = (flag: string) => output.filter((item) => item.json[flag] === true).length;
	const duplicates = count('duplicate');
	const reconciled = count('reconciled');
	if (duplicates > 0) {
		this.addExecutionHints({
			type: 'info',
			location: 'outputPane',
			message: `${duplicates} of ${output.length} payouts already existed with their Reference ID: nothing was sent for them (duplicate: true).`,
		});
	}
	if (reconciled > 0) {
		this.addExecutionHints({
			type: 'warning',
			location: 'outputPane',
			message: `${reconciled} payout request(s) got no clear answer from Wistfare; the payouts were found by their Reference ID (reconciled: true).`,
		});
	}
	for (const businessId of batch.book.filterIgnored) {
		this.addExecutionHints({
			type: 'warning',
			location: 'outputPane',
			message: `Wistfare ignored the Reference ID filter for business "${businessId}": the node read the business's payouts once to check every reference. Large histories make this slower.`,
		});
	}
}

/**
 * A row whose reference an earlier row of the batch pays: it waits for that payout and is output as
 * it, with `duplicate: true`, when its details are the same; it fails when they differ.
 */
async function followLeader(
	this: IExecuteFunctions,
	plan: InitiatePlan,
	leaderPlan: InitiatePlan,
	payouts: Map<number, Promise<IDataObject>>,
): Promise<IDataObject> {
	const { referenceId } = plan.params;
	const difference = mismatch(leaderPlan.params, plan.params);
	if (difference) {
		throw new NodeOperationError(
			this.getNode(),
			`Reference "${referenceId}" is also used by ${rowName(leaderPlan.itemIndex)} of this batch, with other details: ${difference}; this item was not sent`,
			{ itemIndex: plan.itemIndex, description: 'Give each payout its own Reference ID.' },
		);
	}
	// The leader starts first (items start in order), so its payout is known by now.
	let payout: IDataObject;
	try {
		payout = await payouts.get(leaderPlan.itemIndex)!;
	} catch {
		throw new NodeOperationError(
			this.getNode(),
			`Reference "${referenceId}" is paid by ${rowName(leaderPlan.itemIndex)} of this batch, which failed; this item was not sent`,
			{ itemIndex: plan.itemIndex },
		);
	}
	return { ...payout, duplicate: true };
}
