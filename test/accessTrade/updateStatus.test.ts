import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { ResponderReply } from '../../sandbox/server';
import { runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import {
	VENDOR_EXAMPLE_CONVERSION as vendorConversion,
	VENDOR_EXAMPLE_REPLY as vendorReply,
} from '../helpers/vendorExamples';

const TOKEN = 'accesstrade-campaign-token-41c2';
const sandbox = useSandbox();

function runAccessTrade(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	continueOnFail = false,
) {
	return runNode({
		type: 'accessTrade',
		parameters,
		input,
		credentials: { baseUrl: sandbox().accessTradeBaseUrl, accessToken: TOKEN },
		continueOnFail,
	});
}

const conversionUpdate: INodeParameters = {
	resource: 'conversion',
	operation: 'updateStatus',
	campaignId: '1001',
	conversionId: '5f6082a96c906f054417fe11',
	status: 'pre_approved',
	reason: 'Khach hang khen ngoi',
};
const partUpdate: INodeParameters = {
	...conversionUpdate,
	resource: 'conversionPart',
	productSku: 'SKU001',
	status: 'rejected',
	reason: 'Trả hàng',
};

describe('AccessTrade endpoints', () => {
	test('conversion status: POST with a JSON body by default', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		const { items, error } = await runAccessTrade(conversionUpdate);

		expect(error).toBeUndefined();
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/accesstrade/api/v1/rest/1001/update-conversion-status');
		expect(request.query).toEqual({});
		expect(request.headers['x-at-user-access-token']).toBe(TOKEN);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual({
			conversion_id: '5f6082a96c906f054417fe11',
			status: 'pre_approved',
			reason: 'Khach hang khen ngoi',
		});
		expect(items).toEqual([{ json: vendorConversion, pairedItem: { item: 0 } }]);
	});

	test('conversion status: the documented GET form, path without /api', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		const { items } = await runAccessTrade({
			...conversionUpdate,
			options: { requestMethod: 'GET' },
		});

		const [request] = sandbox().log;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/accesstrade/v1/rest/1001/update-conversion-status');
		expect(request.query).toEqual({
			conversion_id: '5f6082a96c906f054417fe11',
			status: 'pre_approved',
			reason: 'Khach hang khen ngoi',
		});
		expect(request.headers['x-at-user-access-token']).toBe(TOKEN);
		expect(request.body).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([vendorConversion]);
	});

	test('conversion part status: GET with the SKU in the query', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		const { items } = await runAccessTrade(partUpdate);

		const [request] = sandbox().log;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/accesstrade/api/v1/1001/update-conversion-part-status');
		expect(request.query).toEqual({
			conversion_id: '5f6082a96c906f054417fe11',
			product_sku: 'SKU001',
			status: 'rejected',
			reason: 'Trả hàng',
		});
		expect(request.headers['x-at-user-access-token']).toBe(TOKEN);
		expect(items.map((item) => item.json)).toEqual([vendorConversion]);
	});

	test('ids and SKUs travel encoded in the query, never in the path', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		await runAccessTrade({
			...partUpdate,
			conversionId: '../../admin?x=1&status=approved',
			productSku: 'SKU #1/2 & more',
			reason: '',
		});

		const [request] = sandbox().log;
		expect(request.path).toBe('/accesstrade/api/v1/1001/update-conversion-part-status');
		expect(request.query).toEqual({
			conversion_id: '../../admin?x=1&status=approved',
			product_sku: 'SKU #1/2 & more',
			status: 'rejected',
		});
	});

	test('Output Full Response keeps both envelopes', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		const { items } = await runAccessTrade({
			...conversionUpdate,
			options: { fullResponse: true },
		});

		expect(items.map((item) => item.json)).toEqual([vendorReply]);
	});

	test('a field set by expression is read for each item, one set to a value is the same for all', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		const { items, error } = await runAccessTrade(
			{
				...conversionUpdate,
				campaignId: '={{ $json.campaign }}',
				status: '={{ $json.status }}',
				options: { concurrency: 1, fullResponse: '={{ $json.full }}' },
			},
			[
				{ campaign: 1001, status: 'pre_approved', full: true },
				{ campaign: 1002, status: 'rejected', full: false },
			],
		);

		expect(error).toBeUndefined();
		const sent = (status: string) => ({
			conversion_id: '5f6082a96c906f054417fe11',
			status,
			reason: 'Khach hang khen ngoi',
		});
		expect(sandbox().log.map((request) => [request.path, request.body])).toEqual([
			['/accesstrade/api/v1/rest/1001/update-conversion-status', sent('pre_approved')],
			['/accesstrade/api/v1/rest/1002/update-conversion-status', sent('rejected')],
		]);
		expect(items.map((item) => item.json)).toEqual([vendorReply, vendorConversion]);
	});
});

