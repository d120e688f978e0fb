import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SANDBOX_TOKENS } from '../../sandbox/server';
import { MAY_HAVE_BEEN_CREATED_AT, runNode } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const TOKEN = SANDBOX_TOKENS.salekit;
const sandbox = useSandbox();

function runSalekit(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	continueOnFail = false,
) {
	return runNode({
		type: 'salekit',
		parameters: { operation: 'create', ...parameters },
		input,
		credentials: { token: TOKEN, baseUrl: sandbox().salekitBaseUrl },
		continueOnFail,
	});
}

const everyProductField: INodeParameters = {
	resource: 'product',
	name: 'Áo thun cotton',
	type: 0,
	additionalFields: {
		description: 'Áo thun trơn',
		content: '<p>Vải cotton 100%</p>',
		packageWidth: 20,
		packageLength: 30,
		packageHeight: 5,
		weight: 0.25,
		sku: 'AO-THUN-M',
		unitPrice: 250000,
		priceSale: 199000,
		unitName: 'Chiếc',
		categoryId: 12,
		trademark: 3,
		photos: ['https://photo.salekit.com/uploads/shop/8.jpg', 'http://shop.example/9.png'],
		slug: 'ao-thun-cotton',
		seoTitle: 'Áo thun cotton',
		seoKeyword: 'áo thun, cotton',
		seoDescription: 'Áo thun cotton thoáng mát',
	},
};

/** The same product as salekit.com/help/api-product names each field. */
const everyProductFieldBody = {
	name: 'Áo thun cotton',
	description: 'Áo thun trơn',
	content: '<p>Vải cotton 100%</p>',
	type: 0,
	package_width: 20,
	package_length: 30,
	package_height: 5,
	weight: 0.25,
	sku: 'AO-THUN-M',
	unit_price: 250000,
	price_sale: 199000,
	unit_name: 'Chiếc',
	category_id: 12,
	trademark: 3,
	photos: ['https://photo.salekit.com/uploads/shop/8.jpg', 'http://shop.example/9.png'],
	slug: 'ao-thun-cotton',
	seo_title: 'Áo thun cotton',
	seo_keyword: 'áo thun, cotton',
	seo_description: 'Áo thun cotton thoáng mát',
};

/** The body of salekit.com/help/api-combo's own curl example. */
const vendorComboExample = {
	name: 'Giảm giá Boxing day',
	website_id: 28186,
	description: 'Sản phẩm chỉ áp dụng trong ngày 24/12',
	price_sale: 89000,
	products: [{ product_id: 1907547, quantity: 5 }],
};

const vendorComboParameters: INodeParameters = {
	resource: 'combo',
	name: 'Giảm giá Boxing day',
	priceSale: 89000,
	products: { product: [{ productId: 1907547, quantity: 5 }] },
	additionalFields: { websiteId: 28186, description: 'Sản phẩm chỉ áp dụng trong ngày 24/12' },
};

