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
	amountInput,
	textInput,
	wholeNumberInput,
} from '../fields';

const NOTE_LIMIT = 5000;

/** Required on create, optional under update's Update Fields. */
export const customerAndTotals: SalekitField[] = [
	salekitField('full_name', text(), textInput('Full Name', 'fullName', "Customer's name")),
	salekitField('phone', phone, textInput('Phone', 'phone', "Customer's phone number")),
	salekitField(
		'total_price',
		money,
		amountInput('Total Price', 'totalPrice', 'Goods total, before discount and fees'),
	),
	salekitField(
		'total_pay',
		money,
		amountInput('Total Pay', 'totalPay', 'Amount collected from the customer'),
	),
];

/**
 * Optional on create (Additional Fields) and on update (Update Fields), in the order Salekit
 * documents them (the body's key order); the editor lists them alphabetically.
 */
export const orderDetails: SalekitField[] = [
	salekitField('discount', money, amountInput('Discount', 'discount', 'Discount amount')),
	salekitField('revenue', money, amountInput('Revenue', 'revenue', 'Order revenue')),
	salekitField('ship_fee', money, amountInput('Ship Fee', 'shipFee', 'Shipping fee')),
	salekitField(
		'pay_fee',
		money,
		amountInput('Payment Fee', 'payFee', 'Fee charged by the payment provider for this order'),
	),
	salekitField('email', email, {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: "Customer's email",
	}),
	salekitField('ref', text(), textInput('Referrer', 'ref', 'Who referred the order (ref)')),
	salekitField(
		'ref_sub',
		text(),
		textInput(
			'Referrer Member Code',
			'refSub',
			'Code of the referring member, when the referrer is a network (ref_sub)',
		),
	),
	salekitField('province_id', id, wholeNumberInput('Province ID', 'provinceId', 'Province code')),
	salekitField('district_id', id, wholeNumberInput('District ID', 'districtId', 'District code')),
	salekitField('ward_id', id, wholeNumberInput('Ward ID', 'wardId', 'Ward code')),
	salekitField('address', text(), textInput('Address', 'address', 'Street address')),
	salekitField('store_id', id, wholeNumberInput('Store ID', 'storeId', 'Warehouse ID in Salekit')),
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
	salekitField(
		'pay_time',
		text(),
		textInput(
			'Payment Time',
			'payTime',
			'When the customer paid, e.g. 2024-05-01 10:30:00 (sent as given)',
		),
	),
	salekitField('commission', money, amountInput('Commission', 'commission', 'Commission amount')),
	salekitField('sale_id', id, wholeNumberInput('Sale ID', 'saleId', 'Salesperson ID in Salekit')),
	salekitField('note', text(NOTE_LIMIT), {
		displayName: 'Note',
		name: 'note',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Order note',
	}),
];
