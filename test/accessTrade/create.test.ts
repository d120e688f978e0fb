import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { ResponderReply } from '../../sandbox/server';
import {
	keyWorkSettledEverywhere,
	MAY_HAVE_BEEN_CREATED_AT,
	processedData,
	runNode,
} from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const TOKEN = 'accesstrade-campaign-token-41c2';
const sandbox = useSandbox();

function runCreate(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	{
		continueOnFail = false,
		credentials = {} as IDataObject,
		timezone = undefined as string | undefined,
	} = {},
) {
	return runNode({
		type: 'accessTrade',
		parameters: { ...createParameters, ...parameters },
		input,
		credentials: { baseUrl: sandbox().accessTradeBaseUrl, accessToken: TOKEN, ...credentials },
		continueOnFail,
		timezone,
	});
}

/** A two-line order as a user fills the node in, lines as rows. */
const createParameters: INodeParameters = {
	resource: 'conversion',
	operation: 'create',
	campaignId: '1001',
	clickId: 'a1b2c3d4e5',
	orderId: 'WC-5123',
	parts: {
		part: [
			{
				id: '77',
				sku: 'AO-THUN-DO-M',
				name: 'Áo thun đỏ size M',
				quantity: 2,
				price: 180000,
				discount: 20000,
			},
			{
				sku: 'NON-LUOI-TRAI',
				name: 'Nón lưỡi trai',
				quantity: 1,
				price: 150000,
				categoryId: 'HATS',
				categoryName: 'Nón',
				url: 'https://shop.example.vn/non',
			},
		],
	},
	additionalFields: { actionTime: '2024-05-01T10:30:00+07:00' },
};

/** What that order becomes on the wire. */
const expectedBody = {
	click_id: 'a1b2c3d4e5',
	campaign_id: 1001,
	order_id: 'WC-5123',
	action_time: Date.parse('2024-05-01T03:30:00Z'),
	total_sale_amount: { amount: 490000, currency: 'VND' },
	total_discount: { amount: 20000, currency: 'VND' },
	conversion_parts: [
		{
			id: '77',
			sku: 'AO-THUN-DO-M',
			name: 'Áo thun đỏ size M',
			quantity: 2,
			price: 180000,
			discount: 20000,
			sale_amount: 340000,
			currency: 'VND',
		},
		{
			id: '2',
			sku: 'NON-LUOI-TRAI',
			name: 'Nón lưỡi trai',
			url: 'https://shop.example.vn/non',
			quantity: 1,
			price: 150000,
			discount: 0,
			sale_amount: 150000,
			currency: 'VND',
			category_id: 'HATS',
			category_name: 'Nón',
		},
	],
};

const createdConversion = {
	order_id: 'WC-5123',
	conversion_parts: [{ sku: 'AO-THUN-DO-M', status: 'pending' }],
	conversion_id: '65f0c0ffee0000000000abcd',
};
const createdReply = {
	status: 'success',
	message: 'Success',
	data: { conversion: createdConversion },
};

