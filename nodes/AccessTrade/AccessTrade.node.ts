import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { optionsCollection } from '../shared/options';
import { route, type Operations } from '../shared/router';
import { accessTradeOptions } from './actions/common.descriptions';
import * as conversion from './actions/conversion';
import * as conversionPart from './actions/conversionPart';
import type { AccessTradeOperations } from './actions/operationNames';
import { accessTradeVendor } from './vendor';

const operations: Operations<AccessTradeOperations> = {
	conversion: conversion.operations,
	conversionPart: conversionPart.operations,
};

export class AccessTrade implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AccessTrade',
		name: 'accessTrade',
		icon: { light: 'file:accesstrade.svg', dark: 'file:accesstrade.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Record affiliate conversions on AccessTrade's conversion API, then pre-approve or reject them",
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
			...conversion.description,
			...conversionPart.description,
			optionsCollection(operations, accessTradeOptions),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, accessTradeVendor, operations);
	}
}
