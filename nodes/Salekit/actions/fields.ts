import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemFields } from '../../shared/fields';
import { ID_LIMIT, MAX_LINE_QUANTITY, MAX_ORDER_LINES, TEXT_LIMIT } from '../../shared/limits';

/** Reads one value the user gave and returns it as the API takes it, or fails naming the field. */
export type Check = (item: ItemFields, label: string, value: unknown) => unknown;

/**
 * One Salekit API field: the editor's property, the API's name for it and its check. The only
 * place a field is written down: the node's properties and the request body both come from it.
 */
export interface SalekitField {
	property: INodeProperties;
	apiName: string;
	check: Check;
}

export function salekitField(
	apiName: string,
	check: Check,
	property: INodeProperties,
): SalekitField {
	return { property, apiName, check };
}

const URL_LIMIT = 2048;
/** More pictures than a product page shows; a bigger list is a mapping mistake. */
const MAX_PHOTOS = 50;

export const text =
	(maxLength = TEXT_LIMIT): Check =>
	(item, label, value) =>
		item.text(label, value, maxLength);
export const money: Check = (item, label, value) => item.money(label, value);
/** A Salekit record ID: 1 or more. */
export const id: Check = (item, label, value) => item.wholeNumber(label, value, 1);
/** A numeric code or size whose values Salekit does not publish: 0 or more. */
export const code: Check = (item, label, value) => item.wholeNumber(label, value, 0);
export const phone: Check = (item, label, value) => item.phone(label, value);
export const email: Check = (item, label, value) => item.email(label, value);
export const oneOf =
	(min: number, max: number): Check =>
	(item, label, value) =>
		item.wholeNumber(label, value, min, max);

function webAddress(item: ItemFields, label: string, value: unknown): string {
	const address = item.identifier(label, value, URL_LIMIT);
	let url: URL | undefined;
	try {
		url = new URL(address);
	} catch {
		url = undefined;
	}
	if (
		url === undefined ||
		(url.protocol !== 'http:' && url.protocol !== 'https:') ||
		url.hostname === ''
	) {
		item.fail(
			label,
			`must be a web address starting with http:// or https://, got ${JSON.stringify(address.slice(0, 40))}`,
		);
	}
	return address;
}

/** A list of picture addresses: a list, JSON text of one, or addresses separated by commas or lines. */
export const urlList: Check = (item, label, value) => {
	const list =
		typeof value === 'string' && !value.trim().startsWith('[')
			? value.split(/[\n,]/).filter((entry) => entry.trim() !== '')
			: item.jsonList(label, value, 'web addresses');
	if (list.length > MAX_PHOTOS)
		item.fail(label, `has ${list.length} entries, at most ${MAX_PHOTOS} are allowed`);
	return list.map((entry, position) => webAddress(item, `${label} ${position + 1}`, entry));
};

/** The editor's field for a line of text. */
export const textInput = (
	displayName: string,
	name: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
});

const numberInput =
	(typeOptions: INodeProperties['typeOptions']) =>
	(displayName: string, name: string, description: string): INodeProperties => ({
		displayName,
		name,
		type: 'number',
		typeOptions: { ...typeOptions },
		default: 0,
		description,
	});

/** The editor's field for an amount (money, weight): 0 or more. */
export const amountInput = numberInput({ minValue: 0 });

/** The editor's field for a whole number, 0 or more (an ID, a size). */
export const wholeNumberInput = numberInput({ minValue: 0, numberPrecision: 0 });

export function propertiesOf(fields: SalekitField[]): INodeProperties[] {
	return fields.map((field) => field.property);
}

/** The API body for fields the user must fill in, checked in the given order. */
export function requiredApiValues(item: ItemFields, fields: SalekitField[]): IDataObject {
	const body: IDataObject = {};
	for (const { property, apiName, check } of fields) {
		const value = item.param(property.name);
		if (item.isBlank(value)) item.fail(property.displayName, 'is required');
		body[apiName] = check(item, property.displayName, value) as IDataObject[string];
	}
	return body;
}

/**
 * The API body for whichever of a collection's fields the user filled in (blank ones are left
 * out), in the order of the table, which is the order Salekit documents them.
 */
