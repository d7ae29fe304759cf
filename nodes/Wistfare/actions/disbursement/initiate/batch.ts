import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../items';
import { description } from './description';
import { payoutKey, type InitiatePlan } from './plan';

/** The batch's outputs, in input order, and the failures that stop it ("Continue On Fail" makes one the item's output). */
export class Outcomes {
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

/** For each row, the row that pays its business and reference when that is an earlier one; and the payouts per business. */
export function leadersOf(plans: Array<InitiatePlan | undefined>) {
	const leaders = new Map<string, number>();
	const leaderOf: Array<number | undefined> = new Array(plans.length);
	const payoutsByBusiness = new Map<string, number>();
	for (const plan of plans) {
		if (!plan) continue;
		const { businessId } = plan.params;
		const key = payoutKey(plan.params);
		const leader = leaders.get(key);
		if (leader === undefined) {
			leaders.set(key, plan.itemIndex);
			payoutsByBusiness.set(businessId, (payoutsByBusiness.get(businessId) ?? 0) + 1);
		} else leaderOf[plan.itemIndex] = leader;
	}
	return { leaderOf, payoutsByBusiness };
}

/**
 * With "Continue On Fail" off, rows are decided in input order: a row's payout request goes out only
 * once every earlier row is decided (its look-up found no payout, or it is done), and not at all when
 * an earlier row failed. So the rows paid are the rows before the first failing one, whatever the
 * concurrency: what Preview shows. With it on, rows do not wait for each other.
 */
export class RowOrder {
	private readonly decisions: Array<{ done: Promise<boolean>; settle: (ok: boolean) => void }>;

	constructor(
		count: number,
		private readonly ordered: boolean,
	) {
		this.decisions = Array.from({ length: count }, () => {
			let settle!: (ok: boolean) => void;
			const done = new Promise<boolean>((resolve) => (settle = resolve));
			return { done, settle };
		});
	}

	/** The row is decided: `ok` false when it failed. The first word on a row counts. */
	decide(itemIndex: number, ok: boolean): void {
		this.decisions[itemIndex].settle(ok);
	}

	/**
	 * Called right before the row's payout request: decides the row, then waits for the earlier rows.
	 * Resolves to the first earlier row that failed, if any: the request must not go out then.
	 */
	async turn(itemIndex: number): Promise<number | undefined> {
		this.decide(itemIndex, true);
		if (!this.ordered) return undefined;
		const earlier = await Promise.all(this.decisions.slice(0, itemIndex).map((decision) => decision.done));
		const failed = earlier.indexOf(false);
		return failed === -1 ? undefined : failed;
	}
}