describe('AccessTrade conversion create', () => {
	test('sends exactly the documented request: path, headers, body', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));

		const { items, error } = await runCreate({}, [{}], {
			credentials: { userId: '4242', networkId: '1', userType: 'advertiser' },
		});

		expect(error).toBeUndefined();
		expect(sandbox().log).toHaveLength(1);
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/accesstrade/api/v1/create-conversion');
		expect(request.query).toEqual({});
		expect(request.headers['x-at-user-access-token']).toBe(TOKEN);
		expect(request.headers['x-at-user']).toBe('4242');
		expect(request.headers['x-network-id']).toBe('1');
		expect(request.headers['x-at-user-type']).toBe('advertiser');
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual(expectedBody);
		// The API's key order, as integrators send it.
		expect(Object.keys(request.body as IDataObject)).toEqual(Object.keys(expectedBody));
		expect(items).toEqual([{ json: createdConversion, pairedItem: { item: 0 } }]);
		expect(Object.keys(items[0].json)[0]).toBe('conversion_id');
	});

	test('the optional headers are left out when the credential leaves them empty', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));

		await runCreate({}, [{}], { credentials: { userId: '', networkId: '', userType: '' } });

		const [request] = sandbox().log;
		expect(request.headers['x-at-user-access-token']).toBe(TOKEN);
		expect(request.headers['x-at-user']).toBeUndefined();
		expect(request.headers['x-network-id']).toBeUndefined();
		expect(request.headers['x-at-user-type']).toBeUndefined();
	});

	test('parts from one JSON expression, with the API keys, give the same body as rows', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));
		const lines = [
			{
				id: 77,
				sku: 'AO-THUN-DO-M',
				name: 'Áo thun đỏ size M',
				quantity: 2,
				price: 180000,
				discount: 20000,
			},
			{
				sku: 'NON-LUOI-TRAI',
				name: 'Nón lưỡi trai',
				quantity: '1',
				price: '150000',
				category_id: 'HATS',
				category_name: 'Nón',
				url: 'https://shop.example.vn/non',
			},
		];

		const { error } = await runCreate({ partsInputMode: 'json', partsJson: '={{ $json.lines }}' }, [
			{ lines },
		]);

		expect(error).toBeUndefined();
		expect(sandbox().log[0].body).toEqual(expectedBody);
	});

	test('totals given in Additional Fields replace the computed ones; currency applies to every amount', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));

		await runCreate({
			parts: { part: [{ sku: 'A', name: 'A', quantity: 3, price: 19.99 }] },
			additionalFields: { currency: 'usd', totalDiscount: 5, actionTime: 1714534200000 },
		});

		expect(sandbox().log[0].body).toEqual({
			click_id: 'a1b2c3d4e5',
			campaign_id: 1001,
			order_id: 'WC-5123',
			action_time: 1714534200000,
			total_sale_amount: { amount: 59.97, currency: 'USD' },
			total_discount: { amount: 5, currency: 'USD' },
			conversion_parts: [
				{
					id: '1',
					sku: 'A',
					name: 'A',
					quantity: 3,
					price: 19.99,
					discount: 0,
					sale_amount: 59.97,
					currency: 'USD',
				},
			],
		});

		sandbox().log.length = 0;
		await runCreate({ additionalFields: { totalSaleAmount: 400000, actionTime: 1714534200000 } });
		expect((sandbox().log[0].body as IDataObject).total_sale_amount).toEqual({
			amount: 400000,
			currency: 'VND',
		});
		expect((sandbox().log[0].body as IDataObject).total_discount).toEqual({
			amount: 20000,
			currency: 'VND',
		});
	});

	test('action time defaults to the moment the item is sent, in epoch milliseconds', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));
		const before = Date.now();

		await runCreate({ additionalFields: {} });

		const actionTime = (sandbox().log[0].body as IDataObject).action_time as number;
		expect(actionTime).toBeGreaterThanOrEqual(before);
		expect(actionTime).toBeLessThanOrEqual(Date.now());
	});

	test('one output item per input, in order, each with its own conversion id on top', async () => {
		sandbox().respondWith((request) => {
			const orderId = (request.body as IDataObject).order_id as string;
			return {
				body: {
					status: 'success',
					data: { conversion: { order_id: orderId, conversion_id: `id-${orderId}` } },
				},
			};
		});

		const { items } = await runCreate({ orderId: '={{ $json.order }}' }, [
			{ order: 'A' },
			{ order: 'B' },
			{ order: 'C' },
		]);

		expect(items).toEqual([
			{ json: { conversion_id: 'id-A', order_id: 'A' }, pairedItem: { item: 0 } },
			{ json: { conversion_id: 'id-B', order_id: 'B' }, pairedItem: { item: 1 } },
			{ json: { conversion_id: 'id-C', order_id: 'C' }, pairedItem: { item: 2 } },
		]);
	});
});

