import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { shopOrderKey } from '../../../shared/createKey';
import { createdId } from '../../../shared/outcome';
import type { Operation } from '../../../shared/runner';
import {
	additionalFieldsProperty,
	code,
	optionalApiValues,
	productListProperties,
	propertiesOf,
	readProductList,
	requiredApiValues,
	salekitField,
	text,
	type SalekitField,
	textInput,
	wholeNumberInput,
} from '../fields';
import { customerAndTotals, orderDetails } from './fields';

/** Fields Salekit documents for create only (sub_status appears in its create example). */
const createOnlyFields: SalekitField[] = [
	salekitField(
		'website_id',
		text(),
		textInput('Website ID', 'websiteId', 'Website the order came from'),
	),
	salekitField('src', text(), textInput('Source', 'src', 'Referral source (src), e.g. fchat')),
	salekitField(
		'sub_status',
		code,
		wholeNumberInput(
			'Sub Status',
			'subStatus',
			"Salekit's sub-status code (values are not published)",
		),
	),
];

const additionalFields = [...createOnlyFields, ...orderDetails];

const properties: INodeProperties[] = [
	...propertiesOf(customerAndTotals).map((property) => ({ ...property, required: true })),
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Pending (0)', value: 0, description: 'Waiting to be processed' },
			{ name: 'Processing (1)', value: 1, description: 'Being prepared' },
			{ name: 'Shipping (2)', value: 2, description: 'Handed to the carrier' },
			{ name: 'Completed (3)', value: 3, description: 'Delivered and done' },
			{ name: 'Cancelled (4)', value: 4 },
			{ name: 'Deleted (5)', value: 5 },
			{ name: 'Returned (6)', value: 6, description: 'Sent back by the customer' },
			{ name: 'Refunded (7)', value: 7 },
		],
		default: 0,
		required: true,
		description: "The order's processing status in Salekit",
	},
	...productListProperties,
	additionalFieldsProperty(additionalFields),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['create'] } },
	properties,
);

export const operation: Operation = {
	// Sending a create twice makes two orders: only retried when it never reached Salekit.
	idempotent: false,
	createKey: shopOrderKey,
	request(item) {
		const products = readProductList(item);

		const body: IDataObject = requiredApiValues(item, customerAndTotals);
		body.status = item.wholeNumber('Status', item.param('status'), 0, 7);
		Object.assign(
			body,
			optionalApiValues(item, additionalFields, item.param('additionalFields', {})),
		);
		body.products = products;
		return { method: 'POST', path: '/order/create', body };
	},
	output(reply) {
		return { id: createdId(reply, 'id', 'Salekit'), ...reply };
	},
};
