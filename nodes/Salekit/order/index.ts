import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../shared/runner';
import { createOrder, orderCreateDescription } from './create';
import { orderUpdateDescription, updateOrder } from './update';

export const orderOperations: Record<string, Operation> = {
	create: createOrder,
	update: updateOrder,
};

export const orderDescription: INodeProperties[] = [
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
	...orderCreateDescription,
	...orderUpdateDescription,
];
