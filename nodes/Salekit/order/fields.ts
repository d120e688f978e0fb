import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ItemFields } from '../../shared/fields';

type FieldKind = 'money' | 'id' | 'code' | 'text' | 'email' | 'choice';

/** One order field of Salekit's API: its parameter name, its API name, and how to check it. */
interface OrderField {
	name: string;
	apiName: string;
	displayName: string;
	kind: FieldKind;
	description: string;
	maxLength?: number;
	choices?: INodePropertyOptions[];
}

export const ORDER_STATUSES: INodePropertyOptions[] = [
	{ name: 'Pending (0)', value: 0, description: 'Waiting to be processed' },
	{ name: 'Processing (1)', value: 1, description: 'Being prepared' },
	{ name: 'Shipping (2)', value: 2, description: 'Handed to the carrier' },
	{ name: 'Completed (3)', value: 3, description: 'Delivered and done' },
	{ name: 'Cancelled (4)', value: 4 },
	{ name: 'Deleted (5)', value: 5 },
	{ name: 'Returned (6)', value: 6, description: 'Sent back by the customer' },
	{ name: 'Refunded (7)', value: 7 },
];

const PAY_STATUSES: INodePropertyOptions[] = [
	{ name: 'Unpaid (0)', value: 0 },
	{ name: 'Paid (1)', value: 1 },
];

const TEXT_LIMIT = 255;
const NOTE_LIMIT = 5000;

/** Required on create, optional on update. */
export const customerAndTotals: Record<'fullName' | 'phone' | 'totalPrice' | 'totalPay', OrderField> = {
	fullName: {
		name: 'fullName',
		apiName: 'full_name',
		displayName: 'Full Name',
		kind: 'text',
		description: "Customer's name",
	},
	phone: {
		name: 'phone',
		apiName: 'phone',
		displayName: 'Phone',
		kind: 'text',
		maxLength: 30,
		description: "Customer's phone number",
	},
	totalPrice: {
		name: 'totalPrice',
		apiName: 'total_price',
		displayName: 'Total Price',
		kind: 'money',
		description: 'Goods total, before discount and fees',
	},
	totalPay: {
		name: 'totalPay',
		apiName: 'total_pay',
		displayName: 'Total Pay',
		kind: 'money',
		description: 'Amount collected from the customer',
	},
};

/** Optional on create and update, in the order Salekit documents them. */
const sharedOptionalFields: OrderField[] = [
	{ name: 'discount', apiName: 'discount', displayName: 'Discount', kind: 'money', description: 'Discount amount' },
	{ name: 'revenue', apiName: 'revenue', displayName: 'Revenue', kind: 'money', description: 'Order revenue' },
	{ name: 'shipFee', apiName: 'ship_fee', displayName: 'Ship Fee', kind: 'money', description: 'Shipping fee' },
	{ name: 'payFee', apiName: 'pay_fee', displayName: 'Payment Fee', kind: 'money', description: 'Payment fee' },
	{ name: 'email', apiName: 'email', displayName: 'Email', kind: 'email', description: "Customer's email" },
	{ name: 'ref', apiName: 'ref', displayName: 'Referrer', kind: 'text', description: 'Who referred the order (ref)' },
	{
		name: 'refSub',
		apiName: 'ref_sub',
		displayName: 'Referrer Member Code',
		kind: 'text',
		description: 'Code of the referring member, when the referrer is a network (ref_sub)',
	},
	{ name: 'provinceId', apiName: 'province_id', displayName: 'Province ID', kind: 'id', description: 'Province code' },
	{ name: 'districtId', apiName: 'district_id', displayName: 'District ID', kind: 'id', description: 'District code' },
	{ name: 'wardId', apiName: 'ward_id', displayName: 'Ward ID', kind: 'id', description: 'Ward code' },
	{ name: 'address', apiName: 'address', displayName: 'Address', kind: 'text', description: 'Street address' },
	{ name: 'storeId', apiName: 'store_id', displayName: 'Store ID', kind: 'id', description: 'Warehouse ID in Salekit' },
	{
		name: 'payType',
		apiName: 'pay_type',
		displayName: 'Payment Type',
		kind: 'code',
		description: "Payment type code, as set up in your Salekit shop (Salekit doesn't publish the values)",
	},
	{
		name: 'payStatus',
		apiName: 'pay_status',
		displayName: 'Payment Status',
		kind: 'choice',
		choices: PAY_STATUSES,
		description: 'Whether the customer has paid',
	},
	{
		name: 'payTime',
		apiName: 'pay_time',
		displayName: 'Payment Time',
		kind: 'text',
		description: 'When the customer paid, e.g. 2024-05-01 10:30:00 (sent as given)',
	},
	{ name: 'commission', apiName: 'commission', displayName: 'Commission', kind: 'money', description: 'Commission amount' },
	{ name: 'saleId', apiName: 'sale_id', displayName: 'Sale ID', kind: 'id', description: 'Salesperson ID in Salekit' },
	{ name: 'note', apiName: 'note', displayName: 'Note', kind: 'text', maxLength: NOTE_LIMIT, description: 'Order note' },
];

