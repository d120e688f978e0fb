import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { headerAuthentication } from '../nodes/shared/authentication';

// No credential test: AccessTrade's advertiser API has only status-changing endpoints, and no
// request can tell a good token from a bad one without touching a conversion.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
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
		// The three below are what integrators send to create-conversion; ScaleF does not publish
		// their values, so they are left to the user and sent only when set.
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description: 'Your ScaleF/AccessTrade account ID, if AccessTrade gave you one. Sent as the X-At-User header when set.',
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
				'The account type AccessTrade told you to send (integrators send advertiser; ScaleF\'s own page says api). Sent as the X-At-User-Type header when set.',
		},
	];

	authenticate = headerAuthentication('x-at-user-access-token', 'accessToken', {
		'X-At-User': 'userId',
		'X-Network-Id': 'networkId',
		'X-At-User-Type': 'userType',
	});
}
