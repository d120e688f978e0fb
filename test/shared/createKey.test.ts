import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { AccessTrade } from '../../nodes/AccessTrade/AccessTrade.node';
import { Salekit } from '../../nodes/Salekit/Salekit.node';
import { shopComboKey, shopOrderKey, shopProductKey } from '../../nodes/shared/createKey';
import { optionsCollection } from '../../nodes/shared/options';
import { OrderKeys } from '../../nodes/shared/orderKey';
import type { Operation } from '../../nodes/shared/runner';
import { NODE_UNDER_TEST, processedData } from '../helpers/engine';

const operation = (declaration: Partial<Operation> = {}): Operation => ({
	idempotent: false,
	request: () => ({ method: 'POST', path: '/create' }),
	output: (reply) => reply,
	...declaration,
});

function optionNamed(properties: INodeProperties[], name: string): INodeProperties | undefined {
	const options = properties.find((property) => property.name === 'options')
		?.options as INodeProperties[];
	return options.find((option) => option.name === name);
}

const orderKeyDescription =
	"The shop's own ID for this order, usually an expression reading it from the trigger's data. When set, an order whose key an earlier execution already created is not created again (the item comes out as skipped), also when the shop redelivers its webhook or another worker runs it. Keys are kept in n8n's database for about the last 5,000 orders of this node.";

describe('an operation declares its create key, and that alone places the field', () => {
	test.each([
		['Salekit', new Salekit().description.properties, 'order'],
		['AccessTrade', new AccessTrade().description.properties, 'conversion'],
	])('%s shows Shop Order Key under Options for its create only', (_node, properties, resource) => {
		expect(optionNamed(properties, 'orderKey')).toEqual({
			displayName: 'Shop Order Key',
			name: 'orderKey',
			type: 'string',
			default: '',
			placeholder: 'e.g. 5123',
			description: orderKeyDescription,
			displayOptions: { show: { '/resource': [resource], '/operation': ['create'] } },
		});
	});

	test('each declared key gets its own field, worded for what it guards, shown where it is declared', () => {
		const options = optionsCollection({
			order: {
				create: operation({ createKey: shopOrderKey }),
				update: operation({ idempotent: true }),
			},
			product: { create: operation({ createKey: shopProductKey }) },
			combo: { create: operation({ createKey: shopComboKey }) },
		}).options as INodeProperties[];

		expect(
			options
				.slice(0, 3)
				.map(({ name, displayName, displayOptions }) => ({ name, displayName, displayOptions })),
		).toEqual([
			{
				name: 'orderKey',
				displayName: 'Shop Order Key',
				displayOptions: { show: { '/resource': ['order'], '/operation': ['create'] } },
			},
			{
				name: 'productKey',
				displayName: 'Shop Product Key',
				displayOptions: { show: { '/resource': ['product'], '/operation': ['create'] } },
			},
			{
				name: 'comboKey',
				displayName: 'Shop Combo Key',
				displayOptions: { show: { '/resource': ['combo'], '/operation': ['create'] } },
			},
		]);
		expect(options[1].description).toContain("The shop's own ID for this product");
		expect(options[1].description).toContain('When set, a product whose key');
		expect(options[2].description).toContain('about the last 5,000 combos of this node');
		// Nothing else is placed: the run options follow.
		expect(options[3].name).toBe('concurrency');
	});

	test('a key declared where one display condition would also show it elsewhere is refused', () => {
		expect(() =>
			optionsCollection({
				order: { create: operation({ createKey: shopOrderKey }), update: operation() },
				product: { update: operation({ createKey: shopOrderKey }) },
			}),
		).toThrow('Shop Order Key: declared by operations one display condition cannot single out');
	});
});

describe('at run time the declared key is read', () => {
	beforeEach(() => processedData.clear());

	function context(options: IDataObject): IExecuteFunctions {
		const node = { ...NODE_UNDER_TEST.node, name: 'Salekit', parameters: { options } };
		return {
			getNode: () => node,
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
				name
					.split('.')
					.reduce<unknown>(
						(parent, key) => (parent as Record<string, unknown> | undefined)?.[key],
						node.parameters,
					) ?? fallback,
			continueOnFail: () => false,
			logger: { warn: () => undefined },
			helpers: {
				checkProcessedAndRecord: (entries: string[], scope: 'node', storeOptions: object) =>
					processedData.checkProcessedAndRecord(
						entries,
						scope,
						NODE_UNDER_TEST,
						storeOptions as never,
					),
				removeProcessed: (entries: string[], scope: 'node') =>
					processedData.removeProcessed(entries, scope, NODE_UNDER_TEST),
			},
		} as unknown as IExecuteFunctions;
	}

	test('a product create claims its Shop Product Key, not the order key beside it', async () => {
		await OrderKeys.claim(context({ productKey: 'P-1', orderKey: 'O-1' }), shopProductKey, [0], 0);

		const again = await OrderKeys.claim(context({ productKey: 'P-1' }), shopProductKey, [0], 0);
		expect(again.verdict(0)).toEqual({
			error: expect.objectContaining({ message: expect.stringContaining('"P-1"') }),
		});
		const orderKeyUnclaimed = await OrderKeys.claim(
			context({ orderKey: 'O-1' }),
			shopOrderKey,
			[0],
			0,
		);
		expect(orderKeyUnclaimed.verdict(0)).toBeUndefined();
	});

	test('a bad key is refused under its own label', async () => {
		await expect(
			OrderKeys.claim(context({ comboKey: 'x'.repeat(201) }), shopComboKey, [0], 0),
		).rejects.toThrow('Shop Combo Key is too long: 201 characters, at most 200 allowed [item 0]');
	});
});
