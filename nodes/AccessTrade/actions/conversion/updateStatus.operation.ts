import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../../../shared/runner';
import { campaignAndConversion, statusAndReason } from '../common.descriptions';
import { readStatusUpdate, statusUpdateOutput } from '../statusUpdate';

export const description = updateDisplayOptions(
	{ show: { resource: ['conversion'], operation: ['updateStatus'] } },
	[...campaignAndConversion, ...statusAndReason],
);

export const operation: Operation = {
	idempotent: true,
	request(item) {
		const { campaignId, apiFields } = readStatusUpdate(item);
		if (item.param<string>('options.requestMethod', 'POST') === 'GET') {
			// The vendor documents the GET form without the /api prefix.
			return { method: 'GET', path: `/v1/rest/${campaignId}/update-conversion-status`, qs: apiFields };
		}
		return { method: 'POST', path: `/api/v1/rest/${campaignId}/update-conversion-status`, body: apiFields };
	},
	output: (reply, _request, item) => statusUpdateOutput(reply, item),
};
