import type { INodeProperties } from 'n8n-workflow';

import type { Operations } from '../../../shared/router';
import type { AccessTradeOperations } from '../operationNames';
import * as updateStatus from './updateStatus.operation';

export const operations: Operations<AccessTradeOperations>['conversionPart'] = {
	updateStatus: updateStatus.operation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversionPart'] } },
		options: [
			{
				name: 'Update Status',
				value: 'updateStatus',
				action: 'Update a conversion part status',
				description: 'Pre-approve or reject one product line of a conversion',
			},
		],
		default: 'updateStatus',
	},
	...updateStatus.description,
];
