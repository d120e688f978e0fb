import type {
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { headerAuthentication, redirectRules, testRules } from '../nodes/shared/authentication';

/**
 * The Test's replies inside HTTP 200 that are not the expected "Conversion not found", each by
 * what marks it (n8n's body rules compare one value with a fixed one).
 */
const notConversionNotFound: IAuthenticateRuleResponseSuccessBody[] = [
	// No envelope at all: a web page or another API answers at this Base URL.
	{
		key: 'status',
		value: undefined,
		problem: 'did not answer like its conversion API: check the Base URL',
	},
	{
		key: 'status',
		value: 'error',
		problem:
			'refused the request (status "error" inside HTTP 200): check the Campaign ID and the token',
	},
	{
		key: 'data.code',
		value: 401,
		problem: 'rejected this token (code 401 inside HTTP 200): check the Campaign Access Token',
	},
	{
		key: 'data.code',
		value: 403,
		problem: 'refused this token (code 403 inside HTTP 200): check the token and the Campaign ID',
	},
	{
		key: 'data.status',
		value: undefined,
		problem: 'answered without the inner envelope the Test expects: check the Base URL',
	},
	// The probe's id belongs to no conversion: a success means the request reached something else.
	{
		key: 'data.status',
		value: 'success',
		problem:
			'answered the probe for a conversion that cannot exist with a success: check the Base URL',
	},
].map(({ key, value, problem }) => ({
	type: 'responseSuccessBody',
	properties: {
		key,
		value,
		message:
			`AccessTrade ${problem}. The Test counts only AccessTrade's "Conversion not found" for its probe as ` +
			`success (assumed: ScaleF documents no reply for an unknown conversion); run any AccessTrade operation ` +
			`with this credential to see AccessTrade's own message.`,
	},
}));

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
				"The campaign's API token from AccessTrade. One token belongs to one campaign. Sent as the " +
				'x-at-user-access-token header.',
		},
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			default: '',
			placeholder: '1001',
			description:
				'The campaign this token belongs to. Optional: only the Test button uses it, since AccessTrade checks a token ' +
				'only on a campaign path.',
		},
		// The three below are what integrators send to create-conversion, and what ScaleF's advertiser
		// status API requires; ScaleF does not publish their values, so they are left to the user and
		// sent only when set.
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description:
				'Your ScaleF/AccessTrade account ID, if AccessTrade gave you one. Sent as the X-At-User header when set; the ' +
				'advertiser status API requires it.',
		},
		{
			displayName: 'Network ID',
			name: 'networkId',
			type: 'string',
			default: '1',
			description:
				"The ScaleF network ID (AccessTrade Vietnam's is 1). Sent as the X-Network-Id header when set.",
		},
		{
			displayName: 'User Type',
			name: 'userType',
			type: 'string',
			default: '',
			placeholder: 'advertiser',
			description:
				"The account type AccessTrade told you to send (integrators send advertiser; ScaleF's own page says " +
				'api). Sent as the X-At-User-Type header when set; the advertiser status API requires it.',
		},
	];

	authenticate = headerAuthentication({
		vendorName: 'AccessTrade',
		header: 'x-at-user-access-token',
		field: 'accessToken',
		optionalHeaders: {
			'X-At-User': 'userId',
			'X-Network-Id': 'networkId',
			'X-At-User-Type': 'userType',
		},
	});

	/**
	 * AccessTrade has no endpoint that only reads. A status update for a conversion id no
	 * conversion can have (an all-zero ObjectId, dated 1970) changes nothing, yet the platform
	 * checks the token first: HTTP 401/403 means rejected. Only its "Conversion not found" (HTTP
	 * 200, outer status "success", inner status "error") means accepted; any other reply fails,
	 * with a fixed message: n8n's rules cannot quote the reply, an AccessTrade operation does.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: '=/api/v1/rest/{{ $credentials.campaignId }}/update-conversion-status',
			method: 'POST',
			body: {
				conversion_id: '000000000000000000000000',
				status: 'rejected',
				reason: 'n8n credential test',
			},
			json: true,
		},
		rules: testRules(
			redirectRules('AccessTrade'),
			[
				{
					type: 'responseCode',
					properties: {
						value: 401,
						message: 'AccessTrade rejected this token (HTTP 401): check the Campaign Access Token.',
					},
				},
				{
					type: 'responseCode',
					properties: {
						value: 403,
						message: 'AccessTrade refused this token (HTTP 403): check the Campaign Access Token.',
					},
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
			notConversionNotFound,
		),
	};
}
