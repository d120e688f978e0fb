import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { headerAuthentication, redirectRules, testRules } from '../nodes/shared/authentication';

export class SalekitApi implements ICredentialType {
	name = 'salekitApi';

	displayName = 'Salekit API';

	icon: Icon = {
		light: 'file:../nodes/Salekit/salekit.svg',
		dark: 'file:../nodes/Salekit/salekit.dark.svg',
	};

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-accesstrade-salekit#salekit-credential';

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

	authenticate = headerAuthentication({ vendorName: 'Salekit', header: 'Token', field: 'token' });

	// Salekit's WordPress plugin checks a shop token this way: it only reads, and it lives on the
	// site root (https://salekit.com/wordpress/verify), not under the API's /api/v1.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.split("/").slice(0, 3).join("/") }}',
			url: '/wordpress/verify',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: {},
			json: true,
		},
		rules: testRules(redirectRules('Salekit'), [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: true,
					message:
						'Salekit rejected this shop token. Copy it again from your shop admin (Settings > Connect, ' +
						'salekit.com/estore/setting?type=connect).',
				},
			},
		]),
	};
}
