import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../../../shared/router';
import type { SalekitOperations } from '../operationNames';
import * as create from './create.operation';

export const operations: Operations<SalekitOperations>['combo'] = {
	create: create.operation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['combo'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a combo',
				description: 'Create a bundle of products sold at one price',
			},
		],
		default: 'create',
	},
	...create.description,
];
