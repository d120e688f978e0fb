import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../../../shared/router';
import type { SalekitOperations } from '../operationNames';
import * as create from './create.operation';

export const operations: Operations<SalekitOperations>['product'] = {
	create: create.operation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a product',
				description: 'Create a product, service or course in Salekit',
			},
		],
		default: 'create',
	},
	...create.description,
];
