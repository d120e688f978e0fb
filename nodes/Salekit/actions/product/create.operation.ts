import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { shopProductKey } from '../../../shared/createKey';
import { ID_LIMIT } from '../../../shared/limits';
import type { Operation } from '../../../shared/runner';
import {
	additionalFieldsProperty,
	code,
	id,
	money,
	oneOf,
	optionalApiValues,
	propertiesOf,
	requiredApiValues,
	salekitField,
	text,
	urlList,
	type SalekitField,
} from '../fields';

const DESCRIPTION_LIMIT = 5000;
/** The product page's full text, HTML included. */
const CONTENT_LIMIT = 100_000;

const PRODUCT_TYPES = [
	{ name: 'Product (0)', value: 0, description: 'A physical item' },
	{ name: 'Service (1)', value: 1, description: 'Work done for the customer' },
	{ name: 'Course (2)', value: 2, description: 'A course, online or in class' },
];

/** Required: the name. Type has its own dropdown, checked in the request. */
const nameField: SalekitField[] = [
	salekitField('name', text(), {
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		description: "The product's name",
	}),
];

const whole = (description: string, displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 0,
	description,
});

const amount = (description: string, displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description,
});

const line = (description: string, displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
});

/**
 * Every optional field of salekit.com/help/api-product ("Tạo mới sản phẩm"), in the page's
 * order (the body's key order); the editor lists them alphabetically.
 */
export const productDetails: SalekitField[] = [
	salekitField('description', text(DESCRIPTION_LIMIT), {
		...line('Short description of the product', 'Short Description', 'description'),
		typeOptions: { rows: 3 },
	}),
	salekitField('content', text(CONTENT_LIMIT), {
		...line("The product page's full text", 'Content', 'content'),
		typeOptions: { rows: 6 },
	}),
	salekitField('package_width', code, whole('Package width', 'Package Width', 'packageWidth')),
	salekitField('package_length', code, whole('Package length', 'Package Length', 'packageLength')),
	salekitField('package_height', code, whole('Package height', 'Package Height', 'packageHeight')),
	salekitField('weight', money, amount('Weight of one unit', 'Weight', 'weight')),
	salekitField(
		'sku',
		text(ID_LIMIT),
		line("The product's SKU (its code in your shop)", 'SKU', 'sku'),
	),
	salekitField(
		'unit_price',
		money,
		amount('List price, before any sale (unit_price)', 'List Price', 'unitPrice'),
	),
	salekitField(
		'price_sale',
		money,
		amount('Selling price (price_sale)', 'Sale Price', 'priceSale'),
	),
	salekitField(
		'unit_name',
		text(),
		line('Unit it is sold by, e.g. piece or box', 'Unit Name', 'unitName'),
	),
	salekitField(
		'category_id',
		id,
		whole("The product category's ID in Salekit", 'Category ID', 'categoryId'),
	),
	salekitField(
		'trademark',
		id,
		whole("The supplier's ID in Salekit (trademark)", 'Supplier ID', 'trademark'),
	),
	salekitField('photos', urlList, {
		displayName: 'Photos',
		name: 'photos',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Photo' },
		default: [],
		placeholder: 'https://shop.example/images/product.jpg',
		description: 'Web addresses (http or https) of the product pictures, in display order',
	}),
	salekitField(
		'slug',
		text(),
		line("The product page's address in the store (slug)", 'Slug', 'slug'),
	),
	salekitField('seo_title', text(), line('Title for search engines', 'SEO Title', 'seoTitle')),
	salekitField(
		'seo_keyword',
		text(),
		line('Keywords for search engines', 'SEO Keywords', 'seoKeyword'),
	),
	salekitField(
		'seo_description',
		text(DESCRIPTION_LIMIT),
		line('Description for search engines', 'SEO Description', 'seoDescription'),
	),
];

const properties: INodeProperties[] = [
	...propertiesOf(nameField),
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: PRODUCT_TYPES,
		default: 0,
		required: true,
		description: 'What the shop sells',
	},
	additionalFieldsProperty(productDetails),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['create'] } },
	properties,
);

export const operation: Operation = {
	// A second create makes a second product: only retried when it never reached Salekit.
	idempotent: false,
	createKey: shopProductKey,
	request(item) {
		const body = requiredApiValues(item, nameField);
		body.type = oneOf(0, 2)(item, 'Type', item.param('type')) as number;
		Object.assign(
			body,
			optionalApiValues(item, productDetails, item.param('additionalFields', {})),
		);
		return { method: 'POST', path: '/product/create', body };
	},
	// Salekit's page documents no id in this reply: the item is what it returned.
	output: (reply) => reply,
};