describe('AccessTrade conversion create: Shop Order Key', () => {
	beforeEach(async () => {
		await keyWorkSettledEverywhere();
		processedData.clear();
	});

	test('a redelivered order creates no second conversion; another order still does', async () => {
		sandbox().respondWith((request) => {
			const orderId = (request.body as IDataObject).order_id as string;
			return {
				body: {
					status: 'success',
					data: { conversion: { conversion_id: `id-${orderId}`, order_id: orderId } },
				},
			};
		});
		const parameters = {
			orderId: '={{ $json.order }}',
			options: { orderKey: '={{ $json.order }}' },
		};

		const first = await runCreate(parameters, [{ order: '5123' }]);
		const again = await runCreate(parameters, [{ order: '5123' }, { order: '5124' }]);

		expect(first.items).toEqual([
			{ json: { conversion_id: 'id-5123', order_id: '5123' }, pairedItem: { item: 0 } },
		]);
		expect(again.error).toBeUndefined();
		expect(again.items).toEqual([
			{
				json: expect.objectContaining({ skipped: true, orderKey: '5123' }),
				pairedItem: { item: 0 },
			},
			{ json: { conversion_id: 'id-5124', order_id: '5124' }, pairedItem: { item: 1 } },
		]);
		expect(sandbox().log.map((request) => (request.body as IDataObject).order_id)).toEqual([
			'5123',
			'5124',
		]);
	}, 30_000);

	// Issue 23, E: each of these confirmed or freed the key on main 174305e.
	test.each<[string, ResponderReply]>([
		[
			'a success without the conversion',
			{ body: { status: 'success', data: { status: 'success', code: 0 } } },
		],
		['an empty reply', { body: {} }],
		['an envelope it does not know', { body: { result: 'ok', id: 'x' } }],
	])(
		'%s neither confirms nor frees the key: the item may have been created, the next run sends nothing',
		async (_case, reply) => {
			sandbox().respondWith(() => reply);
			const parameters = {
				orderId: '={{ $json.order }}',
				options: { orderKey: '={{ $json.order }}', timeout: 1_000 },
			};

			const first = await runCreate(parameters, [{ order: 'E-1' }]);
			const again = await runCreate(parameters, [{ order: 'E-1' }]);

			expect(first.error?.message).toMatch(
				new RegExp(
					`^AccessTrade (answered without the new record's conversion_id|returned .*\\(HTTP 200\\))${MAY_HAVE_BEEN_CREATED_AT('AccessTrade').replace(/[.()]/g, '\\$&')}$`,
				),
			);
			expect(again.error?.message).toMatch(/^Shop Order Key "E-1": .*The order may exist/);
			expect(sandbox().log).toHaveLength(1);
		},
		30_000,
	);
});

describe('AccessTrade conversion create: bad input sends nothing', () => {
	const row = { sku: 'A', name: 'A', quantity: 1, price: 1000 };
	test.each<[string, INodeParameters, string]>([
		['no click id', { clickId: '={{ $json.nothing }}' }, 'Click ID is required [item 0]'],
		['no order id', { orderId: '={{ "" }}' }, 'Order ID is required [item 0]'],
		[
			'campaign id with path characters',
			{ campaignId: '1001/x' },
			'Campaign ID must be a whole number of 1 or more, got "1001/x" [item 0]',
		],
		['no parts', { parts: {} }, 'Parts needs at least one product line [item 0]'],
		[
			'a part without a SKU',
			{ parts: { part: [{ ...row, sku: '' }] } },
			'Part 1 SKU is required [item 0]',
		],
		[
			'a part without a name',
			{ parts: { part: [row, { ...row, name: ' ' }] } },
			'Part 2 Name is required [item 0]',
		],
		[
			'a quantity of zero',
			{ parts: { part: [{ ...row, quantity: 0 }] } },
			'Part 1 Quantity must be a whole number from 1 to 1000000, got 0 [item 0]',
		],
		[
			'a negative price',
			{ parts: { part: [{ ...row, price: -5 }] } },
			'Part 1 Price must be a number of 0 or more, got -5 [item 0]',
		],
		[
			'a discount larger than the line',
			{ parts: { part: [{ ...row, quantity: 2, discount: 2500 }] } },
			'Part 1 Discount (2500) is more than price × quantity (2000) [item 0]',
		],
		[
			'JSON that is not a list',
			{ partsInputMode: 'json', partsJson: '{"sku":"A"}' },
			'Parts (JSON) must be a list of parts [item 0]',
		],
		[
			'JSON that does not parse',
			{ partsInputMode: 'json', partsJson: '[{sku:' },
			'Parts (JSON) is not valid JSON [item 0]',
		],
		[
			'a JSON part in another currency',
			{
				partsInputMode: 'json',
				partsJson: '[{"sku":"A","name":"A","quantity":1,"price":5,"currency":"USD"}]',
			},
			'Part 1 currency must be the conversion\'s currency VND, got "USD" [item 0]',
		],
		[
			'a currency that is not a code',
			{ additionalFields: { currency: 'đồng' } },
			'Currency must be a three-letter code such as VND, got "đồng" [item 0]',
		],
		[
			'an action time in seconds',
			{ additionalFields: { actionTime: 1714534200 } },
			'Action Time must be in milliseconds, got 1714534200, which looks like seconds: multiply it by 1000 [item 0]',
		],
		[
			'an action time that is no date',
			{ additionalFields: { actionTime: 'yesterday' } },
			'Action Time must be a date such as 2024-05-01T10:30:00+07:00 or epoch milliseconds, got "yesterday" [item 0]',
		],
	])('%s', async (_case, parameters, message) => {
		const { error } = await runCreate(parameters);

		expect(error?.message).toBe(message);
		expect(sandbox().log).toHaveLength(0);
	});

	test('one bad item stops the batch before any conversion is created', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));

		const { error } = await runCreate({ clickId: '={{ $json.click }}' }, [
			{ click: 'a' },
			{ click: 'b' },
			{ click: '' },
		]);

		expect(error?.message).toBe('Click ID is required [item 2]');
		expect(sandbox().log).toHaveLength(0);
	});
});

