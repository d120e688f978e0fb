import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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

const preApproved: INodePropertyOptions = {
	name: 'Pre-Approved',
	value: 'pre_approved',
	description: 'The order was delivered: approve the commission ahead of monthly reconciliation',
};
const rejected: INodePropertyOptions = {
	name: 'Rejected',
	value: 'rejected',
	description: 'The order was cancelled or returned: the affiliate earns no commission for it',
};

/** The statuses only the advertiser status API sets. */
const approved: INodePropertyOptions = {
	name: 'Approved',
	value: 'approved',
	description: 'Final approval: the commission is confirmed and will be paid to the affiliate',
};
const hold: INodePropertyOptions = {
	name: 'Hold',
	value: 'hold',
	description:
		'Set aside while you check the order: the commission is neither confirmed nor cancelled',
};
const pending: INodePropertyOptions = {
	name: 'Pending',
	value: 'pending',
	description: 'Back to waiting for review: the commission is recorded but not yet confirmed',
};

/** The new status: the last fields of every status update. */
export const statusAndReason: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		required: true,
		options: [preApproved, rejected],
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

/** Where Conversion → Update Status sends the change (Options → Status API). */
export const advertiserApiShown = { '/options.statusApi': ['advertiser'] };

/**
 * Status and Reason for the advertiser status API, which takes more statuses and requires a
 * reason. Same parameter names as the campaign API's: each pair shows only under its API.
 */
export const advertiserStatusAndReason: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		required: true,
		options: [approved, hold, pending, preApproved, rejected],
		default: 'pre_approved',
		displayOptions: { show: advertiserApiShown },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Delivered on 2024-05-01',
		description: 'Why the status changes; the advertiser status API requires it',
		displayOptions: { show: advertiserApiShown },
	},
];

/** The campaign API's Status and Reason, hidden when the advertiser API's pair shows. */
export const campaignStatusAndReason: INodeProperties[] = statusAndReason.map((property) => ({
	...property,
	displayOptions: { hide: advertiserApiShown },
}));

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
	{
		displayName: 'Status API',
		name: 'statusApi',
		type: 'options',
		options: [
			{
				name: 'Advertiser (User Headers)',
				value: 'advertiser',
				description:
					"ScaleF's advertiser endpoint, with the credential's User ID, User Type and Network ID: also sets pending, " +
					'approved and hold; a reason is required',
			},
			{
				name: 'Campaign',
				value: 'campaign',
				description: 'The campaign endpoint with the campaign token: pre-approve or reject',
			},
		],
		default: 'campaign',
		displayOptions: { show: { '/resource': ['conversion'], '/operation': ['updateStatus'] } },
	},
];
