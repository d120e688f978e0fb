import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { headerAuthentication } from '../nodes/shared/authentication';

export class AccessTradeApi implements ICredentialType {
	name = 'accessTradeApi';

	displayName = 'AccessTrade API';

	icon: Icon = {
		light: 'file:../nodes/AccessTrade/accesstrade.svg',
		dark: 'file:../nodes/AccessTrade/accesstrade.dark.svg',
	};

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-accesstrade-salekit#accesstrade-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://conversion-api.demo.scalef.com',
			description:
				'The conversion API host AccessTrade gave you for your campaign (it is not published). Must use https.',
		},
		{
			displayName: 'Campaign Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The campaign's API token from AccessTrade. One token belongs to one campaign. Sent as the x-at-user-access-token header.",
		},
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			default: '',
			placeholder: '1001',
			description:
				'The campaign this token belongs to. Optional: only the Test button uses it, since AccessTrade checks a token only on a campaign path.',
		},
		// The three below are what integrators send to create-conversion, and what ScaleF's advertiser
		// status API requires; ScaleF does not publish their values, so they are left to the user and
		// sent only when set.
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description: 'Your ScaleF/AccessTrade account ID, if AccessTrade gave you one. Sent as the X-At-User header when set; the advertiser status API requires it.',
		},
		{
			displayName: 'Network ID',
			name: 'networkId',
			type: 'string',
			default: '1',
			description: "The ScaleF network ID (AccessTrade Vietnam's is 1). Sent as the X-Network-Id header when set.",
		},
		{
			displayName: 'User Type',
			name: 'userType',
			type: 'string',
			default: '',
			placeholder: 'advertiser',
			description:
				'The account type AccessTrade told you to send (integrators send advertiser; ScaleF\'s own page says api). Sent as the X-At-User-Type header when set; the advertiser status API requires it.',
		},
	];

	authenticate = headerAuthentication('x-at-user-access-token', 'accessToken', {
		'X-At-User': 'userId',
		'X-Network-Id': 'networkId',
		'X-At-User-Type': 'userType',
	});

	/**
	 * AccessTrade has no endpoint that only reads. A status update for a conversion id no
	 * conversion can have (an all-zero ObjectId, dated 1970) changes nothing, yet the platform
	 * checks the token first: HTTP 401/403 means rejected; any answer that gets past the token
	 * check (its "Conversion not found", HTTP 200) means accepted.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: '=/api/v1/rest/{{ $credentials.campaignId }}/update-conversion-status',
			method: 'POST',
			body: { conversion_id: '000000000000000000000000', status: 'rejected', reason: 'n8n credential test' },
			json: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'AccessTrade rejected this token (HTTP 401): check the Campaign Access Token.' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'AccessTrade refused this token (HTTP 403): check the Campaign Access Token.' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'AccessTrade answered 404: set Campaign ID to the campaign this token belongs to, and check the Base URL.',
				},
			},
		],
	};
}