describe('AccessTrade conversion create: Action Time', () => {
	const actionTimeSent = async (actionTime: string, timezone?: string) => {
		sandbox().respondWith(() => ({ body: createdReply }));
		const { error } = await runCreate({ additionalFields: { actionTime } }, [{}], { timezone });
		expect(error).toBeUndefined();
		return new Date((sandbox().log[0].body as IDataObject).action_time as number).toISOString();
	};

	test.each([
		[
			'a time without an offset',
			'2024-05-01T10:30:00',
			'Asia/Ho_Chi_Minh',
			'2024-05-01T03:30:00.000Z',
		],
		[
			'a time without seconds, a space for the T',
			'2024-05-01 10:30',
			'Asia/Ho_Chi_Minh',
			'2024-05-01T03:30:00.000Z',
		],
		['a date alone (midnight)', '2024-05-01', 'Asia/Ho_Chi_Minh', '2024-04-30T17:00:00.000Z'],
		[
			'a summer time in New York',
			'2024-07-04T09:00:00',
			'America/New_York',
			'2024-07-04T13:00:00.000Z',
		],
		[
			'a winter time in New York',
			'2024-01-15T09:00:00',
			'America/New_York',
			'2024-01-15T14:00:00.000Z',
		],
		[
			'an offset, whatever the workflow zone',
			'2024-05-01T10:30:00+07:00',
			'America/New_York',
			'2024-05-01T03:30:00.000Z',
		],
		[
			'UTC with milliseconds',
			'2024-05-01T03:30:00.250Z',
			'Asia/Ho_Chi_Minh',
			'2024-05-01T03:30:00.250Z',
		],
		['epoch milliseconds as text', '1714534200000', 'Asia/Ho_Chi_Minh', '2024-05-01T03:30:00.000Z'],
	])(
		"%s is read in the workflow's time zone unless it says its own",
		async (_case, actionTime, timezone, sent) => {
			expect(await actionTimeSent(actionTime, timezone)).toBe(sent);
		},
	);

	test.each([
		['text that only contains a number', 'Order 12'],
		['a day/month date, January to JavaScript', '01/05/2024'],
		['a day that does not exist', '2024-02-30'],
		['an hour that does not exist', '2024-05-01T24:00'],
		['an offset that does not exist', '2024-05-01T10:30:00+07:60'],
		['an English date', 'May 1, 2024 10:30'],
	])(
		'%s is refused, naming the expected forms and the time zone, and nothing is sent',
		async (_case, actionTime) => {
			const { error } = await runCreate({ additionalFields: { actionTime } }, [{}], {
				timezone: 'Asia/Ho_Chi_Minh',
			});

			expect(error?.message).toBe(
				`Action Time must be a date such as 2024-05-01T10:30:00+07:00 or epoch milliseconds, got ${JSON.stringify(actionTime)} [item 0]`,
			);
			expect(error?.description).toBe(
				"Accepted: ISO 8601 (2024-05-01, 2024-05-01T10:30, 2024-05-01T10:30:00+07:00, 2024-05-01T03:30:00Z), where a time without an offset is read in the workflow's time zone (Asia/Ho_Chi_Minh); or epoch milliseconds such as 1714534200000.",
			);
			expect(sandbox().log).toHaveLength(0);
		},
	);
});

describe('AccessTrade conversion create: a discount of the whole line', () => {
	test.each([
		[1.15, 3, 3.45],
		[19.99, 3, 59.97],
		[0.1, 3, 0.3],
	])(
		'price %d × quantity %d with discount %d is accepted, sale amount 0',
		async (price, quantity, discount) => {
			sandbox().respondWith(() => ({ body: createdReply }));

			const { error } = await runCreate({
				parts: { part: [{ sku: 'A', name: 'A', quantity, price, discount }] },
			});

			expect(error).toBeUndefined();
			const [part] = (sandbox().log[0].body as { conversion_parts: IDataObject[] })
				.conversion_parts;
			expect(part).toMatchObject({ price, quantity, discount, sale_amount: 0 });
		},
	);

	test('a discount a cent over the line is still refused', async () => {
		const { error } = await runCreate({
			parts: { part: [{ sku: 'A', name: 'A', quantity: 3, price: 1.15, discount: 3.46 }] },
		});

		expect(error?.message).toBe(
			'Part 1 Discount (3.46) is more than price × quantity (3.45) [item 0]',
		);
		expect(sandbox().log).toHaveLength(0);
	});
});

