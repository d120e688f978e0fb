import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SANDBOX_TOKENS } from '../../sandbox/server';
import { runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { VENDOR_EXAMPLE_CONVERSION } from '../helpers/vendorExamples';

const TOKEN = SANDBOX_TOKENS.accessTrade;
const sandbox = useSandbox();

const userCredential = { userId: 'adv-7788', userType: 'api', networkId: '1' };

function runAdvertiserUpdate(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	credential: IDataObject = userCredential,
	continueOnFail = false,
) {
	return runNode({
		type: 'accessTrade',
		parameters: {
			resource: 'conversion',
			operation: 'updateStatus',
			conversionId: VENDOR_EXAMPLE_CONVERSION.conversion_id,
			status: 'approved',
			reason: 'Khach da nhan hang',
			...parameters,
			options: { statusApi: 'advertiser', ...(parameters.options as IDataObject | undefined) },
		},
		input,
		credentials: { baseUrl: sandbox().accessTradeBaseUrl, accessToken: TOKEN, ...credential },
		continueOnFail,
	});
}

describe('AccessTrade advertiser status API (Options → Status API → Advertiser)', () => {
	test("posts ScaleF's documented body to update-conversion-status with the user headers", async () => {
		const { items, error } = await runAdvertiserUpdate({});

		expect(error).toBeUndefined();
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/accesstrade/api/v1/update-conversion-status');
		expect(request.query).toEqual({});
		expect(request.headers).toMatchObject({
			'x-at-user-access-token': TOKEN,
			'x-at-user': 'adv-7788',
			'x-at-user-type': 'api',
			'x-network-id': '1',
			'content-type': 'application/json',
		});
		expect(request.body).toEqual({
			conversion_id: VENDOR_EXAMPLE_CONVERSION.conversion_id,
			status: 'approved',
			reason: 'Khach da nhan hang',
		});
		expect(items).toHaveLength(1);
		expect(items[0].json.conversion_id).toBe(VENDOR_EXAMPLE_CONVERSION.conversion_id);
		expect((items[0].json.conversion_parts as IDataObject[]).map((part) => part.status)).toEqual([
			'approved',
		]);
		expect(
			sandbox().conversion(VENDOR_EXAMPLE_CONVERSION.conversion_id)?.conversion_parts[0].status,
		).toBe('approved');
	});

	test.each(['pending', 'pre_approved', 'approved', 'rejected', 'hold'])(
		'sets %s',
		async (status) => {
			const { error } = await runAdvertiserUpdate({ status });

			expect(error).toBeUndefined();
			expect(
				sandbox().conversion(VENDOR_EXAMPLE_CONVERSION.conversion_id)?.conversion_parts[0].status,
			).toBe(status);
		},
	);

	test('needs no Campaign ID: the endpoint names none', async () => {
		const { error } = await runAdvertiserUpdate({ campaignId: '' });

		expect(error).toBeUndefined();
		expect(sandbox().log[0].path).toBe('/accesstrade/api/v1/update-conversion-status');
	});

	test.each([
		['userId', 'User ID is empty: the advertiser status API needs it (sent as X-At-User)'],
		['userType', 'User Type is empty: the advertiser status API needs it (sent as X-At-User-Type'],
		['networkId', 'Network ID is empty: the advertiser status API needs it (sent as X-Network-Id'],
	])('a credential without %s fails before sending', async (field, message) => {
		const { items, error } = await runAdvertiserUpdate({}, [{}], {
			...userCredential,
			[field]: '',
		});

		expect(items).toEqual([]);
		expect(error?.message).toContain(`The AccessTrade credential's ${message}`);
		expect(sandbox().log).toHaveLength(0);
	});

	test('with Continue On Fail, a credential without the user headers gives one error item per input, nothing sent', async () => {
		const { items, error } = await runAdvertiserUpdate({}, [{}, {}], { userId: 'adv-7788' }, true);

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: { error: expect.stringContaining("credential's User Type is empty") },
				pairedItem: { item: 0 },
			},
			{
				json: { error: expect.stringContaining("credential's User Type is empty") },
				pairedItem: { item: 1 },
			},
		]);
		expect(sandbox().log).toHaveLength(0);
	});

	test('the reason is required there, and a campaign-only request method is refused, both before sending', async () => {
		const noReason = await runAdvertiserUpdate({ reason: '={{ $json.reason }}' }, [{ reason: '' }]);
		const getForm = await runAdvertiserUpdate({ options: { requestMethod: 'GET' } });

		expect(noReason.error?.message).toBe(
			'Reason is required by the advertiser status API [item 0]',
		);
		expect(getForm.error?.message).toBe(
			'Request Method GET is only documented for the campaign status API: use POST with Status API → Advertiser [item 0]',
		);
		expect(sandbox().log).toHaveLength(0);
	});

	test("a status outside the advertiser API's five is refused before sending", async () => {
		const { error } = await runAdvertiserUpdate({ status: '={{ "paid" }}' });

		expect(error?.message).toBe(
			'Status must be one of pending, pre_approved, approved, rejected, hold, got "paid" [item 0]',
		);
		expect(sandbox().log).toHaveLength(0);
	});

	test("the vendor's error inside HTTP 200 becomes the item's error, with its own message", async () => {
		const { items, error } = await runAdvertiserUpdate(
			{ conversionId: '={{ $json.id }}' },
			[{ id: VENDOR_EXAMPLE_CONVERSION.conversion_id }, { id: '000000000000000000000000' }],
			userCredential,
			true,
		);

		expect(error).toBeUndefined();
		expect(sandbox().log.map((request) => request.status)).toEqual([200, 200]);
		expect(items[0].json.conversion_id).toBe(VENDOR_EXAMPLE_CONVERSION.conversion_id);
		expect(items[1]).toEqual({ json: { error: 'Conversion not found' }, pairedItem: { item: 1 } });
	});

	test('the campaign API stays the default: same path, statuses and optional reason as before', async () => {
		const { error } = await runNode({
			type: 'accessTrade',
			parameters: {
				resource: 'conversion',
				operation: 'updateStatus',
				campaignId: '1001',
				conversionId: VENDOR_EXAMPLE_CONVERSION.conversion_id,
				status: 'rejected',
			},
			input: [{}],
			credentials: { baseUrl: sandbox().accessTradeBaseUrl, accessToken: TOKEN },
		});

		expect(error).toBeUndefined();
		expect(sandbox().log[0].path).toBe('/accesstrade/api/v1/rest/1001/update-conversion-status');
		expect(sandbox().log[0].body).toEqual({
			conversion_id: VENDOR_EXAMPLE_CONVERSION.conversion_id,
			status: 'rejected',
		});
	});
});

