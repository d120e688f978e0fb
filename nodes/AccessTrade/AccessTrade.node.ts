import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection } from '../shared/options';
import { runOperation, type Operation } from '../shared/runner';
import { conversionCreateDescription, createConversion } from './conversion/create';
import {
	conversionUpdateStatusDescription,
	updateConversionStatus,
} from './conversion/updateStatus';
import {
	conversionPartUpdateStatusDescription,
	updateConversionPartStatus,
} from './conversionPart/updateStatus';
import { accessTradeVendor } from './transport';

const operations: Record<string, Record<string, Operation>> = {
	conversion: { create: createConversion, updateStatus: updateConversionStatus },
	conversionPart: { updateStatus: updateConversionPartStatus },
};

function operationDropdown(resource: string, action: string, description: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [{ name: 'Update Status', value: 'updateStatus', action, description }],
		default: 'updateStatus',
	};
}

export class AccessTrade implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AccessTrade',
		name: 'accessTrade',
		icon: { light: 'file:accesstrade.svg', dark: 'file:accesstrade.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Pre-approve or reject affiliate conversions on AccessTrade's conversion API",
		defaults: { name: 'AccessTrade' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'accessTradeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Conversion',
						value: 'conversion',
						description: 'An affiliate-referred order as a whole',
					},
					{
						name: 'Conversion Part',
						value: 'conversionPart',
						description: 'One product line of a conversion, by SKU',
					},
				],
				default: 'conversion',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['conversion'] } },
				options: [
					{
						name: 'Create',
						value: 'create',
						action: 'Create a conversion',
						description: 'Record an affiliate-referred order, server to server',
					},
					{
						name: 'Update Status',
						value: 'updateStatus',
						action: 'Update a conversion status',
						description: 'Pre-approve or reject a whole conversion',
					},
				],
				default: 'updateStatus',
			},
			operationDropdown(
				'conversionPart',
				'Update a conversion part status',
				'Pre-approve or reject one product line of a conversion',
			),
			...conversionCreateDescription,
			...conversionUpdateStatusDescription,
			...conversionPartUpdateStatusDescription,
			optionsCollection([
				{
					displayName: 'Output Full Response',
					name: 'fullResponse',
					type: 'boolean',
					default: false,
					description:
						"Whether to output AccessTrade's whole reply (both envelopes) instead of just the conversion",
				},
				{
					displayName: 'Request Method',
					name: 'requestMethod',
					type: 'options',
					options: [
						{ name: 'POST', value: 'POST', description: 'JSON body (recommended)' },
						{ name: 'GET', value: 'GET', description: 'Query string, the documented GET form' },
					],
					default: 'POST',
					displayOptions: { show: { '/resource': ['conversion'], '/operation': ['updateStatus'] } },
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = operations[resource]?.[this.getNodeParameter('operation', 0) as string];
		if (!operation) {
			throw new NodeOperationError(this.getNode(), `Unknown operation for resource "${resource}"`);
		}
		return await runOperation.call(this, accessTradeVendor, operation);
	}
}