const MAY_HAVE_BEEN_CREATED = MAY_HAVE_BEEN_CREATED_AT('AccessTrade');

describe('AccessTrade conversion create: failures', () => {
	test.each<[string, ResponderReply, string]>([
		[
			'an error envelope under HTTP 200',
			{ body: { status: 'error', message: 'click_id không hợp lệ' } },
			'click_id không hợp lệ',
		],
		[
			'an HTTP error',
			{
				status: 403,
				body: { status: 'error', message: 'Access token does not belong to campaign 7' },
			},
			'Access token does not belong to campaign 7',
		],
		[
			'"success" with data as an encrypted string',
			{ body: { status: 'success', data: 'eyJpdiI6IkxTc2NnS2...' } },
			// Issue 16: a 2xx that does not say what happened may have created the conversion.
			'AccessTrade answered "success" but its data is an encrypted or encoded string, not JSON, so the result cannot be read. It may have been created all the same, so it was not sent again: check AccessTrade before running this item again',
		],
		[
			'"success" without a conversion id',
			{ body: { status: 'success', data: { conversion: {} } } },
			'AccessTrade reported success but sent no conversion_id: an unexpected reply: {"status":"success","data":{"conversion":{}}}' +
				MAY_HAVE_BEEN_CREATED,
		],
	])('%s fails the item with a clear message', async (_case, reply, message) => {
		sandbox().respondWith(() => reply);

		const { error, items } = await runCreate({});

		expect(items).toEqual([]);
		expect(error?.message).toBe(message);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});

	test('never sent twice: a 503 or a dropped connection is not retried', async () => {
		sandbox().respondWith(() => ({
			status: 503,
			body: { status: 'error', message: 'Service Unavailable' },
		}));
		const unavailable = await runCreate({ options: { maxRetries: 3 } });
		// Issue 16: a 5xx may come from a proxy while AccessTrade went on: it may have been created.
		expect(unavailable.error?.message).toBe('Service Unavailable' + MAY_HAVE_BEEN_CREATED);
		expect(sandbox().log).toHaveLength(1);

		sandbox().log.length = 0;
		sandbox().respondWith(() => ({ body: createdReply }));
		sandbox().setFaults([
			{ vendor: 'accessTrade', fault: { kind: 'drop', when: 'after' }, first: 1 },
		]);
		const dropped = await runCreate({ options: { maxRetries: 3 } });
		expect(dropped.error?.message).toMatch(
			/may have been created all the same, so it was not sent again/,
		);
		expect(sandbox().log).toHaveLength(1);
	});

	test('Continue On Fail: one item per input, the failed one with the vendor message', async () => {
		sandbox().respondWith((request) =>
			(request.body as IDataObject).order_id === 'bad'
				? { body: { status: 'error', message: 'Duplicate order_id' } }
				: { body: createdReply },
		);

		const { items, error } = await runCreate(
			{ orderId: '={{ $json.order }}' },
			[{ order: 'ok' }, { order: 'bad' }, { order: '' }],
			{ continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: createdConversion, pairedItem: { item: 0 } },
			{ json: { error: 'Duplicate order_id' }, pairedItem: { item: 1 } },
			{ json: { error: 'Order ID is required [item 2]' }, pairedItem: { item: 2 } },
		]);
		expect(sandbox().log).toHaveLength(2);
	});

	test('a failed run lists the conversions it created with their ids (issue 16, defect 6)', async () => {
		sandbox().respondWith((request) =>
			(request.body as IDataObject).order_id === 'bad'
				? { body: { status: 'error', message: 'Duplicate order_id' } }
				: { body: createdReply },
		);

		const { error } = await runCreate(
			{ orderId: '={{ $json.order }}', options: { concurrency: 1 } },
			[{ order: 'ok' }, { order: 'bad' }],
		);

		expect(error?.message).toMatch(/^Duplicate order_id \(the run stopped: 1 item\(s\) done/);
		expect(error?.description).toContain(
			`Done at AccessTrade (1): item 0 (id ${createdConversion.conversion_id})`,
		);
	});
});
