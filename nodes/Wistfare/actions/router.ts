import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { operations, type DisbursementOperation } from './disbursement';
import { InvalidField, invalidInput } from './validation';

function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof InvalidField) return invalidInput(this.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/**
 * Runs every item in order through its operation. Each output item is paired with the input item it
 * came from; with "Continue On Fail" a failed item becomes an error item in its place.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const operation = this.getNodeParameter('operation', itemIndex) as DisbursementOperation;
			const handler = operations[operation];
			if (!handler) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
					itemIndex,
				});
			}
			const results = await handler.execute.call(this, itemIndex);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = asNodeError.call(this, caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			output.push({
				json: { error: error.message, ...(errorDetails(error) ?? {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
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