describe('sandbox: the advertiser endpoint validates as the page documents', () => {
	const post = (headers: Record<string, string>, body: IDataObject) =>
		fetch(`${sandbox().accessTradeBaseUrl}/api/v1/update-conversion-status`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-at-user-access-token': TOKEN, ...headers },
			body: JSON.stringify(body),
		}).then(async (response) => ({
			status: response.status,
			body: (await response.json()) as IDataObject,
		}));
	const userHeaders = { 'x-at-user': 'adv-7788', 'x-at-user-type': 'api', 'x-network-id': '1' };
	const valid = {
		conversion_id: VENDOR_EXAMPLE_CONVERSION.conversion_id,
		status: 'hold',
		reason: 'Kiểm tra',
	};

	test('every user header is required', async () => {
		for (const header of Object.keys(userHeaders)) {
			const others = Object.fromEntries(
				Object.entries(userHeaders).filter(([name]) => name !== header),
			);
			expect(await post(others, valid)).toEqual({
				status: 401,
				body: { status: 'error', message: `Missing ${header} header` },
			});
		}
	});

	test('an unknown status and a missing reason are errors inside HTTP 200', async () => {
		expect(await post(userHeaders, { ...valid, status: 'paid' })).toEqual({
			status: 200,
			body: { status: 'error', message: 'Invalid status: paid' },
		});
		expect(await post(userHeaders, { ...valid, reason: '' })).toEqual({
			status: 200,
			body: { status: 'error', message: 'reason is required' },
		});
		expect((await post(userHeaders, valid)).body.status).toBe('success');
	});
});
