import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { RequestGate } from '../transport/gate';
import { itemOperations, type DisbursementOperation } from './disbursement';
import * as initiate from './disbursement/initiate.operation';
import { InvalidField, invalidInput } from './validation';

function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof InvalidField) return invalidInput(this.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message, ...(errorDetails(error) ?? {}) }, pairedItem: { item: itemIndex } };
}

function errorDetails(error: Error) {
	if (!(error instanceof NodeApiError)) return undefined;
	const { code, requestId, details } = error.context as Record<string, unknown>;
	return {
		...(error.httpCode ? { httpCode: error.httpCode } : {}),
		...(code ? { code } : {}),
		...(requestId ? { requestId } : {}),
		...(details ? { details } : {}),
	};
}

const paired = (results: IDataObject[], itemIndex: number): INodeExecutionData[] =>
	results.map((json) => ({ json, pairedItem: { item: itemIndex } }));

/**
 * Runs every item through its operation. Each output item is paired with the input item it came
 * from, in input order; with "Continue On Fail" a failed item becomes an error item in its place.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as DisbursementOperation;
	if (operation === 'initiate') return [await initiateAll.call(this)];
	const handler = itemOperations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const output: INodeExecutionData[] = [];
	const count = this.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...paired(await handler.execute.call(this, itemIndex), itemIndex));
		} catch (caught) {
			const error = asNodeError.call(this, caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			output.push(errorItem(error, itemIndex));
		}
	}
	return [output];
}

/**
 * Initiate checks every item before sending anything (a bad row stops the batch before any payout),
 * then sends up to `concurrency` payouts at once through one shared gate. Once an item fails (without
 * "Continue On Fail") no new payout starts; the first failing item's error is reported.
 */
async function initiateAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const count = this.getInputData().length;
	const results: INodeExecutionData[][] = new Array(count);
	const plans: Array<initiate.InitiatePlan | undefined> = new Array(count);
	const credentials = await this.getCredentials('wistfareApi');
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			plans[itemIndex] = initiate.planInitiate.call(this, itemIndex, credentials);
		} catch (caught) {
			const error = asNodeError.call(this, caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			results[itemIndex] = [errorItem(error, itemIndex)];
		}
	}
	let parallel: number;
	try {
		parallel = initiate.concurrency.call(this);
	} catch (caught) {
		throw asNodeError.call(this, caught, 0);
	}
	const gate = new RequestGate(parallel);
	let next = 0;
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const worker = async () => {
		for (let itemIndex = next++; itemIndex < count && failures.length === 0; itemIndex = next++) {
			const plan = plans[itemIndex];
			if (!plan) continue;
			try {
				results[itemIndex] = paired([await initiate.initiateSafely.call(this, plan, itemIndex, gate)], itemIndex);
			} catch (caught) {
				const error = asNodeError.call(this, caught, itemIndex);
				if (this.continueOnFail()) results[itemIndex] = [errorItem(error, itemIndex)];
				else failures.push({ itemIndex, error });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
	if (failures.length) throw failures.sort((a, b) => a.itemIndex - b.itemIndex)[0].error;
	return results.flat();
}
