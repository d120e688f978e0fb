import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { shopComboKey } from '../../../shared/createKey';
import { createdId } from '../../../shared/outcome';
import type { Operation } from '../../../shared/runner';
import {
	additionalFieldsProperty,
	id,
	money,
	optionalApiValues,
	productListProperties,
	propertiesOf,
	readProductList,
	requiredApiValues,
	salekitField,
	text,
	type SalekitField,
	wholeNumberInput,
} from '../fields';

const DESCRIPTION_LIMIT = 5000;

/** salekit.com/help/api-combo, "Tạo mới": name and price_sale are required (products too). */
const requiredFields: SalekitField[] = [
	salekitField('name', text(), {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: "The combo's name",
	}),
	salekitField('price_sale', money, {
		displayName: 'Sale Price',
		name: 'priceSale',
		type: 'number',
		typeOptions: { minValue: 0 },
		required: true,
		default: 0,
		description: 'The price of the whole combo',
	}),
];

/** The page's optional field, and website_id, which its example sends. */
const comboDetails: SalekitField[] = [
	salekitField(
		'website_id',
		id,
		wholeNumberInput('Website ID', 'websiteId', 'Website the combo is sold on (its ID in Salekit)'),
	),
	salekitField('description', text(DESCRIPTION_LIMIT), {
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'What the combo is, e.g. when it applies',
	}),
];

const properties: INodeProperties[] = [
	...propertiesOf(requiredFields),
	...productListProperties,
	additionalFieldsProperty(comboDetails),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['combo'], operation: ['create'] } },
	properties,
);

/** The new combo's id: the page documents data.combo_id (data is shown as an object or a list). */
function comboIdOf(reply: IDataObject): unknown {
	const data = Array.isArray(reply.data)
		? (reply.data as IDataObject[])[0]
		: (reply.data as IDataObject | undefined);
	return data?.combo_id;
}

export const operation: Operation = {
	// A second create makes a second combo: only retried when it never reached Salekit.
	idempotent: false,
	createKey: shopComboKey,
	request(item) {
		const products = readProductList(item);
		const body = requiredApiValues(item, requiredFields);
		Object.assign(body, optionalApiValues(item, comboDetails, item.param('additionalFields', {})));
		body.products = products;
		return { method: 'POST', path: '/combo/create', body };
	},
	output: (reply) => {
		createdId({ combo_id: comboIdOf(reply) } as IDataObject, 'combo_id', 'Salekit');
		return reply;
	},
	resultId: (output) => comboIdOf(output),
};
