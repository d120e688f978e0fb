import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../../../shared/runner';
import { campaignAndConversion, statusAndReason } from '../common.descriptions';
import { readStatusUpdate, statusUpdateOutput } from '../statusUpdate';

export const description = updateDisplayOptions(
	{ show: { resource: ['conversionPart'], operation: ['updateStatus'] } },
	[
		...campaignAndConversion,
		{
			displayName: 'Product SKU',
			name: 'productSku',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'SKU001',
			description: 'SKU of the product line (conversion part) to update',
		},
		...statusAndReason,
	],
);

export const operation: Operation = {
	idempotent: true,
	request(item) {
		const { campaignId, apiFields } = readStatusUpdate(item, { withProductSku: true });
		return {
			method: 'GET',
			path: `/api/v1/${campaignId}/update-conversion-part-status`,
			qs: apiFields,
		};
	},
	output: (reply, _request, item) => statusUpdateOutput(reply, item),
};
