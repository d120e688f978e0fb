import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../shared/runner';
import { readStatusUpdate, statusUpdateFields, statusUpdateOutput } from '../fields';

export const conversionPartUpdateStatusDescription: INodeProperties[] =
	statusUpdateFields('conversionPart');

export const updateConversionPartStatus: Operation = {
	idempotent: true,
	request(item) {
		const { campaignId, apiFields } = readStatusUpdate(item, { withProductSku: true });
		return { method: 'GET', path: `/api/v1/${campaignId}/update-conversion-part-status`, qs: apiFields };
	},
	output: (reply, _request, item) => statusUpdateOutput(reply, item),
};
