import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { shopProductKey } from '../../../shared/createKey';
import { UnconfirmedReply } from '../../../shared/outcome';
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
	amountInput,
	textInput,
	wholeNumberInput,
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

/**
 * Every optional field of salekit.com/help/api-product ("Tạo mới sản phẩm"), in the page's
 * order (the body's key order); the editor lists them alphabetically.
 */
export const productDetails: SalekitField[] = [
	salekitField('description', text(DESCRIPTION_LIMIT), {
		...textInput('Short Description', 'description', 'Short description of the product'),
		typeOptions: { rows: 3 },
	}),
	salekitField('content', text(CONTENT_LIMIT), {
		...textInput('Content', 'content', "The product page's full text"),
		typeOptions: { rows: 6 },
	}),
	salekitField(
		'package_width',
		code,
		wholeNumberInput('Package Width', 'packageWidth', 'Package width'),
	),
	salekitField(
		'package_length',
		code,
		wholeNumberInput('Package Length', 'packageLength', 'Package length'),
	),
	salekitField(
		'package_height',
		code,
		wholeNumberInput('Package Height', 'packageHeight', 'Package height'),
	),
	salekitField('weight', money, amountInput('Weight', 'weight', 'Weight of one unit')),
	salekitField(
		'sku',
		text(ID_LIMIT),
		textInput('SKU', 'sku', "The product's SKU (its code in your shop)"),
	),
	salekitField(
		'unit_price',
		money,
		amountInput('List Price', 'unitPrice', 'List price, before any sale (unit_price)'),
	),
	salekitField(
		'price_sale',
		money,
		amountInput('Sale Price', 'priceSale', 'Selling price (price_sale)'),
	),
	salekitField(
		'unit_name',
		text(),
		textInput('Unit Name', 'unitName', 'Unit it is sold by, e.g. piece or box'),
	),
	salekitField(
		'category_id',
		id,
		wholeNumberInput('Category ID', 'categoryId', "The product category's ID in Salekit"),
	),
	salekitField(
		'trademark',
		id,
		wholeNumberInput('Supplier ID', 'trademark', "The supplier's ID in Salekit (trademark)"),
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
		textInput('Slug', 'slug', "The product page's address in the store (slug)"),
	),
	salekitField('seo_title', text(), textInput('SEO Title', 'seoTitle', 'Title for search engines')),
	salekitField(
		'seo_keyword',
		text(),
		textInput('SEO Keywords', 'seoKeyword', 'Keywords for search engines'),
	),
	salekitField(
		'seo_description',
		text(DESCRIPTION_LIMIT),
		textInput('SEO Description', 'seoDescription', 'Description for search engines'),
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
	// Salekit's page documents no id in this reply, only `error: false`: the item is what it returned.
	output: (reply) => {
		if (reply.error !== false)
			throw new UnconfirmedReply(
				`Salekit answered without "error": false, the only sign its page gives of a created product`,
			);
		return reply;
	},
};