export function optionalApiValues(
	item: ItemFields,
	fields: SalekitField[],
	values: IDataObject,
): IDataObject {
	const body: IDataObject = {};
	for (const { property, apiName, check } of fields) {
		const value = values[property.name];
		if (!item.isBlank(value))
			body[apiName] = check(item, property.displayName, value) as IDataObject[string];
	}
	return body;
}

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
					description:
						"The product's ID in Salekit. Leave at 0 and fill SKU when the ID is not known.",
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
	default: '[]',
	placeholder: '[{ "product_id": 1001, "quantity": 1 }]',
	// No example expression here: n8n's scanner wants "JSON" capitalized in descriptions, and an
	// item's data is only reachable through the lower-case $json (the README shows the example).
	description:
		"A list of products, e.g. a shop trigger's line items mapped with an expression. Each entry takes product_id (or " +
		'productId) or sku, and quantity; other keys are ignored.',
};

/** Products Input, Products and Products (JSON): an order's and a combo's product list. */
export const productListProperties: INodeProperties[] = [
	{
		displayName: 'Products Input',
		name: 'productsInputMode',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields', description: 'One row per product' },
			{
				name: 'Using JSON',
				value: 'json',
				description: 'A whole list at once, e.g. mapped from a shop trigger with an expression',
			},
		],
		default: 'fields',
	},
	{ ...productRows, displayOptions: { show: { productsInputMode: ['fields'] } } },
	{ ...productsJson, displayOptions: { show: { productsInputMode: ['json'] } } },
];

interface ProductInput {
	productId?: unknown;
	product_id?: unknown;
	sku?: unknown;
	quantity?: unknown;
}

function rowsOf(value: unknown): ProductInput[] {
	const rows = (value as { product?: unknown } | undefined)?.product;
	return Array.isArray(rows) ? (rows as ProductInput[]) : [];
}

function toApiProduct(item: ItemFields, product: ProductInput, position: number): IDataObject {
	const label = `Product ${position + 1}`;
	if (product === null || typeof product !== 'object') item.fail(label, 'must be an object');
	const productId = product.product_id ?? product.productId;
	const hasId = !item.isBlank(productId) && productId !== 0 && productId !== '0';
	const hasSku = !item.isBlank(product.sku);
	if (!hasId && !hasSku) item.fail(label, 'needs a product ID or a SKU');
	const apiProduct: IDataObject = hasId
		? { product_id: item.wholeNumber(`${label} ID`, productId, 1) }
		: { sku: item.identifier(`${label} SKU`, product.sku, ID_LIMIT) };
	if (item.isBlank(product.quantity)) item.fail(`${label} quantity`, 'is required');
	apiProduct.quantity = item.wholeNumber(
		`${label} quantity`,
		product.quantity,
		1,
		MAX_LINE_QUANTITY,
	);
	return apiProduct;
}

/**
 * The products from the rows and/or the JSON list, in Salekit's shape. Salekit takes product_id
 * when it is known and sku otherwise, so a row sends whichever it has (the ID first).
 */
export function readProducts(item: ItemFields, rows: unknown, json: unknown): IDataObject[] {
	const products = [
		...rowsOf(rows),
		...(item.jsonList(productsJson.displayName, json, 'products') as ProductInput[]),
	];
	if (products.length > MAX_ORDER_LINES) {
		item.fail('Products', `has ${products.length} entries, at most ${MAX_ORDER_LINES} are allowed`);
	}
	return products.map((product, position) => toApiProduct(item, product, position));
}

/** The product list of Products Input's chosen mode; at least one product. */
export function readProductList(item: ItemFields): IDataObject[] {
	const fromJson = item.param<string>('productsInputMode', 'fields') === 'json';
	const products = fromJson
		? readProducts(item, undefined, item.param('productsJson', '[]'))
		: readProducts(item, item.param('products', {}), undefined);
	if (products.length === 0) item.fail('Products', 'needs at least one product');
	return products;
}

/** Collections list their fields alphabetically, as n8n shows them. */
export function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

/** A create's Additional Fields collection: the table's fields, alphabetically. */
export function additionalFieldsProperty(fields: SalekitField[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: propertiesOf(fields).sort(byDisplayName),
	};
}
