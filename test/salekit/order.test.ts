import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { MAY_HAVE_BEEN_CREATED_AT, runNode, smallestOrder } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const TOKEN = 'salekit-test-token-7f3a9c';
const sandbox = useSandbox();

function runSalekit(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	continueOnFail = false,
) {
	return runNode({
		type: 'salekit',
		parameters: { resource: 'order', ...parameters },
		input,
		credentials: { token: TOKEN, baseUrl: sandbox().salekitBaseUrl },
		continueOnFail,
	});
}

/** The body of the vendor's own curl example for order/create (seed 003). */
const vendorExampleBody = {
	full_name: 'Phạm Thuần Nhân',
	email: 'thuannhan@gmail.com',
	phone: '0988999885',
	address: '12 Cầu Giấy',
	total_price: 100000,
	discount: 20000,
	total_pay: 80000,
	ship_fee: 10000,
	pay_fee: 5000,
	ref: 'kaiba',
	src: 'fchat',
	province_id: 1,
	district_id: 5,
	ward_id: 160,
	pay_type: 3,
	status: 2,
	sub_status: 23,
	note: 'Đơn đang được giao đi',
	products: [{ product_id: 1912233, quantity: 2 }],
};

/** The same order as a user fills it in the node. */
const vendorExampleParameters: INodeParameters = {
	operation: 'create',
	fullName: 'Phạm Thuần Nhân',
	phone: '0988999885',
	totalPrice: 100000,
	totalPay: 80000,
	status: 2,
	products: { product: [{ productId: 1912233, quantity: 2 }] },
	additionalFields: {
		email: 'thuannhan@gmail.com',
		address: '12 Cầu Giấy',
		discount: 20000,
		shipFee: 10000,
		payFee: 5000,
		ref: 'kaiba',
		src: 'fchat',
		provinceId: 1,
		districtId: 5,
		wardId: 160,
		payType: 3,
		subStatus: 23,
		note: 'Đơn đang được giao đi',
	},
};

const minimalCreate: INodeParameters = { operation: 'create', ...smallestOrder };

const createdReply = { error: false, msg: 'Thành công', id: 235584, data: [{ id: 235584 }] };

describe('Salekit order create', () => {
	test('sends the vendor example order exactly as the vendor documents it', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));

		const { items, error } = await runSalekit(vendorExampleParameters);

		expect(error).toBeUndefined();
		expect(sandbox().log).toHaveLength(1);
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/salekit/api/v1/order/create');
		expect(request.query).toEqual({});
		expect(request.headers.token).toBe(TOKEN);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual(vendorExampleBody);
		expect(items).toEqual([{ json: { ...createdReply, id: 235584 }, pairedItem: { item: 0 } }]);
	});

	test('maps every optional field to its API name', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));

		await runSalekit({
			operation: 'create',
			fullName: 'Lê Văn A',
			phone: '0900000001',
			totalPrice: 500000,
			totalPay: 450000,
			status: 0,
			products: { product: [{ productId: 0, sku: 'AO-THUN-M', quantity: 3 }] },
			additionalFields: {
				websiteId: 'web-1',
				discount: 50000,
				revenue: 400000,
				shipFee: 30000,
				payFee: 0,
				email: 'a@example.vn',
				ref: 'accesstrade',
				refSub: 'pub-77',
				src: 'website',
				provinceId: 79,
				districtId: 760,
				wardId: 26734,
				address: '1 Lê Lợi',
				storeId: 2,
				payType: 1,
				payStatus: 1,
				payTime: '2024-05-01 10:30:00',
				commission: 25000,
				subStatus: 0,
				saleId: 12,
				note: 'Giao giờ hành chính',
			},
		});

		expect(sandbox().log[0].body).toEqual({
			full_name: 'Lê Văn A',
			phone: '0900000001',
			total_price: 500000,
			total_pay: 450000,
			status: 0,
			website_id: 'web-1',
			discount: 50000,
			revenue: 400000,
			ship_fee: 30000,
			pay_fee: 0,
			email: 'a@example.vn',
			ref: 'accesstrade',
			ref_sub: 'pub-77',
			src: 'website',
			province_id: 79,
			district_id: 760,
			ward_id: 26734,
			address: '1 Lê Lợi',
			store_id: 2,
			pay_type: 1,
			pay_status: 1,
			pay_time: '2024-05-01 10:30:00',
			commission: 25000,
			sub_status: 0,
			sale_id: 12,
			note: 'Giao giờ hành chính',
			products: [{ sku: 'AO-THUN-M', quantity: 3 }],
		});
	});

	test('takes a whole product list and text amounts from a shop trigger through expressions', async () => {
		sandbox().respondWith(() => ({ body: createdReply }));
		const wooOrder = {
			billing: { first_name: 'Trần Thị B', phone: '0911222333' },
			total: '290000.00',
			line_items: [
				{ product_id: 88, sku: 'BAG-01', quantity: 1, price: 190000, name: 'Túi' },
				{ sku: 'CAP-02', quantity: '2', name: 'Mũ' },
			],
		};

		const { error } = await runSalekit(
			{
				operation: 'create',
				fullName: '={{ $json.billing.first_name }}',
				phone: '={{ $json.billing.phone }}',
				totalPrice: '={{ $json.total }}',
				totalPay: '={{ $json.total }}',
				status: 0,
				productsInputMode: 'json',
				productsJson: '={{ $json.line_items }}',
			},
			[wooOrder],
		);

		expect(error).toBeUndefined();
		expect(sandbox().log[0].body).toEqual({
			full_name: 'Trần Thị B',
			phone: '0911222333',
			total_price: 290000,
			total_pay: 290000,
			status: 0,
			products: [
				{ product_id: 88, quantity: 1 },
				{ sku: 'CAP-02', quantity: 2 },
			],
		});
	});
});

