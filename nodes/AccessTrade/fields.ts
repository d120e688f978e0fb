import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemFields } from '../shared/fields';
import { conversionOf } from './transport';

const ID_LIMIT = 100;
const REASON_LIMIT = 1000;

const STATUS_VALUES = ['pre_approved', 'rejected'];

/** The fields both status updates share, shown for the given resource. */
export function statusUpdateFields(resource: string): INodeProperties[] {
	const displayOptions = { show: { resource: [resource], operation: ['updateStatus'] } };
	return [
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '1001',
			description: 'Numeric ID of your AccessTrade campaign; the token must belong to it',
			displayOptions,
		},
		{
			displayName: 'Conversion ID',
			name: 'conversionId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '5f6082a96c906f054417fe11',
			description: "AccessTrade's ID of the conversion (the affiliate-referred order)",
			displayOptions,
		},
		...(resource === 'conversionPart'
			? [
					{
						displayName: 'Product SKU',
						name: 'productSku',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'SKU001',
						description: 'SKU of the product line (conversion part) to update',
						displayOptions,
					} satisfies INodeProperties,
				]
			: []),
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			required: true,
			options: [
				{
					name: 'Pre-Approved',
					value: 'pre_approved',
					description: 'The order was delivered: approve the commission ahead of monthly reconciliation',
				},
				{
					name: 'Rejected',
					value: 'rejected',
					description: 'The order was cancelled or returned: the affiliate earns no commission for it',
				},
			],
			default: 'pre_approved',
			displayOptions,
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			placeholder: 'Delivered on 2024-05-01',
			description: 'Why the status changes; shown to the affiliate',
			displayOptions,
		},
	];
}

interface StatusUpdate {
	campaignId: number;
	/** The API's own parameter names, for the body or the query string. */
	apiFields: IDataObject;
}

/** Campaign ID goes into the URL path, so nothing but a whole number may pass. */
export function readStatusUpdate(item: ItemFields, { withProductSku = false } = {}): StatusUpdate {
	const campaignId = item.param('campaignId');
	if (item.isBlank(campaignId)) item.fail('Campaign ID', 'is required');
	const status = item.param<string>('status');
	if (!STATUS_VALUES.includes(status)) {
		item.fail('Status', `must be one of ${STATUS_VALUES.join(', ')}, got ${JSON.stringify(status)}`);
	}
	const reason = item.param('reason', '');
	const apiFields: IDataObject = {
		conversion_id: item.requiredText('Conversion ID', item.param('conversionId'), ID_LIMIT),
	};
	if (withProductSku) {
		apiFields.product_sku = item.requiredText('Product SKU', item.param('productSku'), ID_LIMIT);
	}
	apiFields.status = status;
	if (!item.isBlank(reason)) apiFields.reason = item.text('Reason', reason, REASON_LIMIT);
	return { campaignId: item.wholeNumber('Campaign ID', campaignId, 1), apiFields };
}

/** By default the conversion itself; the option keeps AccessTrade's whole double envelope. */
export function statusUpdateOutput(reply: IDataObject, item: ItemFields): IDataObject {
	return item.param<boolean>('options.fullResponse', false) ? reply : (conversionOf(reply) as IDataObject);
}
