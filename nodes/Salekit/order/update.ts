import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../shared/runner';
import { fieldProperties, optionalApiValues, updatableFields } from './fields';
import { productRowsProperty, productsJsonProperty, readProducts } from './products';

const showOnlyForOrderUpdate = { resource: ['order'], operation: ['update'] };

export const orderUpdateDescription: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '235584',
		description: "Salekit's numeric order ID, as returned when the order was created",
		displayOptions: { show: showOnlyForOrderUpdate },
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showOnlyForOrderUpdate },
		options: [
			...fieldProperties(updatableFields),
			{ ...productRowsProperty, description: 'Replaces the order’s products' },
			{ ...productsJsonProperty, default: '[]' },
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const updateOrder: Operation = {
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
