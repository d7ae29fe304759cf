import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkCredentials } from '../../../api/credentials';
import { CREDENTIAL_TYPE } from '../../../api/request';
import { RequestGate } from '../../../api/gate';
import type { Disbursement } from '../../../payout/types';
import type { WistfareSession } from '../../../api/session';
import { asNodeError, errorItem, paired } from '../../items';
import { description } from './description';
import { mismatch } from '../../../payout/equivalence';
import { planInitiate, readSettings, type InitiatePlan } from './plan';
import { ReferenceBook } from './references';
import { sendSafely, type Batch } from './safe-send';
import { waitForFinalStatus } from './wait';

/** The batch's outputs, in input order, and the failures that stop it ("Continue On Fail" makes one the item's output). */
class Outcomes {
	readonly items: INodeExecutionData[][];
	readonly failures: Array<{ itemIndex: number; error: Error }> = [];
	/** Once an item fails (without "Continue On Fail"), no new payout starts. */
	stopped = false;

	constructor(private readonly context: IExecuteFunctions, count: number) {
		this.items = new Array(count);
	}

	/** Records a failure: the item's output with "Continue On Fail", else the error that stops the batch. */
	fail(caught: unknown, itemIndex: number): Error | undefined {
		const error = asNodeError.call(this.context, caught, itemIndex, description);
		if (this.context.continueOnFail()) {
			this.items[itemIndex] = [errorItem(error, itemIndex)];
			return undefined;
		}
		this.stopped = true;
		this.failures.push({ itemIndex, error });
		return error;
	}

	/** The first failing item's error, else every output in order. */
	result(): INodeExecutionData[] {
		if (this.failures.length) throw this.failures.sort((a, b) => a.itemIndex - b.itemIndex)[0].error;
		return this.items.flat();
	}
}

/**
 * Initiate owns its batch:
 *
 * 1. Every item is checked before anything is sent (a bad row stops the batch before any payout).
 * 2. Rows with the same business and reference make one payout: the first row sends it, the others
 *    wait for it and output it as `duplicate: true`, or fail when their details differ.
 * 3. Payouts go out `concurrency` at a time through one gate; output order and pairing are kept.
 *    Once an item fails (without "Continue On Fail") no new payout starts; the first failing item's
 *    error is reported.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const count = this.getInputData().length;
	const outcomes = new Outcomes(this, count);

	// Step 1: every item's plan, and the execution's settings, before any request.
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const plans: Array<InitiatePlan | undefined> = new Array(count);
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			plans[itemIndex] = planInitiate.call(this, itemIndex, credentials);
		} catch (caught) {
			const error = outcomes.fail(caught, itemIndex);
			if (error) throw error;
		}
	}
	let settings;
	try {
		settings = readSettings.call(this);
	} catch (caught) {
		throw asNodeError.call(this, caught, 0, description);
	}
	// The credential read above serves every request of the execution.
	const checked = checkCredentials(credentials);
	const session: WistfareSession = { gate: new RequestGate(settings.concurrency), credentials: checked.ok ? checked.value : undefined };

	// Step 2: one payout per business and reference; later rows follow the first.
	const { leaderOf, payoutsByBusiness } = leadersOf(plans);
	const batch: Batch = { book: new ReferenceBook(this, session, payoutsByBusiness), session, settings };
	const payouts = new Map<number, Promise<IDataObject>>();
	const payoutOf = (plan: InitiatePlan): Promise<IDataObject> => {
		const leader = leaderOf[plan.itemIndex];
		if (leader !== undefined) return followLeader.call(this, plan, plans[leader]!, payouts);
		const payout = sendSafely.call(this, plan, batch);
		payout.catch(() => undefined); // a follower may never read it; the leader reports it
		payouts.set(plan.itemIndex, payout);
		return payout;
	};

	// Step 3: send, `concurrency` at a time, each worker taking the next item in order.
	let next = 0;
	const worker = async () => {
		for (let itemIndex = next++; itemIndex < count && !outcomes.stopped; itemIndex = next++) {
			const plan = plans[itemIndex];
			if (!plan) continue;
			try {
				let result = await payoutOf(plan);
				if (plan.wait) {
					result = { ...result, ...(await waitForFinalStatus.call(this, result as Disbursement, plan.wait, { itemIndex, session })) };
				}
				outcomes.items[itemIndex] = paired([result], itemIndex);
			} catch (caught) {
				outcomes.fail(caught, itemIndex);
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, worker));
	const output = outcomes.result();
	addHints.call(this, output, batch);
	return output;
}

/** For each row, the row that pays its business and reference when that is an earlier one; and the payouts per business. */
function leadersOf(plans: Array<InitiatePlan | undefined>) {
	const leaders = new Map<string, number>();
	const leaderOf: Array<number | undefined> = new Array(plans.length);
	const payoutsByBusiness = new Map<string, number>();
	for (const plan of plans) {
		if (!plan) continue;
		const { businessId, referenceId } = plan.params;
		const key = `${businessId}\n${referenceId}`;
		const leader = leaders.get(key);
		if (leader === undefined) {
			leaders.set(key, plan.itemIndex);
			payoutsByBusiness.set(businessId, (payoutsByBusiness.get(businessId) ?? 0) + 1);
		} else leaderOf[plan.itemIndex] = leader;
	}
	return { leaderOf, payoutsByBusiness };
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
			`Reference "${referenceId}" is also used by item ${leaderPlan.itemIndex} of this batch, with other details: ${difference}; this item was not sent`,
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
			`Reference "${referenceId}" is paid by item ${leaderPlan.itemIndex} of this batch, which failed; this item was not sent`,
			{ itemIndex: plan.itemIndex },
		);
	}
	return { ...payout, duplicate: true };
}
