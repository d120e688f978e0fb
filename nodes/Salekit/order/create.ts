import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../shared/runner';
import {
	createOptionalFields,
	customerAndTotals,
	fieldProperties,
	fieldProperty,
	optionalApiValues,
	ORDER_STATUSES,
	requiredApiValue,
} from './fields';
import { productRowsProperty, productsJsonProperty, readProducts } from './products';

const showOnlyForOrderCreate = { resource: ['order'], operation: ['create'] };
const required = { required: true, displayOptions: { show: showOnlyForOrderCreate } };

export const orderCreateDescription: INodeProperties[] = [
	{ ...fieldProperty(customerAndTotals.fullName), ...required },
	{ ...fieldProperty(customerAndTotals.phone), ...required },
	{ ...fieldProperty(customerAndTotals.totalPrice), ...required },
	{ ...fieldProperty(customerAndTotals.totalPay), ...required },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: ORDER_STATUSES,
		default: 0,
		...required,
		description: "The order's processing status in Salekit",
	},
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
		displayOptions: { show: showOnlyForOrderCreate },
	},
	{
		...productRowsProperty,
		displayOptions: { show: { ...showOnlyForOrderCreate, productsInputMode: ['fields'] } },
	},
	{
		...productsJsonProperty,
		displayOptions: { show: { ...showOnlyForOrderCreate, productsInputMode: ['json'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showOnlyForOrderCreate },
		options: fieldProperties(createOptionalFields),
	},
];

export const createOrder: Operation = {
	// Sending a create twice makes two orders: only retried when it never reached Salekit.
	idempotent: false,
	orderKey: true,
	request(item) {
		const fromJson = item.param<string>('productsInputMode', 'fields') === 'json';
		const products = fromJson
			? readProducts(item, undefined, item.param('productsJson', '[]'))
			: readProducts(item, item.param('products', {}), undefined);
		if (products.length === 0) item.fail('Products', 'needs at least one product');

		const body: IDataObject = {};
		for (const field of Object.values(customerAndTotals)) {
			body[field.apiName] = requiredApiValue(item, field, item.param(field.name));
		}
		body.status = item.wholeNumber('Status', item.param('status'), 0, 7);
		Object.assign(body, optionalApiValues(item, createOptionalFields, item.param('additionalFields', {})));
		body.products = products;
		return { method: 'POST', path: '/order/create', body };
	},
	output(reply) {
		return { id: reply.id, ...reply };
	},
};
