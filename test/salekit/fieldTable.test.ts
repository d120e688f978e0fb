/* eslint-disable @typescript-eslint/no-require-imports */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import type * as OrderFields from '../../nodes/Salekit/actions/order/fields';
import type * as Fields from '../../nodes/Salekit/actions/fields';
import type * as Engine from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

// A field added to the order field table, and nowhere else, before the node is loaded: the
// node's properties and the request body both have to pick it up from there.
const { orderDetails } = require('../../nodes/Salekit/actions/order/fields') as typeof OrderFields;
const { salekitField, text } = require('../../nodes/Salekit/actions/fields') as typeof Fields;
orderDetails.push(
	salekitField('gift_wrap', text(20), {
		displayName: 'Gift Wrap',
		name: 'giftWrap',
		type: 'string',
		default: '',
		description: 'A field only this test knows',
	}),
);
const { runNode, smallestOrder } = require('../helpers/engine') as typeof Engine;
const { Salekit } = require('../../nodes/Salekit/Salekit.node') as {
	Salekit: new () => { description: INodeTypeDescription };
};

const sandbox = useSandbox();

function collectionOptions(operation: string, collection: string): INodeProperties[] {
	const found = new Salekit().description.properties.find(
		(property) =>
			property.name === collection && property.displayOptions?.show?.operation?.includes(operation),
	);
	return (found?.options ?? []) as INodeProperties[];
}

function run(operation: string, parameters: Record<string, unknown>) {
	return runNode({
		type: 'salekit',
		parameters: { resource: 'order', operation, ...parameters },
		input: [{}],
		credentials: { token: 'field-table-token', baseUrl: sandbox().salekitBaseUrl },
	});
}

describe('Salekit field table', () => {
	test('a field added to the table shows in the editor, in its alphabetical place', () => {
		for (const [operation, collection] of [
			['create', 'additionalFields'],
			['update', 'updateFields'],
		]) {
			const names = collectionOptions(operation, collection).map(
				(property) => property.displayName,
			);
			expect(names).toContain('Gift Wrap');
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	test('a field added to the table is sent under its API name, checked, by create and update', async () => {
		sandbox().respondWith(() => ({ body: { error: false, msg: 'OK', id: 7 } }));

		const created = await run('create', {
			...smallestOrder,
			additionalFields: { giftWrap: 'red' },
		});
		const updated = await run('update', { orderId: '7', updateFields: { giftWrap: 'blue' } });

		expect(created.error).toBeUndefined();
		expect(updated.error).toBeUndefined();
		expect(
			sandbox().log.map((request) => (request.body as { gift_wrap?: string }).gift_wrap),
		).toEqual(['red', 'blue']);

		const tooLong = await run('update', {
			orderId: '7',
			updateFields: { giftWrap: 'x'.repeat(21) },
		});
		expect(tooLong.error?.message).toBe(
			'Gift Wrap is too long: 21 characters, at most 20 allowed [item 0]',
		);
		expect(sandbox().log).toHaveLength(2);
	});
});
