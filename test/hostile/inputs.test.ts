import type { INodeParameters } from 'n8n-workflow';

import {
	conversionUpdate,
	json,
	runAccessTrade,
	runSalekit,
	salekitOrder,
	useHostileServer,
} from './servers';

const vendor = useHostileServer();
beforeEach(() =>
	vendor.handle((_request, res) => json(res, 200, { error: false, msg: 'OK', id: 1 })),
);

const salekitUpdate = (orderId: string): INodeParameters => ({
	resource: 'order',
	operation: 'update',
	orderId,
	updateFields: { note: 'x' },
});

const partUpdate = (fields: INodeParameters): INodeParameters => ({
	...conversionUpdate(fields),
	resource: 'conversionPart',
	productSku: 'SKU001',
	...fields,
});

const jsonProducts = (products: unknown): INodeParameters => ({
	...salekitOrder,
	productsInputMode: 'json',
	productsJson: JSON.stringify(products),
});

/** Bad input: the error names field and item, and nothing reaches the vendor. */
describe('hostile input is refused before anything is sent', () => {
	test.each<[string, 'salekit' | 'accessTrade', INodeParameters, string]>([
		[
			'hex order id',
			'salekit',
			salekitUpdate('0x10'),
			'Order ID must be a whole number of 1 or more, got "0x10" [item 0]',
		],
		[
			'exponent order id',
			'salekit',
			salekitUpdate('1e3'),
			'Order ID must be a whole number of 1 or more, got "1e3" [item 0]',
		],
		[
			'order id with a sign',
			'salekit',
			salekitUpdate('+16'),
			'Order ID must be a whole number of 1 or more, got "+16" [item 0]',
		],
		[
			'binary campaign id',
			'accessTrade',
			conversionUpdate({ campaignId: '0b11' }),
			'Campaign ID must be a whole number of 1 or more, got "0b11" [item 0]',
		],
		[
			'decimal campaign id',
			'accessTrade',
			conversionUpdate({ campaignId: '12.0' }),
			'Campaign ID must be a whole number of 1 or more, got "12.0" [item 0]',
		],
		[
			'hex quantity in the products list',
			'salekit',
			jsonProducts([{ product_id: 5, quantity: '0x10' }]),
			'Product 1 quantity must be a whole number from 1 to 1000000, got "0x10" [item 0]',
		],
		[
			'Vietnamese thousands in money',
			'salekit',
			{ ...salekitOrder, totalPrice: '290.000' },
			'Total Price must be written without thousands separators, e.g. 290000 (a dot only before decimals, as in 290.5), got "290.000" [item 0]',
		],
		[
			'English thousands in money',
			'salekit',
			{ ...salekitOrder, totalPay: '1,000' },
			'Total Pay must be written without thousands separators, e.g. 290000 (a dot only before decimals, as in 290.5), got "1,000" [item 0]',
		],
		[
			'exponent in money',
			'salekit',
			{ ...salekitOrder, totalPrice: '1e3' },
			'Total Price must be a number of 0 or more, got "1e3" [item 0]',
		],
		[
			'hex money',
			'salekit',
			{ ...salekitOrder, totalPrice: '0x10' },
			'Total Price must be a number of 0 or more, got "0x10" [item 0]',
		],
		[
			'money past any order',
			'salekit',
			{ ...salekitOrder, totalPrice: 1e300 },
			'Total Price must be at most 1000000000000, got 1e+300 [item 0]',
		],
		[
			'NaN money shown as given',
			'salekit',
			{ ...salekitOrder, totalPay: '={{ 0 / 0 }}' },
			'Total Pay must be a number of 0 or more, got NaN [item 0]',
		],
		[
			'Infinity money shown as given',
			'salekit',
			{ ...salekitOrder, totalPay: '={{ 1 / 0 }}' },
			'Total Pay must be at most 1000000000000, got Infinity [item 0]',
		],
		[
			'newline in a conversion id',
			'accessTrade',
			conversionUpdate({ conversionId: '={{ "c1\\nX-Injected: 1" }}' }),
			'Conversion ID must not contain control characters (line break, tab, NUL…), found U+000A at position 3 [item 0]',
		],
		[
			'NUL in a conversion id',
			'accessTrade',
			conversionUpdate({ conversionId: '={{ "c1\\u0000" + "2" }}' }),
			'Conversion ID must not contain control characters (line break, tab, NUL…), found U+0000 at position 3 [item 0]',
		],
		[
			'tab in a product SKU',
			'accessTrade',
			partUpdate({ productSku: '={{ "SKU\\t001" }}' }),
			'Product SKU must not contain control characters (line break, tab, NUL…), found U+0009 at position 4 [item 0]',
		],
		[
			'NUL in a Salekit SKU',
			'salekit',
			jsonProducts([{ sku: 'SKU\u00001', quantity: 1 }]),
			'Product 1 SKU must not contain control characters (line break, tab, NUL…), found U+0000 at position 4 [item 0]',
		],
		[
			'letters in a phone',
			'salekit',
			{ ...salekitOrder, phone: '0900 CALL ME' },
			'Phone must be a phone number (digits, spaces and + ( ) - . only), got "0900 CALL ME" [item 0]',
		],
		[
			'line break in a phone',
			'salekit',
			{ ...salekitOrder, phone: '={{ "0900\\n000" }}' },
			'Phone must not contain control characters (line break, tab, NUL…), found U+000A at position 5 [item 0]',
		],
		[
			'double dot in an email domain',
			'salekit',
			{ ...salekitOrder, additionalFields: { email: 'a@b..c' } },
			'Email must be an email address, got "a@b..c" [item 0]',
		],
		[
			'the untouched Products JSON field',
			'salekit',
			// No productsJson: the field left at its default.
			{ ...salekitOrder, products: {}, productsInputMode: 'json' },
			'Products needs at least one product [item 0]',
		],
	])('%s', async (_case, node, parameters, message) => {
		const run =
			node === 'salekit'
				? await runSalekit(vendor, { parameters })
				: await runAccessTrade(vendor, { parameters });

		expect(run.error?.message).toBe(message);
		expect(run.items).toEqual([]);
		expect(vendor.received).toEqual([]);
	});
});

describe('a create whose reply has no id', () => {
	test('fails the item and says the order may exist, instead of outputting id: undefined', async () => {
		vendor.handle((_request, res) => json(res, 200, { error: false, msg: 'Thành công' }));

		const run = await runSalekit(vendor, { continueOnFail: true });

		expect(run.items).toEqual([
			{
				json: {
					error:
						"Salekit answered without the new record's id. It may have been created all the same, so it was not sent again: check Salekit before running this item again",
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(vendor.received).toHaveLength(1);
	});
});