describe('Salekit product create', () => {
	test('sends every field of the vendor page under its API name, and outputs what Salekit returns', async () => {
		const { items, error } = await runSalekit(everyProductField);

		expect(error).toBeUndefined();
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/salekit/api/v1/product/create');
		expect(request.headers.token).toBe(TOKEN);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual(everyProductFieldBody);
		expect(items).toEqual([
			{ json: { status: 200, msg: 'OK', error: false }, pairedItem: { item: 0 } },
		]);
		expect(sandbox().products()).toEqual([everyProductFieldBody]);
	});

	test('photos from an expression: a list, JSON text, or addresses separated by commas', async () => {
		const photos = (value: string | string[]) =>
			runSalekit(
				{
					resource: 'product',
					name: 'A',
					type: 1,
					additionalFields: { photos: '={{ $json.photos }}' },
				},
				[{ photos: value }],
			);

		await photos(['https://a.example/1.jpg']);
		await photos('["https://a.example/2.jpg"]');
		await photos('https://a.example/3.jpg, https://a.example/4.jpg');

		expect(sandbox().log.map((request) => (request.body as IDataObject).photos)).toEqual([
			['https://a.example/1.jpg'],
			['https://a.example/2.jpg'],
			['https://a.example/3.jpg', 'https://a.example/4.jpg'],
		]);
	});

	test.each([
		[{ name: '={{ "" }}', type: 0 }, 'Name is required [item 0]'],
		[{ name: 'A', type: '={{ 3 }}' }, 'Type must be a whole number from 0 to 2, got 3 [item 0]'],
		[
			{
				name: 'A',
				type: 0,
				additionalFields: { photos: ['https://a.example/1.jpg', 'ftp://a.example/2.jpg'] },
			},
			'Photos 2 must be a web address starting with http:// or https://, got "ftp://a.example/2.jpg" [item 0]',
		],
		[
			{ name: 'A', type: 0, additionalFields: { photos: ['photo.jpg'] } },
			'Photos 1 must be a web address starting with http:// or https://, got "photo.jpg" [item 0]',
		],
		[
			{ name: 'A', type: 0, additionalFields: { categoryId: '={{ "12a" }}' } },
			'Category ID must be a whole number of 1 or more, got "12a" [item 0]',
		],
	])('bad input is refused before sending: %j', async (parameters, message) => {
		const { error } = await runSalekit({ resource: 'product', ...parameters });

		expect(error?.message).toBe(message);
		expect(sandbox().log).toHaveLength(0);
	});

	test("Salekit's error inside HTTP 200 becomes the item's error, with its own message, token redacted", async () => {
		sandbox().respondWith(() => ({
			body: { error: true, msg: `Sản phẩm đã tồn tại (token ${TOKEN})` },
		}));

		const failed = await runSalekit({ resource: 'product', name: 'A', type: 0 });

		expect(failed.error?.message).toBe('Sản phẩm đã tồn tại (token [redacted])');
		expect(JSON.stringify(failed.run)).not.toContain(TOKEN);
	});

	test('one bad item stops the batch before anything is sent; Continue On Fail pairs every item', async () => {
		const parameters = { resource: 'product', name: '={{ $json.name }}', type: 0 };
		const input = [{ name: 'A' }, { name: '' }, { name: 'C' }];

		const stopped = await runSalekit(parameters, input);
		expect(stopped.error?.message).toBe('Name is required [item 1]');
		expect(sandbox().log).toHaveLength(0);

		const continued = await runSalekit(parameters, input, true);
		expect(continued.items).toEqual([
			{ json: { status: 200, msg: 'OK', error: false }, pairedItem: { item: 0 } },
			{ json: { error: 'Name is required [item 1]' }, pairedItem: { item: 1 } },
			{ json: { status: 200, msg: 'OK', error: false }, pairedItem: { item: 2 } },
		]);
		expect(
			sandbox()
				.products()
				.map((product) => product.name),
		).toEqual(['A', 'C']);
	});

	test('never sent again once it may have reached Salekit', async () => {
		sandbox().setFaults([{ vendor: 'salekit', fault: { kind: 'drop', when: 'after' }, first: 1 }]);

		const { error } = await runSalekit({
			resource: 'product',
			name: 'A',
			type: 0,
			options: { maxRetries: 5 },
		});

		expect(error?.message).toMatch(
			/dropped.*may have been created all the same, so it was not sent again/,
		);
		expect(sandbox().log).toHaveLength(1);
		expect(sandbox().products()).toHaveLength(1);
	});

	test('Shop Product Key: a second execution with the same key creates nothing', async () => {
		const parameters = {
			resource: 'product',
			name: 'A',
			type: 0,
			options: { productKey: '={{ $json.wooId }}' },
		};

		const first = await runSalekit(parameters, [{ wooId: 501 }]);
		const second = await runSalekit(parameters, [{ wooId: 501 }, { wooId: 502 }]);

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(second.items[0].json).toEqual({
			skipped: true,
			orderKey: '501',
			reason:
				'an earlier execution already created the product for this Shop Product Key, so it was not created again',
		});
		expect(second.items[1].json).toEqual({ status: 200, msg: 'OK', error: false });
		expect(sandbox().products()).toHaveLength(2);
	});

	// Issue 23, E: on main 174305e a `200 {}` confirmed the create and the next run was skipped.
	test('Shop Product Key: a reply without "error": false neither confirms nor frees the key', async () => {
		sandbox().respondWith(() => ({ body: {} }));
		const parameters = {
			resource: 'product',
			name: 'A',
			type: 0,
			options: { productKey: '={{ $json.wooId }}', timeout: 1_000 },
		};

		const first = await runSalekit(parameters, [{ wooId: 601 }]);
		const again = await runSalekit(parameters, [{ wooId: 601 }]);

		expect(first.error?.message).toBe(
			'Salekit answered without "error": false, the only sign its page gives of a created product' +
				MAY_HAVE_BEEN_CREATED_AT('Salekit'),
		);
		expect(again.error?.message).toMatch(/^Shop Product Key "601": .*The product may exist/);
		expect(sandbox().log).toHaveLength(1);
	}, 30_000);
});

