import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { shopOrderKey } from '../../../shared/createKey';
import { parseIsoDateTime } from '../../../shared/dateTime';
import type { ItemFields } from '../../../shared/fields';
import { ID_LIMIT, MAX_LINE_QUANTITY, MAX_ORDER_LINES, TEXT_LIMIT } from '../../../shared/limits';
import type { Operation } from '../../../shared/runner';
import { createdId } from '../../../shared/outcome';
import { createdConversionOf } from '../../vendor';
import { campaignIdProperty } from '../common.descriptions';
import { readCampaignId } from '../fields';

const URL_LIMIT = 2048;
/** Epoch milliseconds below this are 1973 or earlier: almost surely seconds by mistake. */
const EARLIEST_PLAUSIBLE_MS = 100_000_000_000;
const DEFAULT_CURRENCY = 'VND';

type PartFieldKind = 'text' | 'quantity' | 'money';

/**
 * One field of a conversion part: the row parameter, the API's key (also the key in Parts
 * (JSON)), and how it is checked. The only place the part mapping is written down.
 */
interface PartField {
	name: string;
	apiName: string;
	displayName: string;
	kind: PartFieldKind;
	required?: boolean;
	maxLength?: number;
	description: string;
}

const PART_FIELDS: readonly PartField[] = [
	{
		name: 'id',
		apiName: 'id',
		displayName: 'Line ID',
		kind: 'text',
		maxLength: ID_LIMIT,
		description: "The line's ID in your shop. Its position in the list (1, 2, …) when left empty.",
	},
	{
		name: 'sku',
		apiName: 'sku',
		displayName: 'SKU',
		kind: 'text',
		required: true,
		maxLength: ID_LIMIT,
		description: 'Product SKU; a later status change of this one line names it',
	},
	{
		name: 'name',
		apiName: 'name',
		displayName: 'Name',
		kind: 'text',
		required: true,
		description: 'Product name',
	},
	{
		name: 'quantity',
		apiName: 'quantity',
		displayName: 'Quantity',
		kind: 'quantity',
		required: true,
		description: 'Units bought',
	},
	{
		name: 'price',
		apiName: 'price',
		displayName: 'Price',
		kind: 'money',
		required: true,
		description: 'Unit price, before discount',
	},
	{
		name: 'discount',
		apiName: 'discount',
		displayName: 'Discount',
		kind: 'money',
		description: 'Discount on the whole line (not per unit)',
	},
	{
		name: 'categoryId',
		apiName: 'category_id',
		displayName: 'Category ID',
		kind: 'text',
		description: "Product category's ID",
	},
	{
		name: 'categoryName',
		apiName: 'category_name',
		displayName: 'Category Name',
		kind: 'text',
		description: 'Product category',
	},
	{
		name: 'url',
		apiName: 'url',
		displayName: 'Product URL',
		kind: 'text',
		maxLength: URL_LIMIT,
		description: "The product's page",
	},
];

function partRowProperty(field: PartField): INodeProperties {
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		default: '',
		description: field.description,
	};
	if (field.kind === 'quantity') {
		return {
			...property,
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
		};
	}
	if (field.kind === 'money')
		return { ...property, type: 'number', typeOptions: { minValue: 0 }, default: 0 };
	return property;
}

