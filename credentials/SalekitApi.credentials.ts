import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { headerAuthentication } from '../nodes/shared/authentication';

// No credential test: Salekit publishes no read-only endpoint, and every documented request
// creates or changes an order, so no request can tell a good token from a bad one safely.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class SalekitApi implements ICredentialType {
	name = 'salekitApi';

	displayName = 'Salekit API';

	icon: Icon = {
		light: 'file:../nodes/Salekit/salekit.svg',
		dark: 'file:../nodes/Salekit/salekit.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-accesstrade-salekit#salekit-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"Your shop's API token, from the API settings of your Salekit shop admin. Sent as the Token header.",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://salekit.com/api/v1',
			description: 'Change only to point at a test server',
		},
	];

	authenticate = headerAuthentication('Token', 'token');
}
