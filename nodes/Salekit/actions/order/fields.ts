import {
	code,
	email,
	id,
	money,
	oneOf,
	phone,
	salekitField,
	text,
	type SalekitField,
} from '../fields';

const NOTE_LIMIT = 5000;

/** Required on create, optional under update's Update Fields. */
export const customerAndTotals: SalekitField[] = [
	salekitField('full_name', text(), {
		displayName: 'Full Name',
		name: 'fullName',
		type: 'string',
		default: '',
		description: "Customer's name",
	}),
	salekitField('phone', phone, {
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		description: "Customer's phone number",
	}),
	salekitField('total_price', money, {
		displayName: 'Total Price',
		name: 'totalPrice',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Goods total, before discount and fees',
	}),
	salekitField('total_pay', money, {
		displayName: 'Total Pay',
		name: 'totalPay',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Amount collected from the customer',
	}),
];

/**
 * Optional on create (Additional Fields) and on update (Update Fields), in the order Salekit
 * documents them (the body's key order); the editor lists them alphabetically.
 */
export const orderDetails: SalekitField[] = [
	salekitField('discount', money, {
		displayName: 'Discount',
		name: 'discount',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Discount amount',
	}),
	salekitField('revenue', money, {
		displayName: 'Revenue',
		name: 'revenue',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Order revenue',
	}),
	salekitField('ship_fee', money, {
		displayName: 'Ship Fee',
		name: 'shipFee',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Shipping fee',
	}),
	salekitField('pay_fee', money, {
		displayName: 'Payment Fee',
		name: 'payFee',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Fee charged by the payment provider for this order',
	}),
	salekitField('email', email, {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: "Customer's email",
	}),
	salekitField('ref', text(), {
		displayName: 'Referrer',
		name: 'ref',
		type: 'string',
		default: '',
		description: 'Who referred the order (ref)',
	}),
	salekitField('ref_sub', text(), {
		displayName: 'Referrer Member Code',
		name: 'refSub',
		type: 'string',
		default: '',
		description: 'Code of the referring member, when the referrer is a network (ref_sub)',
	}),
	salekitField('province_id', id, {
		displayName: 'Province ID',
		name: 'provinceId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Province code',
	}),
	salekitField('district_id', id, {
		displayName: 'District ID',
		name: 'districtId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'District code',
	}),
	salekitField('ward_id', id, {
		displayName: 'Ward ID',
		name: 'wardId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Ward code',
	}),
	salekitField('address', text(), {
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		description: 'Street address',
	}),
	salekitField('store_id', id, {
		displayName: 'Store ID',
		name: 'storeId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Warehouse ID in Salekit',
	}),
	salekitField('pay_type', code, {
		displayName: 'Payment Type',
		name: 'payType',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description:
			"Payment type code, as set up in your Salekit shop (Salekit doesn't publish the values)",
	}),
	salekitField('pay_status', oneOf(0, 1), {
		displayName: 'Payment Status',
		name: 'payStatus',
		type: 'options',
		options: [
			{ name: 'Unpaid (0)', value: 0 },
			{ name: 'Paid (1)', value: 1 },
		],
		default: 0,
		description: 'Whether the customer has paid',
	}),
	salekitField('pay_time', text(), {
		displayName: 'Payment Time',
		name: 'payTime',
		type: 'string',
		default: '',
		description: 'When the customer paid, e.g. 2024-05-01 10:30:00 (sent as given)',
	}),
	salekitField('commission', money, {
		displayName: 'Commission',
		name: 'commission',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Commission amount',
	}),
	salekitField('sale_id', id, {
		displayName: 'Sale ID',
		name: 'saleId',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'Salesperson ID in Salekit',
	}),
	salekitField('note', text(NOTE_LIMIT), {
		displayName: 'Note',
		name: 'note',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Order note',
	}),
];
