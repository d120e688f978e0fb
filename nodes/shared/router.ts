import {
	NodeOperationError,
	type AllEntities,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { runOperation, type Operation } from './runner';
import type { Vendor } from './transport';

/**
 * A node's resources and their operation values, e.g. `{ order: 'create' | 'update' }`: the
 * names saved workflows store.
 */
export type OperationNames = Record<string, string>;

/**
 * A node's operations by resource value, then by operation value. Typed by the node's
 * OperationNames (as n8n's Mattermost node types its map), so a misspelt or missing operation
 * fails to compile.
 */
export type Operations<M extends OperationNames> = { [R in keyof M]: { [O in M[R]]: Operation } };

/** Runs the operation the node's Resource and Operation parameters select. */
export async function route<M extends OperationNames>(
	this: IExecuteFunctions,
	vendor: Vendor,
	operations: Operations<M>,
): Promise<INodeExecutionData[][]> {
	const selected = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as AllEntities<M>;
	// A saved workflow may still name an operation this version no longer has.
	const operation = (operations[selected.resource] as Record<string, Operation> | undefined)?.[
		selected.operation
	];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`Unknown operation "${String(selected.operation)}" for resource "${String(selected.resource)}"`,
		);
	}
	return await runOperation.call(this, vendor, operation);
}
