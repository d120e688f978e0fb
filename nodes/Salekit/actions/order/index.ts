import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../../../shared/router';
import type { SalekitOperations } from '../operationNames';
import * as create from './create.operation';
import * as update from './update.operation';

export const operations: Operations<SalekitOperations>['order'] = {
	create: create.operation,
	update: update.operation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an order',
				description: 'Create an order in Salekit',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update an order',
				description: "Change an existing order's fields",
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
];
