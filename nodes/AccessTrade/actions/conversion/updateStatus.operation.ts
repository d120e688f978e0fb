import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../../../shared/runner';
import {
	advertiserApiShown,
	advertiserStatusAndReason,
	campaignAndConversion,
	campaignStatusAndReason,
} from '../common.descriptions';
import {
	ADVERTISER_STATUSES,
	readStatusFields,
	readStatusUpdate,
	statusUpdateOutput,
} from '../statusUpdate';

export const description = updateDisplayOptions(
	{ show: { resource: ['conversion'], operation: ['updateStatus'] } },
	[
		// The advertiser endpoint names no campaign: the conversion ID alone identifies it.
		...campaignAndConversion.map((property) =>
			property.name === 'campaignId'
				? { ...property, displayOptions: { hide: advertiserApiShown } }
				: property,
		),
		...campaignStatusAndReason,
		...advertiserStatusAndReason,
	],
);

/** The credential fields ScaleF's advertiser endpoint identifies the caller by, sent as headers. */
const ADVERTISER_HEADERS = {
	userId:
		'User ID is empty: the advertiser status API needs it (sent as X-At-User). Set it in the credential, or ' +
		'use Options → Status API → Campaign',
	userType:
		"User Type is empty: the advertiser status API needs it (sent as X-At-User-Type; ScaleF's page says api). " +
		'Set it in the credential, or use Options → Status API → Campaign',
	networkId:
		"Network ID is empty: the advertiser status API needs it (sent as X-Network-Id; AccessTrade Vietnam's is " +
		'1). Set it in the credential, or use Options → Status API → Campaign',
};

export const operation: Operation = {
	idempotent: true,
	request(item) {
		if (item.param<string>('options.statusApi', 'campaign') === 'advertiser') {
			// ScaleF's "Update status conversion" page: no campaign in the path, the user headers
			// instead, and only a POST form.
			if (item.param<string>('options.requestMethod', 'POST') === 'GET') {
				item.fail(
					'Request Method',
					'GET is only documented for the campaign status API: use POST with Status API → Advertiser',
				);
			}
			const body = readStatusFields(item, { statuses: ADVERTISER_STATUSES, reasonRequired: true });
			return {
				method: 'POST',
				path: '/api/v1/update-conversion-status',
				body,
				requiredCredentials: ADVERTISER_HEADERS,
			};
		}
		const { campaignId, apiFields } = readStatusUpdate(item);
		if (item.param<string>('options.requestMethod', 'POST') === 'GET') {
			// The vendor documents the GET form without the /api prefix.
			return {
				method: 'GET',
				path: `/v1/rest/${campaignId}/update-conversion-status`,
				qs: apiFields,
			};
		}
		return {
			method: 'POST',
			path: `/api/v1/rest/${campaignId}/update-conversion-status`,
			body: apiFields,
		};
	},
	output: (reply, _request, item) => statusUpdateOutput(reply, item),
};
