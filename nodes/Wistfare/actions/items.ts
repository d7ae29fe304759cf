import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asN8nError } from '../api/errors';
import { labelOf } from './fields';
import { InvalidField, invalidInput } from './validation';

/** Any failure of an item as the error n8n shows: bad input names the field as the panel labels it. */
export function asNodeError(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	properties: INodeProperties[],
): Error {
	if (error instanceof InvalidField) return invalidInput(this.getNode(), error, itemIndex, labelOf(properties, error.field));
	const shown = asN8nError(this.getNode(), error, itemIndex);
	shown.context = { ...shown.context, itemIndex };
	return shown;
}

/** With "Continue On Fail": the failure as an item in the failed item's place. */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
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

export const paired = (results: IDataObject[], itemIndex: number): INodeExecutionData[] =>
	results.map((json) => ({ json, pairedItem: { item: itemIndex } }));

/**
 * Runs one item at a time, in order: each output item is paired with its input item; with "Continue
 * On Fail" a failed item becomes an error item in its place.
 */
export async function eachItem(
	this: IExecuteFunctions,
	properties: INodeProperties[],
	run: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = this.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...paired(await run(itemIndex), itemIndex));
		} catch (caught) {
			const error = asNodeError.call(this, caught, itemIndex, properties);
			if (!this.continueOnFail()) throw error;
			output.push(errorItem(error, itemIndex));
		}
	}
	return output;
}
