import type { INodeProperties } from 'n8n-workflow';

/** Required on create, optional under update's Update Fields. */
export const customerAndTotals: INodeProperties[] = [
	{
		displayName: 'Full Name',
		name: 'fullName',
		type: 'string',
		default: '',
		description: "Customer's name",
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		description: "Customer's phone number",
	},
	{
		displayName: 'Total Price',
		name: 'totalPrice',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Goods total, before discount and fees',
	},
	{
		displayName: 'Total Pay',
		name: 'totalPay',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Amount collected from the customer',
	},
];

/** Optional on create (Additional Fields) and on update (Update Fields). */
export const orderDetails: INodeProperties[] = [
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		description: 'Street address',
	},
	{
		displayName: 'Commission',
		name: 'commission',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Commission amount',
	},
	{
		displayName: 'Discount',
		name: 'discount',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Discount amount',
	},
	{
		displayName: 'District ID',
		name: 'districtId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'District code',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: "Customer's email",
	},
	{
		displayName: 'Note',
		name: 'note',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Order note',
	},
	{
		displayName: 'Payment Fee',
		name: 'payFee',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Payment fee',
	},
	{
		displayName: 'Payment Status',
		name: 'payStatus',
		type: 'options',
		options: [
			{ name: 'Unpaid (0)', value: 0 },
			{ name: 'Paid (1)', value: 1 },
		],
		default: 0,
		description: 'Whether the customer has paid',
	},
	{
		displayName: 'Payment Time',
		name: 'payTime',
		type: 'string',
		default: '',
		description: 'When the customer paid, e.g. 2024-05-01 10:30:00 (sent as given)',
	},
	{
		displayName: 'Payment Type',
		name: 'payType',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: "Payment type code, as set up in your Salekit shop (Salekit doesn't publish the values)",
	},
	{
		displayName: 'Province ID',
		name: 'provinceId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Province code',
	},
	{
		displayName: 'Referrer',
		name: 'ref',
		type: 'string',
		default: '',
		description: 'Who referred the order (ref)',
	},
	{
		displayName: 'Referrer Member Code',
		name: 'refSub',
		type: 'string',
		default: '',
		description: 'Code of the referring member, when the referrer is a network (ref_sub)',
	},
	{
		displayName: 'Revenue',
		name: 'revenue',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Order revenue',
	},
	{
		displayName: 'Sale ID',
		name: 'saleId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Salesperson ID in Salekit',
	},
	{
		displayName: 'Ship Fee',
		name: 'shipFee',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Shipping fee',
	},
	{
		displayName: 'Store ID',
		name: 'storeId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Warehouse ID in Salekit',
	},
	{
		displayName: 'Ward ID',
		name: 'wardId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Ward code',
	},
];

export const productRows: INodeProperties = {
	displayName: 'Products',
	name: 'products',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Product',
	default: {},
	options: [
		{
			displayName: 'Product',
			name: 'product',
			values: [
				{
					displayName: 'Product ID',
					name: 'productId',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 0 },
					default: 0,
					description: "The product's ID in Salekit. Leave at 0 and fill SKU when the ID is not known.",
				},
				{
					displayName: 'SKU',
					name: 'sku',
					type: 'string',
					default: '',
					description: "The product's SKU, used when no product ID is given",
				},
				{
					displayName: 'Quantity',
					name: 'quantity',
					type: 'number',
					typeOptions: { minValue: 1, numberPrecision: 0 },
					default: 1,
				},
			],
		},
	],
};

export const productsJson: INodeProperties = {
	displayName: 'Products (JSON)',
	name: 'productsJson',
	type: 'json',
	default: '[\n  {\n    "product_id": 1001,\n    "quantity": 1\n  }\n]',
	// No example expression here: n8n's scanner wants "JSON" capitalized in descriptions, and an
	// item's data is only reachable through the lower-case $json (the README shows the example).
	description:
		"A list of products, e.g. a shop trigger's line items mapped with an expression. Each entry takes product_id (or productId) or sku, and quantity; other keys are ignored.",
};

/** Collections list their fields alphabetically, as n8n shows them. */
export function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}