export const description = updateDisplayOptions(
	{ show: { resource: ['conversion'], operation: ['create'] } },
	[
		campaignIdProperty,
		{
			displayName: 'Click ID',
			name: 'clickId',
			type: 'string',
			required: true,
			default: '',
			// After n8n's WooCommerce Trigger the order is $json itself; behind a Webhook node it is $json.body.
			placeholder: "e.g. {{ $json.meta_data.find(meta => meta.key === '_at_click_id')?.value }}",
			description:
				'The click_id AccessTrade put on the landing URL, saved with the order (e.g. from the _click_id cookie). It ties ' +
				'the order to the affiliate.',
		},
		{
			displayName: 'Order ID',
			name: 'orderId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '5123',
			description: "Your shop's order ID; AccessTrade shows it beside the conversion",
		},
		{
			displayName: 'Parts Input',
			name: 'partsInputMode',
			type: 'options',
			options: [
				{ name: 'Using Fields Below', value: 'fields', description: 'One row per product line' },
				{
					name: 'Using JSON',
					value: 'json',
					description: 'A whole list at once, e.g. mapped from a shop trigger with an expression',
				},
			],
			default: 'fields',
		},
		{
			displayName: 'Parts',
			name: 'parts',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Part',
			default: {},
			description: 'The product lines of the order',
			options: [{ displayName: 'Part', name: 'part', values: PART_FIELDS.map(partRowProperty) }],
			displayOptions: { show: { partsInputMode: ['fields'] } },
		},
		{
			displayName: 'Parts (JSON)',
			name: 'partsJson',
			type: 'json',
			default: '[]',
			placeholder: '[{ "sku": "SKU001", "name": "Product 1", "quantity": 1, "price": 700000 }]',
			// No example expression here: the scanner wants "JSON", "ID" and "URL" capitalized in
			// descriptions, and an item's data is only reachable through $json (the README shows it).
			description:
				"A list of product lines, e.g. a shop order's line items mapped with an expression. Each takes the API's " +
				"snake_case keys: sku, name, quantity and price, optionally discount, category_name, and the keys for the line's " +
				"ID, the category's ID and the product page's URL (see the README).",
			displayOptions: { show: { partsInputMode: ['json'] } },
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Action Time',
					name: 'actionTime',
					type: 'dateTime',
					default: '',
					description:
						"When the order was placed: an ISO 8601 date (a time without an offset is in the workflow's time zone), or " +
						'epoch milliseconds. Now when not set.',
				},
				{
					displayName: 'Currency',
					name: 'currency',
					type: 'string',
					default: DEFAULT_CURRENCY,
					placeholder: DEFAULT_CURRENCY,
					description: 'Three-letter currency code of every amount',
				},
				{
					displayName: 'Total Discount',
					name: 'totalDiscount',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: "The order's discount; the sum of the parts' discounts when not set",
				},
				{
					displayName: 'Total Sale Amount',
					name: 'totalSaleAmount',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description:
						"The amount the commission is computed on; the sum of the parts' sale amounts (price × quantity − discount) " +
						'when not set',
				},
			],
		},
	],
);

/** Cents at most: price × quantity in floating point leaves crumbs (19.99 × 3). */
function roundMoney(amount: number): number {
	return Math.round(amount * 100) / 100;
}

function money(amount: number, currency: string): IDataObject {
	return { amount: roundMoney(amount), currency };
}

function readCurrency(item: ItemFields, value: unknown): string {
	if (item.isBlank(value)) return DEFAULT_CURRENCY;
	const currency = item.text('Currency', value, TEXT_LIMIT).toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency))
		item.fail('Currency', `must be a three-letter code such as VND, got ${JSON.stringify(value)}`);
	return currency;
}

/**
 * Epoch milliseconds, as the API takes them, from epoch milliseconds, an ISO 8601 text (a time
 * without an offset is the workflow's time zone's, as n8n's date picker means it) or a date
 * from an expression ($now, a Date).
 */
function readActionTime(item: ItemFields, value: unknown): number {
	if (item.isBlank(value)) return Date.now();
	let ms: number | undefined;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
		ms = item.wholeNumber('Action Time', value, 0);
		if (ms < EARLIEST_PLAUSIBLE_MS) {
			item.fail(
				'Action Time',
				`must be in milliseconds, got ${ms}, which looks like seconds: multiply it by 1000`,
			);
		}
		return ms;
	}
	if (value instanceof Date) ms = value.getTime();
	else if (typeof (value as { toMillis?: unknown })?.toMillis === 'function') {
		ms = (value as { toMillis: () => number }).toMillis();
	} else if (typeof value === 'string') ms = parseIsoDateTime(value, item.timeZone);
	if (ms === undefined || !Number.isFinite(ms)) {
		item.fail(
			'Action Time',
			`must be a date such as 2024-05-01T10:30:00+07:00 or epoch milliseconds, got ${JSON.stringify(value)}`,
			`Accepted: ISO 8601 (2024-05-01, 2024-05-01T10:30, 2024-05-01T10:30:00+07:00, 2024-05-01T03:30:00Z), where a time ` +
				`without an offset is read in the workflow's time zone (${item.timeZone}); or epoch milliseconds such as ` +
				`1714534200000.`,
		);
	}
	return ms;
}

function partsFromRows(value: unknown): IDataObject[] {
	const rows = (value as { part?: unknown } | undefined)?.part;
	return Array.isArray(rows) ? (rows as IDataObject[]) : [];
}

