import type { IDataObject } from 'n8n-workflow';

import type { ItemFields } from '../../shared/fields';
import { ID_LIMIT } from '../../shared/limits';
import { conversionOf } from '../vendor';
import { readCampaignId } from './fields';

const REASON_LIMIT = 1000;

const STATUS_VALUES = ['pre_approved', 'rejected'];

interface StatusUpdate {
	campaignId: number;
	/** The API's own parameter names, for the body or the query string. */
	apiFields: IDataObject;
}

export function readStatusUpdate(item: ItemFields, { withProductSku = false } = {}): StatusUpdate {
	const campaignId = readCampaignId(item);
	const status = item.param<string>('status');
	if (!STATUS_VALUES.includes(status)) {
		item.fail('Status', `must be one of ${STATUS_VALUES.join(', ')}, got ${JSON.stringify(status)}`);
	}
	const reason = item.param('reason', '');
	const apiFields: IDataObject = {
		conversion_id: item.identifier('Conversion ID', item.param('conversionId'), ID_LIMIT),
	};
	if (withProductSku) {
		apiFields.product_sku = item.identifier('Product SKU', item.param('productSku'), ID_LIMIT);
	}
	apiFields.status = status;
	if (!item.isBlank(reason)) apiFields.reason = item.text('Reason', reason, REASON_LIMIT);
	return { campaignId, apiFields };
}

/** By default the conversion itself; the option keeps AccessTrade's whole double envelope. */
export function statusUpdateOutput(reply: IDataObject, item: ItemFields): IDataObject {
	return item.param<boolean>('options.fullResponse', false) ? reply : (conversionOf(reply) as IDataObject);
}
