import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemFields } from '../../../shared/fields';
import { ID_LIMIT, MAX_LINE_QUANTITY, MAX_ORDER_LINES, TEXT_LIMIT } from '../../../shared/limits';
import { productsJson } from '../common.descriptions';

type Check = (item: ItemFields, label: string, value: unknown) => string | number;

const NOTE_LIMIT = 5000;

const text =
	(maxLength = TEXT_LIMIT): Check =>
	(item, label, value) =>
		item.text(label, value, maxLength);
const money: Check = (item, label, value) => item.money(label, value);
/** A Salekit record ID: 1 or more. */
const id: Check = (item, label, value) => item.wholeNumber(label, value, 1);
/** A numeric code whose values Salekit does not publish: 0 or more. */
const code: Check = (item, label, value) => item.wholeNumber(label, value, 0);

/**
 * Each order parameter's Salekit API name and check, in the order Salekit documents the fields
 * (the order of the keys in the request body).
 */
const ORDER_API_FIELDS: Record<string, { apiName: string; check: Check }> = {
	fullName: { apiName: 'full_name', check: text() },
	phone: { apiName: 'phone', check: (item, label, value) => item.phone(label, value) },
	totalPrice: { apiName: 'total_price', check: money },
	totalPay: { apiName: 'total_pay', check: money },
	websiteId: { apiName: 'website_id', check: text() },
	src: { apiName: 'src', check: text() },
	subStatus: { apiName: 'sub_status', check: code },
	discount: { apiName: 'discount', check: money },
	revenue: { apiName: 'revenue', check: money },
	shipFee: { apiName: 'ship_fee', check: money },
	payFee: { apiName: 'pay_fee', check: money },
	email: { apiName: 'email', check: (item, label, value) => item.email(label, value) },
	ref: { apiName: 'ref', check: text() },
	refSub: { apiName: 'ref_sub', check: text() },
	provinceId: { apiName: 'province_id', check: id },
	districtId: { apiName: 'district_id', check: id },
	wardId: { apiName: 'ward_id', check: id },
	address: { apiName: 'address', check: text() },
	storeId: { apiName: 'store_id', check: id },
	payType: { apiName: 'pay_type', check: code },
	payStatus: { apiName: 'pay_status', check: (item, label, value) => item.wholeNumber(label, value, 0, 1) },
	payTime: { apiName: 'pay_time', check: text() },
	commission: { apiName: 'commission', check: money },
	saleId: { apiName: 'sale_id', check: id },
	note: { apiName: 'note', check: text(NOTE_LIMIT) },
};

function apiValue(item: ItemFields, property: INodeProperties, value: unknown): string | number {
	return ORDER_API_FIELDS[property.name].check(item, property.displayName, value);
}

/** The API body for fields the user must fill in, checked in the given order. */
export function requiredApiValues(item: ItemFields, properties: INodeProperties[]): IDataObject {
	const body: IDataObject = {};
	for (const property of properties) {
		const value = item.param(property.name);
		if (item.isBlank(value)) item.fail(property.displayName, 'is required');
		body[ORDER_API_FIELDS[property.name].apiName] = apiValue(item, property, value);
	}
	return body;
}

/** The API body for whichever of a collection's fields the user filled in (blank ones are left out). */
export function optionalApiValues(item: ItemFields, properties: INodeProperties[], values: IDataObject): IDataObject {
	const shown = new Map(properties.map((property) => [property.name, property]));
	const body: IDataObject = {};
	for (const [name, field] of Object.entries(ORDER_API_FIELDS)) {
		const property = shown.get(name);
		const value = values[name];
		if (property && !item.isBlank(value)) body[field.apiName] = apiValue(item, property, value);
	}
	return body;
}

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
	apiProduct.quantity = item.wholeNumber(`${label} quantity`, product.quantity, 1, MAX_LINE_QUANTITY);
	return apiProduct;
}

/**
 * The order's products from the rows and/or the JSON list, in Salekit's shape. Salekit takes
 * product_id when it is known and sku otherwise, so a row sends whichever it has (the ID first).
 */
export function readProducts(item: ItemFields, rows: unknown, json: unknown): IDataObject[] {
	const products = [...rowsOf(rows), ...(item.jsonList(productsJson.displayName, json, 'products') as ProductInput[])];
	if (products.length > MAX_ORDER_LINES) {
		item.fail('Products', `has ${products.length} entries, at most ${MAX_ORDER_LINES} are allowed`);
	}
	return products.map((product, position) => toApiProduct(item, product, position));
}