describe('Salekit combo create', () => {
	test("sends the vendor page's example combo exactly, and outputs the new combo's id", async () => {
		const { items, error } = await runSalekit(vendorComboParameters);

		expect(error).toBeUndefined();
		const [request] = sandbox().log;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/salekit/api/v1/combo/create');
		expect(request.headers.token).toBe(TOKEN);
		expect(request.body).toEqual(vendorComboExample);
		expect(items).toEqual([
			{
				json: {
					error: false,
					msg: 'Thành công',
					data: { combo_id: 9101, token: expect.any(String) },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test("takes its products like an order's: rows or a JSON list, id or SKU", async () => {
		await runSalekit(
			{
				resource: 'combo',
				name: 'Bộ quà',
				priceSale: '={{ "150000" }}',
				productsInputMode: 'json',
				productsJson: '={{ $json.items }}',
			},
			[
				{
					items: [
						{ product_id: 88, quantity: 1 },
						{ sku: 'CAP-02', quantity: '2' },
					],
				},
			],
		);

		expect(sandbox().log[0].body).toEqual({
			name: 'Bộ quà',
			price_sale: 150000,
			products: [
				{ product_id: 88, quantity: 1 },
				{ sku: 'CAP-02', quantity: 2 },
			],
		});
	});

	test.each([
		[{ products: { product: [] } }, 'Products needs at least one product [item 0]'],
		[
			{ products: { product: [{ productId: 0, sku: '', quantity: 1 }] } },
			'Product 1 needs a product ID or a SKU [item 0]',
		],
		[
			{ priceSale: '={{ "89.000" }}' },
			'Sale Price must be written without thousands separators, e.g. 290000 (a dot only before decimals, as in 290.5), got "89.000" [item 0]',
		],
		[{ name: '={{ " " }}' }, 'Name is required [item 0]'],
	])('bad input is refused before sending: %j', async (change, message) => {
		const { error } = await runSalekit({ ...vendorComboParameters, ...change });

		expect(error?.message).toBe(message);
		expect(sandbox().log).toHaveLength(0);
	});

	test("Salekit's error inside HTTP 200 becomes the item's error; Continue On Fail pairs it", async () => {
		sandbox().respondWith((request) =>
			(request.body as IDataObject).name === 'Trùng'
				? { body: { error: true, msg: 'Combo đã tồn tại' } }
				: { body: { error: false, msg: 'Thành công', data: { combo_id: 1, token: 't' } } },
		);

		const { items } = await runSalekit(
			{ ...vendorComboParameters, name: '={{ $json.name }}' },
			[{ name: 'Mới' }, { name: 'Trùng' }],
			true,
		);

		expect(items).toEqual([
			{
				json: { error: false, msg: 'Thành công', data: { combo_id: 1, token: 't' } },
				pairedItem: { item: 0 },
			},
			{ json: { error: 'Combo đã tồn tại' }, pairedItem: { item: 1 } },
		]);
	});

	test('Shop Combo Key: a second execution with the same key creates nothing', async () => {
		const parameters = { ...vendorComboParameters, options: { comboKey: 'boxing-day' } };

		await runSalekit(parameters);
		const second = await runSalekit(parameters);

		expect(second.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
		expect(sandbox().combos()).toHaveLength(1);
	});
});

describe('Salekit combo create: Shop Combo Key', () => {
	// Issue 23, E: on main 174305e a reply without combo_id confirmed the create.
	test('a success without the combo_id neither confirms nor frees the key', async () => {
		sandbox().respondWith(() => ({ body: { error: false, msg: 'Thành công', data: {} } }));
		const parameters = {
			...vendorComboParameters,
			options: { comboKey: '={{ $json.bundle }}', timeout: 1_000 },
		};

		const first = await runSalekit(parameters, [{ bundle: 'K-1' }]);
		const again = await runSalekit(parameters, [{ bundle: 'K-1' }]);

		expect(first.error?.message).toBe(
			"Salekit answered without the new record's combo_id" + MAY_HAVE_BEEN_CREATED_AT('Salekit'),
		);
		expect(again.error?.message).toMatch(/^Shop Combo Key "K-1": .*The combo may exist/);
		expect(sandbox().log).toHaveLength(1);
	}, 30_000);
});

describe('sandbox: product and combo creates validate as the pages document', () => {
	const post = (path: string, body: IDataObject) =>
		fetch(`${sandbox().salekitBaseUrl}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', token: TOKEN },
			body: JSON.stringify(body),
		}).then(async (response) => ({
			status: response.status,
			body: (await response.json()) as IDataObject,
		}));

	test.each([
		['/product/create', { type: 0 }, 'Thiếu trường bắt buộc: name'],
		['/product/create', { name: 'A' }, 'Thiếu trường bắt buộc: type'],
		[
			'/product/create',
			{ name: 'A', type: 4 },
			'Trường type phải là 0 (sản phẩm), 1 (dịch vụ) hoặc 2 (khóa học)',
		],
		[
			'/product/create',
			{ name: 'A', type: 0, photos: ['photo.jpg'] },
			'Trường photos phải là mảng địa chỉ ảnh (http hoặc https)',
		],
		[
			'/combo/create',
			{ name: 'A', products: [{ sku: 'X', quantity: 1 }] },
			'Thiếu trường bắt buộc: price_sale',
		],
		['/combo/create', { name: 'A', price_sale: 1 }, 'Thiếu trường bắt buộc: products'],
		[
			'/combo/create',
			{ name: 'A', price_sale: 1, products: [{ quantity: 1 }] },
			'products[0] cần product_id hoặc sku',
		],
	])('%s %j: an error inside HTTP 200', async (path, body, msg) => {
		expect(await post(path, body)).toEqual({ status: 200, body: { error: true, msg } });
	});
});
