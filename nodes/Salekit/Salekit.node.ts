import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection } from '../shared/options';
import { route, type Operations } from '../shared/router';
import * as order from './actions/order';
import type { SalekitOperations } from './actions/operationNames';
import { salekitVendor } from './vendor';

const operations: Operations<SalekitOperations> = { order: order.operations };

export class Salekit implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salekit',
		name: 'salekit',
		icon: { light: 'file:salekit.svg', dark: 'file:salekit.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and update orders in Salekit',
		defaults: { name: 'Salekit' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'salekitApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Order', value: 'order' }],
				default: 'order',
			},
			...order.description,
			optionsCollection(operations),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, salekitVendor, operations);
	}
}
