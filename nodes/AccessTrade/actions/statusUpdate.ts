import type { IDataObject } from 'n8n-workflow';

import type { ItemFields } from '../../shared/fields';
import { ID_LIMIT } from '../../shared/limits';
import { conversionOf } from '../vendor';
import { readCampaignId } from './fields';

const REASON_LIMIT = 1000;

/** The campaign API's statuses. */
const CAMPAIGN_STATUSES = ['pre_approved', 'rejected'];
/** The advertiser API's statuses (ScaleF's "Update status conversion" page). */
export const ADVERTISER_STATUSES = ['pending', 'pre_approved', 'approved', 'rejected', 'hold'];

interface StatusUpdate {
	campaignId: number;
	/** The API's own parameter names, for the body or the query string. */
	apiFields: IDataObject;
}

interface StatusRules {
	statuses: string[];
	reasonRequired: boolean;
}

/** Conversion ID, (Product SKU,) Status and Reason under the API's names, checked. */
export function readStatusFields(
	item: ItemFields,
	{ statuses, reasonRequired }: StatusRules,
	{ withProductSku = false } = {},
): IDataObject {
	const status = item.param<string>('status');
	if (!statuses.includes(status)) {
		item.fail('Status', `must be one of ${statuses.join(', ')}, got ${JSON.stringify(status)}`);
	}
	const reason = item.param('reason', '');
	const apiFields: IDataObject = {
		conversion_id: item.identifier('Conversion ID', item.param('conversionId'), ID_LIMIT),
	};
	if (withProductSku) {
		apiFields.product_sku = item.identifier('Product SKU', item.param('productSku'), ID_LIMIT);
	}
	apiFields.status = status;
	if (reasonRequired && item.isBlank(reason))
		item.fail('Reason', 'is required by the advertiser status API');
	if (!item.isBlank(reason)) apiFields.reason = item.text('Reason', reason, REASON_LIMIT);
	return apiFields;
}

export function readStatusUpdate(item: ItemFields, { withProductSku = false } = {}): StatusUpdate {
	const campaignId = readCampaignId(item);
	const rules = { statuses: CAMPAIGN_STATUSES, reasonRequired: false };
	return { campaignId, apiFields: readStatusFields(item, rules, { withProductSku }) };
}

/** By default the conversion itself; the option keeps AccessTrade's whole double envelope. */
export function statusUpdateOutput(reply: IDataObject, item: ItemFields): IDataObject {
	return item.param<boolean>('options.fullResponse', false)
		? reply
		: (conversionOf(reply) as IDataObject);
}
