import type { INodeProperties } from 'n8n-workflow';

import { AccessTradeApi } from '../credentials/AccessTradeApi.credentials';
import { SalekitApi } from '../credentials/SalekitApi.credentials';
import { AccessTrade } from '../nodes/AccessTrade/AccessTrade.node';
import { Salekit } from '../nodes/Salekit/Salekit.node';

/** Saved workflows store these names as plain strings: renaming one breaks them, so each is listed here. */
function names(properties: INodeProperties[] | undefined): string[] {
	return (properties ?? []).map((property) => property.name);
}

function property(properties: INodeProperties[], name: string, shownFor?: string): INodeProperties {
	const found = properties.find(
		(candidate) =>
			candidate.name === name &&
			(shownFor === undefined || candidate.displayOptions?.show?.operation?.includes(shownFor)),
	);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

describe('public names', () => {
	test('credential types and their fields', () => {
		expect(new SalekitApi().name).toBe('salekitApi');
		expect(names(new SalekitApi().properties)).toEqual(['token', 'baseUrl']);
		expect(new SalekitApi().properties[0].typeOptions?.password).toBe(true);
		expect(new AccessTradeApi().name).toBe('accessTradeApi');
		expect(names(new AccessTradeApi().properties)).toEqual([
			'baseUrl',
			'accessToken',
			'campaignId',
			'userId',
			'networkId',
			'userType',
		]);
		expect(new AccessTradeApi().properties[1].typeOptions?.password).toBe(true);
	});

	test('Salekit node', () => {
		const { description } = new Salekit();
		expect(description.name).toBe('salekit');
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toContain('operation');
		const properties = description.properties;
		// Order, and the Product and Combo resources added with Salekit's product and combo pages.
		expect(property(properties, 'resource').options).toEqual([
			{ name: 'Combo', value: 'combo' },
			{ name: 'Order', value: 'order' },
			{ name: 'Product', value: 'product' },
		]);
		expect(
			property(properties, 'operation').options?.map(
				(option) => (option as { value: string }).value,
			),
		).toEqual(['create', 'update']);
		for (const name of [
			'fullName',
			'phone',
			'totalPrice',
			'totalPay',
			'status',
			'products',
			'additionalFields',
		]) {
			expect(property(properties, name, 'create')).toBeDefined();
		}
		expect(property(properties, 'orderId', 'update')).toBeDefined();
		expect(
			property(properties, 'status', 'create').options?.map(
				(option) => (option as { value: number }).value,
			),
		).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		const rows = property(properties, 'products', 'create').options?.[0] as {
			name: string;
			values: INodeProperties[];
		};
		expect(rows.name).toBe('product');
		expect(names(rows.values)).toEqual(['productId', 'sku', 'quantity']);

		const additional = names(
			property(properties, 'additionalFields', 'create').options as INodeProperties[],
		);
		const update = names(
			property(properties, 'updateFields', 'update').options as INodeProperties[],
		);
		// Every optional field Salekit documents (camelCase of its API name), plus sub_status from its example.
		const documentedOptional = [
			'discount',
			'revenue',
			'shipFee',
			'payFee',
			'email',
			'ref',
			'refSub',
			'provinceId',
			'districtId',
			'wardId',
			'address',
			'storeId',
			'payType',
			'payStatus',
			'payTime',
			'commission',
			'saleId',
			'note',
		];
		expect(additional).toEqual(
			expect.arrayContaining([...documentedOptional, 'websiteId', 'src', 'subStatus']),
		);
		expect(update).toEqual(
			expect.arrayContaining([
				...documentedOptional,
				'fullName',
				'phone',
				'totalPrice',
				'totalPay',
				'products',
			]),
		);
		expect(names(property(properties, 'options').options as INodeProperties[])).toContain(
			'concurrency',
		);

		// Added with the product and combo creates (shared/INTERFACE.md).
		const fieldsFor = (resource: string) =>
			properties.filter((candidate) =>
				candidate.displayOptions?.show?.resource?.includes(resource),
			);
		expect(names(fieldsFor('product'))).toEqual(['operation', 'name', 'type', 'additionalFields']);
		expect(names(fieldsFor('combo'))).toEqual([
			'operation',
			'name',
			'priceSale',
			'productsInputMode',
			'products',
			'productsJson',
			'additionalFields',
		]);
		const productAdditional = fieldsFor('product').find(
			(candidate) => candidate.name === 'additionalFields',
		);
		expect(names(productAdditional?.options as INodeProperties[]).sort()).toEqual([
			'categoryId',
			'content',
			'description',
			'packageHeight',
			'packageLength',
			'packageWidth',
			'photos',
			'priceSale',
			'seoDescription',
			'seoKeyword',
			'seoTitle',
			'sku',
			'slug',
			'trademark',
			'unitName',
			'unitPrice',
			'weight',
		]);
		const comboAdditional = fieldsFor('combo').find(
			(candidate) => candidate.name === 'additionalFields',
		);
		expect(names(comboAdditional?.options as INodeProperties[]).sort()).toEqual([
			'description',
			'websiteId',
		]);
		const comboRows = fieldsFor('combo').find((candidate) => candidate.name === 'products')
			?.options?.[0] as { name: string; values: INodeProperties[] };
		expect(comboRows.name).toBe('product');
		expect(names(comboRows.values)).toEqual(['productId', 'sku', 'quantity']);
		const options = names(property(properties, 'options').options as INodeProperties[]);
		expect(options).toEqual(expect.arrayContaining(['orderKey', 'productKey', 'comboKey']));
	});

	test('AccessTrade node', () => {
		const { description } = new AccessTrade();
		expect(description.name).toBe('accessTrade');
		expect(description.usableAsTool).toBe(true);
		const properties = description.properties;
		expect(
			property(properties, 'resource').options?.map(
				(option) => (option as { value: string }).value,
			),
		).toEqual(['conversion', 'conversionPart']);
		const fieldsFor = (resource: string, operation: string) =>
			properties
				.filter(
					(candidate) =>
						candidate.displayOptions?.show?.resource?.includes(resource) &&
						candidate.displayOptions?.show?.operation?.includes(operation),
				)
				.map((candidate) => candidate.name);
		// The second Status and Reason are the advertiser status API's (same names, more statuses).
		expect(fieldsFor('conversion', 'updateStatus')).toEqual([
			'campaignId',
			'conversionId',
			'status',
			'reason',
			'status',
			'reason',
		]);
		expect(fieldsFor('conversionPart', 'updateStatus')).toEqual([
			'campaignId',
			'conversionId',
			'productSku',
			'status',
			'reason',
		]);
		expect(fieldsFor('conversion', 'create')).toEqual([
			'campaignId',
			'clickId',
			'orderId',
			'partsInputMode',
			'parts',
			'partsJson',
			'additionalFields',
		]);
		const conversionOperations = properties.find(
			(candidate) =>
				candidate.name === 'operation' &&
				candidate.displayOptions?.show?.resource?.includes('conversion'),
		);
		expect(
			conversionOperations?.options?.map((option) => (option as { value: string }).value),
		).toEqual(['create', 'updateStatus']);
		// Saved workflows leave out parameters at their default: it must stay updateStatus.
		expect(conversionOperations?.default).toBe('updateStatus');
		const partRows = property(properties, 'parts', 'create').options?.[0] as {
			name: string;
			values: INodeProperties[];
		};
		expect(partRows.name).toBe('part');
		expect(names(partRows.values)).toEqual([
			'id',
			'sku',
			'name',
			'quantity',
			'price',
			'discount',
			'categoryId',
			'categoryName',
			'url',
		]);
		expect(
			names(property(properties, 'additionalFields', 'create').options as INodeProperties[]).sort(),
		).toEqual(['actionTime', 'currency', 'totalDiscount', 'totalSaleAmount']);
		expect(
			property(properties, 'status').options?.map((option) => (option as { value: string }).value),
		).toEqual(['pre_approved', 'rejected']);
		expect(names(property(properties, 'options').options as INodeProperties[])).toEqual(
			expect.arrayContaining(['requestMethod', 'concurrency', 'fullResponse', 'orderKey']),
		);

		// Added with the advertiser API (shared/INTERFACE.md).
		const options = property(properties, 'options').options as INodeProperties[];
		const statusApi = options.find((option) => option.name === 'statusApi');
		expect(statusApi?.default).toBe('campaign');
		expect(statusApi?.options?.map((option) => (option as { value: string }).value).sort()).toEqual(
			['advertiser', 'campaign'],
		);
		const advertiserStatus = properties.filter(
			(candidate) =>
				candidate.name === 'status' && candidate.displayOptions?.show?.['/options.statusApi'],
		);
		expect(advertiserStatus).toHaveLength(1);
		expect(
			advertiserStatus[0].options?.map((option) => (option as { value: string }).value).sort(),
		).toEqual(['approved', 'hold', 'pending', 'pre_approved', 'rejected']);
	});
});
