import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../../../shared/router';
import type { AccessTradeOperations } from '../operationNames';
import * as create from './create.operation';
import * as updateStatus from './updateStatus.operation';

export const operations: Operations<AccessTradeOperations>['conversion'] = {
	create: create.operation,
	updateStatus: updateStatus.operation,
};

export const description: INodeProperties[] = [
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
				description:
					'Pre-approve or reject a whole conversion (approve, hold or reset it with the advertiser status API)',
			},
		],
		default: 'updateStatus',
	},
	...create.description,
	...updateStatus.description,
];
