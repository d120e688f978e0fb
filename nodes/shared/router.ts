import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { runOperation, type Operation } from './runner';
import type { Vendor } from './transport';

/** A node's operations by resource value, then by operation value. */
export type Operations = Record<string, Record<string, Operation>>;

/** Runs the operation the node's Resource and Operation parameters select. */
export async function route(
	this: IExecuteFunctions,
	vendor: Vendor,
	operations: Operations,
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`Unknown operation "${operationName}" for resource "${resource}"`,
		);
	}
	return await runOperation.call(this, vendor, operation);
}
