import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as disbursement from './disbursement';
import * as wallet from './wallet';

type Operation = { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> };
const RESOURCES: Record<string, Record<string, Operation>> = { disbursement: disbursement.operations, wallet: wallet.operations };

/** Hands the whole batch to its operation, which owns the loop. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, 'disbursement') as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = RESOURCES[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	return [await handler.execute.call(this)];
}