/** One part in the API's shape, from a row (parameter names) or a JSON entry (API keys). */
function toApiPart(
	item: ItemFields,
	input: IDataObject,
	position: number,
	keyOf: (field: PartField) => string,
	currency: string,
): IDataObject {
	const label = `Part ${position + 1}`;
	if (input === null || typeof input !== 'object' || Array.isArray(input))
		item.fail(label, 'must be an object');
	const values: Record<string, string | number> = {};
	for (const field of PART_FIELDS) {
		const value = input[keyOf(field)];
		const fieldLabel = `${label} ${field.displayName}`;
		if (item.isBlank(value)) {
			if (field.required) item.fail(fieldLabel, 'is required');
			continue;
		}
		if (field.kind === 'quantity')
			values[field.apiName] = item.wholeNumber(fieldLabel, value, 1, MAX_LINE_QUANTITY);
		else if (field.kind === 'money') values[field.apiName] = item.money(fieldLabel, value);
		else values[field.apiName] = item.text(fieldLabel, value, field.maxLength ?? TEXT_LIMIT);
	}
	const partCurrency = input.currency;
	if (!item.isBlank(partCurrency) && String(partCurrency).trim().toUpperCase() !== currency) {
		item.fail(
			`${label} currency`,
			`must be the conversion's currency ${currency}, got ${JSON.stringify(partCurrency)}`,
		);
	}
	const price = values.price as number;
	const quantity = values.quantity as number;
	const discount = (values.discount as number | undefined) ?? 0;
	// Compared in cents, as sale_amount is sent: 19.99 × 3 is 59.97 to the shop but a hair under it
	// in floating point, which refused a discount of exactly the whole line.
	if (roundMoney(discount) > roundMoney(price * quantity)) {
		item.fail(
			`${label} Discount`,
			`(${discount}) is more than price × quantity (${roundMoney(price * quantity)})`,
		);
	}
	// The API's key order, as integrators send it; optional text only when given.
	const part: IDataObject = {
		id: values.id ?? String(position + 1),
		sku: values.sku,
		name: values.name,
	};
	if (values.url !== undefined) part.url = values.url;
	Object.assign(part, {
		quantity,
		price,
		discount,
		sale_amount: roundMoney(price * quantity - discount),
		currency,
	});
	if (values.category_id !== undefined) part.category_id = values.category_id;
	if (values.category_name !== undefined) part.category_name = values.category_name;
	return part;
}

function readParts(item: ItemFields, currency: string): IDataObject[] {
	const fromJson = item.param<string>('partsInputMode', 'fields') === 'json';
	const inputs = fromJson
		? (item.jsonList('Parts (JSON)', item.param('partsJson', '[]'), 'parts') as IDataObject[])
		: partsFromRows(item.param('parts', {}));
	if (inputs.length === 0) item.fail('Parts', 'needs at least one product line');
	if (inputs.length > MAX_ORDER_LINES)
		item.fail('Parts', `has ${inputs.length} entries, at most ${MAX_ORDER_LINES} are allowed`);
	const keyOf = fromJson ? (field: PartField) => field.apiName : (field: PartField) => field.name;
	return inputs.map((input, position) => toApiPart(item, input, position, keyOf, currency));
}

function sum(parts: IDataObject[], key: string): number {
	return parts.reduce((total, part) => total + (part[key] as number), 0);
}

/** The create-conversion body: the one place its keys are written. */
function conversionCreateBody(item: ItemFields): IDataObject {
	const campaignId = readCampaignId(item);
	const clickId = item.identifier('Click ID', item.param('clickId'), TEXT_LIMIT);
	const orderId = item.identifier('Order ID', item.param('orderId'), ID_LIMIT);
	const additional = item.param<IDataObject>('additionalFields', {});
	const currency = readCurrency(item, additional.currency);
	const actionTime = readActionTime(item, additional.actionTime);
	const parts = readParts(item, currency);
	const totalSaleAmount = item.isBlank(additional.totalSaleAmount)
		? sum(parts, 'sale_amount')
		: item.money('Total Sale Amount', additional.totalSaleAmount);
	const totalDiscount = item.isBlank(additional.totalDiscount)
		? sum(parts, 'discount')
		: item.money('Total Discount', additional.totalDiscount);
	return {
		click_id: clickId,
		campaign_id: campaignId,
		order_id: orderId,
		action_time: actionTime,
		total_sale_amount: money(totalSaleAmount, currency),
		total_discount: money(totalDiscount, currency),
		conversion_parts: parts,
	};
}

export const operation: Operation = {
	// A second create makes a second conversion: only retried when it never reached AccessTrade.
	idempotent: false,
	// A redelivered order must not make a second conversion: the same key as Salekit's orders.
	createKey: shopOrderKey,
	request: (item) => ({
		method: 'POST',
		path: '/api/v1/create-conversion',
		body: conversionCreateBody(item),
	}),
	output(reply, _request, item) {
		const conversion = createdConversionOf(reply) as IDataObject;
		// Without the new conversion's id the reply does not say it was recorded.
		const conversionId = createdId(conversion, 'conversion_id', 'AccessTrade');
		if (item.param<boolean>('options.fullResponse', false)) return reply;
		return { conversion_id: conversionId, ...conversion };
	},
	// A failed run lists the conversions it created by their ids, with Full Response too.
	resultId: (output) => output.conversion_id ?? createdConversionOf(output).conversion_id,
};
