import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemFields } from '../../shared/fields';

/** More lines than any real order has; a bigger list is a mapping mistake, not an order. */
const MAX_PRODUCTS = 500;
const SKU_LIMIT = 100;

export const productRowsProperty: INodeProperties = {
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

export const productsJsonProperty: INodeProperties = {
	displayName: 'Products (JSON)',
	name: 'productsJson',
	type: 'json',
	default: '[\n  {\n    "product_id": 1001,\n    "quantity": 1\n  }\n]',
	description:
		'A list of products, e.g. mapped from a shop trigger: <code>{{ $json.line_items.map(l => ({ sku: l.sku, quantity: l.quantity })) }}</code>. Each entry takes product_id (or productId) or sku, and quantity; other keys are ignored.',
};

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

function listOf(item: ItemFields, label: string, value: unknown): ProductInput[] {
	let list = value;
	if (list === undefined || list === null) return [];
	if (typeof list === 'string') {
		if (list.trim() === '') return [];
		try {
			list = JSON.parse(list);
		} catch {
			item.fail(label, 'is not valid JSON');
		}
	}
	if (!Array.isArray(list)) item.fail(label, 'must be a list of products');
	return list as ProductInput[];
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
		: { sku: item.text(`${label} SKU`, product.sku, SKU_LIMIT) };
	if (item.isBlank(product.quantity)) item.fail(`${label} quantity`, 'is required');
	apiProduct.quantity = item.wholeNumber(`${label} quantity`, product.quantity, 1, 1_000_000);
	return apiProduct;
}

/**
 * The order's products from the rows and/or the JSON list, in Salekit's shape. Salekit takes
 * product_id when it is known and sku otherwise, so a row sends whichever it has (the ID first).
 */
export function readProducts(item: ItemFields, rows: unknown, json: unknown): IDataObject[] {
	const products = [...rowsOf(rows), ...listOf(item, productsJsonProperty.displayName, json)];
	if (products.length > MAX_PRODUCTS) {
		item.fail('Products', `has ${products.length} entries, at most ${MAX_PRODUCTS} are allowed`);
	}
	return products.map((product, position) => toApiProduct(item, product, position));
}
