import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection } from '../shared/options';
import { orderKeyProperty } from '../shared/orderKey';
import { runOperation } from '../shared/runner';
import { orderDescription, orderOperations } from './order';
import { salekitVendor } from './transport';

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
			...orderDescription,
			optionsCollection([{ ...orderKeyProperty, displayOptions: { show: { '/operation': ['create'] } } }]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = orderOperations[this.getNodeParameter('operation', 0) as string];
		if (!operation) {
			throw new NodeOperationError(this.getNode(), 'Unknown operation for the Order resource');
		}
		return await runOperation.call(this, salekitVendor, operation);
	}
}