/** Fields Salekit documents for create only (sub_status appears in its create example). */
const createOnlyFields: OrderField[] = [
	{ name: 'websiteId', apiName: 'website_id', displayName: 'Website ID', kind: 'text', description: 'Website the order came from' },
	{ name: 'src', apiName: 'src', displayName: 'Source', kind: 'text', description: 'Referral source (src), e.g. fchat' },
	{
		name: 'subStatus',
		apiName: 'sub_status',
		displayName: 'Sub Status',
		kind: 'code',
		description: "Salekit's sub-status code (values are not published)",
	},
];

export const createOptionalFields = [...createOnlyFields, ...sharedOptionalFields];
export const updatableFields = [...Object.values(customerAndTotals), ...sharedOptionalFields];

export function fieldProperty(field: OrderField): INodeProperties {
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		default: '',
		description: field.description,
	};
	switch (field.kind) {
		case 'money':
			return { ...property, type: 'number', typeOptions: { minValue: 0 }, default: 0 };
		case 'id':
		case 'code':
			return { ...property, type: 'number', typeOptions: { minValue: 0, numberPrecision: 0 }, default: 0 };
		case 'choice':
			return { ...property, type: 'options', options: field.choices, default: field.choices?.[0]?.value };
		case 'email':
			return { ...property, placeholder: 'name@email.com' };
		default:
			return field.maxLength && field.maxLength > TEXT_LIMIT
				? { ...property, typeOptions: { rows: 3 } }
				: property;
	}
}

/** The collection's options, alphabetical as n8n shows them. */
export function fieldProperties(fields: OrderField[]): INodeProperties[] {
	return fields.map(fieldProperty).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

function apiValue(item: ItemFields, field: OrderField, value: unknown): string | number {
	const label = field.displayName;
	switch (field.kind) {
		case 'money':
			return item.money(label, value);
		case 'id':
			return item.wholeNumber(label, value, 1);
		case 'code':
			return item.wholeNumber(label, value, 0);
		case 'choice': {
			const allowed = (field.choices ?? []).map((choice) => Number(choice.value));
			return item.wholeNumber(label, value, Math.min(...allowed), Math.max(...allowed));
		}
		case 'email':
			return item.email(label, value);
		default:
			return item.text(label, value, field.maxLength ?? TEXT_LIMIT);
	}
}

export function requiredApiValue(item: ItemFields, field: OrderField, value: unknown): string | number {
	if (item.isBlank(value)) item.fail(field.displayName, 'is required');
	return apiValue(item, field, value);
}

/** The API body for whichever of `fields` the user filled in (blank values are left out). */
export function optionalApiValues(item: ItemFields, fields: OrderField[], values: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const field of fields) {
		const value = values[field.name];
		if (!item.isBlank(value)) body[field.apiName] = apiValue(item, field, value);
	}
	return body;
}
