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
	const results: INodeExecutionData[][] = new Array(count);
	/** With "Continue On Fail" the failure becomes the item's output; otherwise it is returned. */
	const failed = (caught: unknown, itemIndex: number): Error | undefined => {
		const error = asNodeError.call(this, caught, itemIndex, description);
		if (!this.continueOnFail()) return error;
		results[itemIndex] = [errorItem(error, itemIndex)];
		return undefined;
	};

	// Step 1: every item's plan, and the execution's settings, before any request.
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const plans: Array<InitiatePlan | undefined> = new Array(count);
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			plans[itemIndex] = planInitiate.call(this, itemIndex, credentials);
		} catch (caught) {
			const error = failed(caught, itemIndex);
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
	const leaders = new Map<string, number>();
	const leaderOf: Array<number | undefined> = new Array(count);
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
	const batch: Batch = { book: new ReferenceBook(this, session, payoutsByBusiness), session, settings };
	const payouts = new Map<number, Promise<IDataObject>>();
	const payoutOf = (plan: InitiatePlan): Promise<IDataObject> => {
		const leader = leaderOf[plan.itemIndex];
		if (leader === undefined) {
			const payout = sendSafely.call(this, plan, batch);
			payout.catch(() => undefined); // a follower may never read it; the leader reports it
			payouts.set(plan.itemIndex, payout);
			return payout;
		}
		return followLeader.call(this, plan, plans[leader]!, payouts);
	};

	// Step 3: send, `concurrency` at a time.
	let next = 0;
	let stopped = false;
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const worker = async () => {
		for (let itemIndex = next++; itemIndex < count && !stopped; itemIndex = next++) {
			const plan = plans[itemIndex];
			if (!plan) continue;
			try {
				let result = await payoutOf(plan);
				if (plan.wait) {
					result = { ...result, ...(await waitForFinalStatus.call(this, result as Disbursement, plan.wait, { itemIndex, session })) };
				}
				results[itemIndex] = paired([result], itemIndex);
			} catch (caught) {
				const error = failed(caught, itemIndex);
				if (error) {
					stopped = true;
					failures.push({ itemIndex, error });
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, worker));
	if (failures.length) throw failures.sort((a, b) => a.itemIndex - b.itemIndex)[0].error;
	const output = results.flat();
	addHints.call(this, output, batch);
	return output;
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