describe('Salekit order update', () => {
	test('posts the changed fields to order/update with the order id in the query', async () => {
		sandbox().respondWith(() => ({ body: { status: 200, msg: 'OK', error: false } }));

		const { items, error } = await runSalekit({
			operation: 'update',
			orderId: '235584',
			updateFields: {
				fullName: 'Phạm Thuần Nhân 2',
				address: '12 Cầu Giấy 2',
				totalPay: 70000,
				payStatus: 1,
				products: { product: [{ productId: 1912233, quantity: 1 }] },
			},
		});

		expect(error).toBeUndefined();
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/salekit/api/v1/order/update');
		expect(request.query).toEqual({ id: '235584' });
		expect(request.headers.token).toBe(TOKEN);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual({
			full_name: 'Phạm Thuần Nhân 2',
			address: '12 Cầu Giấy 2',
			total_pay: 70000,
			pay_status: 1,
			products: [{ product_id: 1912233, quantity: 1 }],
		});
		expect(items).toEqual([
			{ json: { orderId: 235584, status: 200, msg: 'OK', error: false }, pairedItem: { item: 0 } },
		]);
	});
});

describe('Salekit input validation', () => {
	const validCreate = minimalCreate;
	const validUpdate: INodeParameters = {
		operation: 'update',
		orderId: '5',
		updateFields: { note: 'x' },
	};

	test.each<[string, INodeParameters, string]>([
		[
			'name mapped to nothing',
			{ ...validCreate, fullName: '={{ $json.missing }}' },
			'Full Name is required [item 0]',
		],
		['missing phone', { ...validCreate, phone: '  ' }, 'Phone is required [item 0]'],
		[
			'negative money',
			{ ...validCreate, totalPrice: -1 },
			'Total Price must be a number of 0 or more, got -1 [item 0]',
		],
		[
			'non-numeric money',
			{ ...validCreate, totalPay: 'abc' },
			'Total Pay must be a number of 0 or more, got "abc" [item 0]',
		],
		[
			'status out of range',
			{ ...validCreate, status: 9 },
			'Status must be a whole number from 0 to 7, got 9 [item 0]',
		],
		[
			'no products',
			{ ...validCreate, products: {} },
			'Products needs at least one product [item 0]',
		],
		[
			'product without id or sku',
			{ ...validCreate, products: { product: [{ productId: 0, sku: '', quantity: 1 }] } },
			'Product 1 needs a product ID or a SKU [item 0]',
		],
		[
			'fractional quantity',
			{ ...validCreate, products: { product: [{ productId: 4, quantity: 1.5 }] } },
			'Product 1 quantity must be a whole number from 1 to 1000000, got 1.5 [item 0]',
		],
		[
			'zero quantity',
			{ ...validCreate, products: { product: [{ sku: 'X', quantity: 0 }] } },
			'Product 1 quantity must be a whole number from 1 to 1000000, got 0 [item 0]',
		],
		[
			'bad email',
			{ ...validCreate, additionalFields: { email: 'not-an-email' } },
			'Email must be an email address, got "not-an-email" [item 0]',
		],
		[
			'product JSON that is not a list',
			{ ...validCreate, productsInputMode: 'json', productsJson: '{"sku": "A"}' },
			'Products (JSON) must be a list of products [item 0]',
		],
		[
			'too many products',
			{
				...validCreate,
				productsInputMode: 'json',
				productsJson: JSON.stringify(
					Array.from({ length: 10000 }, () => ({ sku: 'A', quantity: 1 })),
				),
			},
			'Products has 10000 entries, at most 500 are allowed [item 0]',
		],
		[
			'order id not a number',
			{ ...validUpdate, orderId: 'abc' },
			'Order ID must be a whole number of 1 or more, got "abc" [item 0]',
		],
		[
			'order id zero',
			{ ...validUpdate, orderId: '0' },
			'Order ID must be a whole number of 1 or more, got "0" [item 0]',
		],
		[
			'update with nothing to change',
			{ ...validUpdate, updateFields: {} },
			'Update Fields is empty: add at least one field to change [item 0]',
		],
	])('%s fails the item before anything is sent', async (_case, parameters, message) => {
		const { error, items } = await runSalekit(parameters);

		expect(error?.message).toBe(message);
		expect(items).toEqual([]);
		expect(sandbox().log).toHaveLength(0);
	});

	test('one bad item in a batch stops the batch before any request is sent', async () => {
		const { error } = await runSalekit({ ...validCreate, phone: '={{ $json.phone }}' }, [
			{ phone: '0901' },
			{ phone: '' },
			{ phone: '0903' },
		]);

		expect(error?.message).toBe('Phone is required [item 1]');
		expect(sandbox().log).toHaveLength(0);
	});
});

