import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../api/request';
import { asNodeError } from '../../items';
import { leadersOf } from './batch';
import { description } from './description';
import { dailyLimitOf } from './guards';
import { planInitiate, readSettings, type InitiatePlan, type InitiateSettings } from './plan';

/**
 * What Initiate decides about a batch before Wistfare is asked anything, in one place for both modes:
 * Pay executes it, Preview renders it. The decisions that need Wistfare's answers (references, funds,
 * the day's total) are made later by the same functions for both: `referenceOutcome` (retry.ts),
 * `checkFunds` (funds-check.ts), and the input order (`RowOrder`, batch.ts).
 */
export interface BatchPlan {
	credentials: ICredentialDataDecryptedObject;
	settings: InitiateSettings;
	/** The credential's Max Total Per Day, when set. */
	dayLimit?: string;
	/** Each item's plan; none for an item that cannot be paid as it is (`invalid`). */
	plans: Array<InitiatePlan | undefined>;
	/** Why an item cannot be paid, by item: the error Pay fails it with. */
	invalid: ReadonlyMap<number, Error>;
	/** For each row, the earlier row that pays its business and reference (a repeat in the batch). */
	leaderOf: Array<number | undefined>;
	/** The rows that make a payout (the first of each business and reference). */
	leaders: InitiatePlan[];
	/** Payouts per business, for choosing between look-ups and one whole listing. */
	payoutsByBusiness: Map<string, number>;
	/** Without Continue On Fail, an invalid row stops the batch before any request: the first. */
	stopsBeforeSending?: { itemIndex: number; error: Error };
}

/** Reads the settings and every item's plan; an invalid item is recorded, never sent. */
export async function planBatch(this: IExecuteFunctions): Promise<BatchPlan> {
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
	const plans: Array<InitiatePlan | undefined> = new Array(count);
	const invalid = new Map<number, Error>();
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			plans[itemIndex] = planInitiate.call(this, itemIndex, credentials);
		} catch (caught) {
			invalid.set(itemIndex, asNodeError.call(this, caught, itemIndex, description));
		}
	}
	const { leaderOf, payoutsByBusiness } = leadersOf(plans);
	const leaders = plans.filter((plan): plan is InitiatePlan => plan !== undefined && leaderOf[plan.itemIndex] === undefined);
	const [first] = invalid;
	const stopsBeforeSending = first && !this.continueOnFail() ? { itemIndex: first[0], error: first[1] } : undefined;
	return { credentials, settings, dayLimit, plans, invalid, leaderOf, leaders, payoutsByBusiness, stopsBeforeSending };
}
