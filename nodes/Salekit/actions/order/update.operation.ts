import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/runner';
import {
	byDisplayName,
	optionalApiValues,
	productRows,
	productsJson,
	propertiesOf,
	readProducts,
} from '../fields';
import { customerAndTotals, orderDetails } from './fields';

const updatableFields = [...customerAndTotals, ...orderDetails];

const properties: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '235584',
		description: "Salekit's numeric order ID, as returned when the order was created",
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...propertiesOf(updatableFields),
			{ ...productRows, description: 'Replaces the order’s products' },
			{ ...productsJson, default: '[]' },
		].sort(byDisplayName),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['update'] } },
	properties,
);

export const operation: Operation = {
	idempotent: true,
	request(item) {
		const orderId = item.wholeNumber('Order ID', item.param('orderId'), 1);
		const fields = item.param<IDataObject>('updateFields', {});
		const body = optionalApiValues(item, updatableFields, fields);
		if (fields.products !== undefined || fields.productsJson !== undefined) {
			const products = readProducts(item, fields.products, fields.productsJson);
			if (products.length > 0) body.products = products;
		}
		if (Object.keys(body).length === 0) {
			item.fail('Update Fields', 'is empty: add at least one field to change');
		}
		return { method: 'POST', path: '/order/update', qs: { id: orderId }, body };
	},
	output(reply, request) {
		return { orderId: request.qs?.id, ...reply };
	},
};