describe('AccessTrade failures', () => {
	test.each<[string, ResponderReply, string]>([
		[
			'HTTP error',
			{ status: 401, body: { status: 'error', message: 'Invalid access token' } },
			'Invalid access token',
		],
		[
			'outer status not success under HTTP 200',
			{ status: 200, body: { status: 'error', message: 'Invalid status: approved' } },
			'Invalid status: approved',
		],
		[
			'inner status not success under HTTP 200',
			{
				status: 200,
				body: {
					status: 'success',
					data: { status: 'error', data: null, message: 'Conversion not found', code: 404 },
				},
			},
			'Conversion not found',
		],
		[
			'inner code not 0',
			{
				status: 200,
				body: {
					status: 'success',
					data: { status: 'success', data: null, message: 'Conversion part not found', code: 1 },
				},
			},
			'Conversion part not found',
		],
		[
			'a reply that is not JSON',
			{ status: 200, body: 'OK' },
			'AccessTrade returned an unexpected reply: OK (HTTP 200)',
		],
	])('%s fails the item with the API’s message', async (_case, reply, message) => {
		sandbox().respondWith(() => reply);

		const { error, items } = await runAccessTrade(conversionUpdate);

		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(message);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});

	test.each<[string, INodeParameters, string]>([
		[
			'campaign id with path characters',
			{ ...conversionUpdate, campaignId: '1001/../../x' },
			'Campaign ID must be a whole number of 1 or more, got "1001/../../x" [item 0]',
		],
		[
			'campaign id zero',
			{ ...conversionUpdate, campaignId: '0' },
			'Campaign ID must be a whole number of 1 or more, got "0" [item 0]',
		],
		[
			'campaign id mapped to nothing',
			{ ...conversionUpdate, campaignId: '={{ $json.nothing }}' },
			'Campaign ID is required [item 0]',
		],
		[
			'conversion id mapped to nothing',
			{ ...conversionUpdate, conversionId: '={{ $json.nothing }}' },
			'Conversion ID is required [item 0]',
		],
		[
			'sku mapped to nothing',
			{ ...partUpdate, productSku: '={{ "" }}' },
			'Product SKU is required [item 0]',
		],
		[
			'status outside the two the API takes',
			{ ...conversionUpdate, status: '={{ "approved" }}' },
			'Status must be one of pre_approved, rejected, got "approved" [item 0]',
		],
		[
			'a reason of megabytes',
			{ ...conversionUpdate, reason: 'x'.repeat(2_000_000) },
			'Reason is too long: 2000000 characters, at most 1000 allowed [item 0]',
		],
	])('%s fails before anything is sent', async (_case, parameters, message) => {
		const { error } = await runAccessTrade(parameters);

		expect(error?.message).toBe(message);
		expect(sandbox().log).toHaveLength(0);
	});

	test('a bad item stops the run there: earlier updates went out, it and later ones did not', async () => {
		sandbox().respondWith(() => ({ body: vendorReply }));

		const { error, items } = await runAccessTrade(
			{ ...conversionUpdate, conversionId: '={{ $json.id }}', options: { concurrency: 1 } },
			[{ id: 'a' }, { id: 'b' }, { id: '' }, { id: 'd' }],
		);

		expect(error?.message).toBe('Conversion ID is required [item 2]');
		expect(items).toEqual([]);
		expect(sandbox().log.map((request) => (request.body as IDataObject).conversion_id)).toEqual([
			'a',
			'b',
		]);
	});

	test('Continue On Fail pairs every item, in input order', async () => {
		sandbox().respondWith((request) =>
			(request.body as IDataObject).conversion_id === 'unknown'
				? {
						body: {
							status: 'success',
							data: { status: 'error', data: null, message: 'Conversion not found', code: 404 },
						},
					}
				: { body: vendorReply },
		);

		const { items, error } = await runAccessTrade(
			{ ...conversionUpdate, conversionId: '={{ $json.id }}' },
			[{ id: 'a' }, { id: 'unknown' }, { id: '' }, { id: 'b' }],
			true,
		);

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: vendorConversion, pairedItem: { item: 0 } },
			{ json: { error: 'Conversion not found' }, pairedItem: { item: 1 } },
			{ json: { error: 'Conversion ID is required [item 2]' }, pairedItem: { item: 2 } },
			{ json: vendorConversion, pairedItem: { item: 3 } },
		]);
		expect(sandbox().log).toHaveLength(3);
	});

	test('a base URL that is not https is refused, except on this machine', async () => {
		const { error } = await runNode({
			type: 'accessTrade',
			parameters: conversionUpdate,
			input: [{}],
			credentials: { baseUrl: 'http://conversion-api.demo.scalef.com', accessToken: TOKEN },
		});

		expect(error?.message).toBe(
			"The AccessTrade credential's Base URL must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]), got http://conversion-api.demo.scalef.com",
		);
	});
});
