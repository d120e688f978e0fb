import type { INodeProperties } from 'n8n-workflow';


/** The campaign a conversion belongs to; its token must belong to it too. */
export const campaignIdProperty: INodeProperties = {
	displayName: 'Campaign ID',
	name: 'campaignId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1001',
	description: 'Numeric ID of your AccessTrade campaign; the token must belong to it',
};

/** Which conversion: the first fields of every status update. */
export const campaignAndConversion: INodeProperties[] = [
	campaignIdProperty,
	{
		displayName: 'Conversion ID',
		name: 'conversionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '5f6082a96c906f054417fe11',
		description: "AccessTrade's ID of the conversion (the affiliate-referred order)",
	},
];

/** The new status: the last fields of every status update. */
export const statusAndReason: INodeProperties[] = [
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
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'Delivered on 2024-05-01',
		description: 'Why the status changes; shown to the affiliate',
	},
];

/** AccessTrade's own Options, after the keys its operations declare and before the shared run options. */
export const accessTradeOptions: INodeProperties[] = [
	{
		displayName: 'Output Full Response',
		name: 'fullResponse',
		type: 'boolean',
		default: false,
		description:
			"Whether to output AccessTrade's whole reply (with its envelopes) instead of just the conversion",
	},
	{
		displayName: 'Request Method',
		name: 'requestMethod',
		type: 'options',
		options: [
			{ name: 'POST', value: 'POST', description: 'JSON body (recommended)' },
			{ name: 'GET', value: 'GET', description: 'Query string, the documented GET form' },
		],
		default: 'POST',
		displayOptions: { show: { '/resource': ['conversion'], '/operation': ['updateStatus'] } },
	},
];
