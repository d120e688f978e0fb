import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SANDBOX_TOKENS } from '../../sandbox/server';
import { freePort } from '../harness/processes';
import { NODE_UNDER_TEST, processedData, runNode, smallestOrder } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();
// Each guarded run waits out the store's settle pause (1 s) once or twice.
jest.setTimeout(30_000);

const createWithOrderKey: INodeParameters = {
	resource: 'order',
	operation: 'create',
	...smallestOrder,
	options: { orderKey: '={{ $json.shopOrderId }}', maxRetries: 0 },
};

function createOrders(input: IDataObject[], options: { baseUrl?: string; token?: string; continueOnFail?: boolean } = {}) {
	return runNode({
		type: 'salekit',
		parameters: createWithOrderKey,
		input,
		credentials: { token: options.token ?? SANDBOX_TOKENS.salekit, baseUrl: options.baseUrl ?? sandbox().salekitBaseUrl },
		continueOnFail: options.continueOnFail,
	});
}

/** The sandbox numbers its orders from the id in Salekit's own example. */
const FIRST_ORDER_ID = 235584;

beforeEach(() => processedData.clear());

const storedEntries = () => processedData.getProcessedDataCount('node', NODE_UNDER_TEST, { mode: 'entries' });

describe('Shop Order Key', () => {
	test('a second execution with the same key creates nothing and says the order was created before', async () => {
		const first = await createOrders([{ shopOrderId: 5123 }]);
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([{ json: expect.objectContaining({ id: FIRST_ORDER_ID }), pairedItem: { item: 0 } }]);
		expect(await storedEntries()).toBe(2); // in flight, then done

		const second = await createOrders([{ shopOrderId: 5123 }]);

		expect(second.error).toBeUndefined();
		expect(sandbox().orders()).toHaveLength(1);
		expect(second.items).toEqual([
			{
				json: {
					skipped: true,
					orderKey: '5123',
					reason: 'an earlier execution already created the order for this Shop Order Key, so it was not created again',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(await storedEntries()).toBe(2);
	});

	test('a key whose create got no reply fails later runs with "may exist", and nothing is sent again', async () => {
		sandbox().setFaults([{ vendor: 'salekit', fault: { kind: 'drop', when: 'after' }, first: 1 }]);
		const first = await createOrders([{ shopOrderId: 'W-77' }]);
		expect(first.error?.message).toMatch(/dropped.*may have been created/);

		const second = await createOrders([{ shopOrderId: 'W-77' }, { shopOrderId: 'W-78' }], { continueOnFail: true });

		expect(sandbox().log).toHaveLength(2); // the dropped create, then W-78's
		expect(second.items[0].json.error).toBe(
			'Shop Order Key "W-77": an earlier execution sent this order and did not record the reply (it crashed, timed out or is still running), so it was not sent again. The order may exist: look for it in the vendor\'s system. If it does not, run this item again with the Shop Order Key changed (e.g. "W-77-retry") or left empty [item 0]',
		);
		expect(second.items[1].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID + 1 }));
	});

	test('a request that never left frees its key: the next run creates the order', async () => {
		const closedPort = await freePort();
		const first = await createOrders([{ shopOrderId: 'N-1' }], { baseUrl: `http://127.0.0.1:${closedPort}/api/v1` });
		expect(first.error?.message).toMatch(/Could not reach Salekit \(ECONNREFUSED\)/);
		expect(await storedEntries()).toBe(0);

		const second = await createOrders([{ shopOrderId: 'N-1' }]);

		expect(second.error).toBeUndefined();
		expect(sandbox().orders()).toHaveLength(1);
		expect(second.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
	});

	test("Salekit's refusal frees the key too", async () => {
		const first = await createOrders([{ shopOrderId: 'R-1' }], { token: 'a-wrong-token' });
		expect(first.error?.message).toBe('Token không hợp lệ');

		const second = await createOrders([{ shopOrderId: 'R-1' }]);

		expect(second.error).toBeUndefined();
		expect(sandbox().log).toHaveLength(2);
		expect(second.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
	});

	test('a key that is not text stops the batch before anything is sent', async () => {
		const { error } = await createOrders([{ shopOrderId: 'K-1' }, { shopOrderId: { id: 7 } }]);

		expect(error?.message).toBe('Shop Order Key must be text, got {"id":7} [item 1]');
		expect(sandbox().log).toHaveLength(0);
		expect(await storedEntries()).toBe(0);
	});

	test('the same key twice in one run creates once; items without a key are not guarded', async () => {
		const { items, error } = await createOrders([{ shopOrderId: 'D-1' }, { shopOrderId: 'D-1' }, {}, {}]);

		expect(error).toBeUndefined();
		expect(sandbox().orders()).toHaveLength(3);
		expect(items[0].json).toEqual(expect.objectContaining({ id: expect.any(Number) }));
		expect(items[1]).toEqual({
			json: {
				skipped: true,
				orderKey: 'D-1',
				reason: 'item 0 of this run has the same Shop Order Key; only that item creates the order',
			},
			pairedItem: { item: 1 },
		});
		expect(items[2].json.id).not.toBe(items[3].json.id);
	});
});
