import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection } from '../shared/options';
import { route, type Operations } from '../shared/router';
import * as combo from './actions/combo';
import * as order from './actions/order';
import * as product from './actions/product';
import type { SalekitOperations } from './actions/operationNames';
import { salekitVendor } from './vendor';

const operations: Operations<SalekitOperations> = {
	order: order.operations,
	product: product.operations,
	combo: combo.operations,
};

export class Salekit implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salekit',
		name: 'salekit',
		icon: { light: 'file:salekit.svg', dark: 'file:salekit.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and update orders, and create products and combos, in Salekit',
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
				options: [
					{ name: 'Combo', value: 'combo' },
					{ name: 'Order', value: 'order' },
					{ name: 'Product', value: 'product' },
				],
				default: 'order',
			},
			...order.description,
			...product.description,
			...combo.description,
			optionsCollection(operations),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, salekitVendor, operations);
	}
}