describe('Salekit failures', () => {
	const create = minimalCreate;

	test('error: true under HTTP 200 fails the item with Salekit’s own message', async () => {
		sandbox().respondWith(() => ({
			status: 200,
			body: { error: true, msg: 'Sản phẩm không tồn tại' },
		}));

		const { error, items } = await runSalekit(create);

		expect(items).toEqual([]);
		expect(error?.message).toBe('Sản phẩm không tồn tại');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.description).toContain('HTTP 200');
	});

	test('an HTTP error carries Salekit’s message and status code', async () => {
		sandbox().respondWith(() => ({
			status: 403,
			body: { error: true, msg: 'Token không hợp lệ' },
		}));

		const { error } = await runSalekit(create);

		expect(error?.message).toBe('Token không hợp lệ');
		expect(error?.httpCode).toBe('403');
	});

	test('a reply that is not JSON is reported, not passed on', async () => {
		sandbox().respondWith(() => ({ status: 502, body: '<html><body>Bad Gateway</body></html>' }));

		const { error } = await runSalekit({ ...create, options: { maxRetries: 0 } });

		// Issue 16: a 5xx may come from a proxy while Salekit went on: the order may exist.
		expect(error?.message).toBe(
			'Salekit returned an unexpected reply: <html><body>Bad Gateway</body></html> (HTTP 502)' +
				MAY_HAVE_BEEN_CREATED_AT('Salekit'),
		);
	});

	test('the token never appears in errors or output, even when Salekit echoes it', async () => {
		sandbox().respondWith(() => ({ body: { error: true, msg: `Token ${TOKEN} đã hết hạn` } }));

		const failed = await runSalekit(create);
		const continued = await runSalekit(create, [{}], true);

		expect(failed.error?.message).toBe('Token [redacted] đã hết hạn');
		expect(continued.items).toEqual([
			{ json: { error: 'Token [redacted] đã hết hạn' }, pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(failed.run)).not.toContain(TOKEN);
		expect(JSON.stringify(continued.run)).not.toContain(TOKEN);
	});

	test('Continue On Fail keeps one output item per input item, paired and in order', async () => {
		sandbox().respondWith((request) =>
			(request.body as IDataObject).full_name === 'Reject me'
				? { body: { error: true, msg: 'Số điện thoại không hợp lệ' } }
				: { body: { error: false, msg: 'Thành công', id: 7 } },
		);

		const { items, error } = await runSalekit(
			{ ...create, fullName: '={{ $json.name }}' },
			[{ name: 'First' }, { name: '' }, { name: 'Reject me' }, { name: 'Last' }],
			true,
		);

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: { id: 7, error: false, msg: 'Thành công' }, pairedItem: { item: 0 } },
			{ json: { error: 'Full Name is required [item 1]' }, pairedItem: { item: 1 } },
			{ json: { error: 'Số điện thoại không hợp lệ' }, pairedItem: { item: 2 } },
			{ json: { id: 7, error: false, msg: 'Thành công' }, pairedItem: { item: 3 } },
		]);
		expect(sandbox().log).toHaveLength(3);
	});

	test('a plain-http base URL outside this machine is refused before sending', async () => {
		const { error } = await runNode({
			type: 'salekit',
			parameters: { resource: 'order', ...create },
			input: [{}],
			credentials: { token: TOKEN, baseUrl: 'http://salekit.com/api/v1' },
		});

		expect(error?.message).toBe(
			"The Salekit credential's Base URL must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]), got http://salekit.com",
		);
		expect(sandbox().log).toHaveLength(0);
	});
});
