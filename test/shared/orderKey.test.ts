import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { freePort } from '../../scripts/processes';
import { NODE_UNDER_TEST, processedData, runNode } from '../helpers/engine';
import { useRecordingServer } from '../helpers/recorder';

const TOKEN = 'salekit-test-token-7f3a9c';
const server = useRecordingServer();
// Each guarded run waits out the store's settle pause (1 s) once or twice.
jest.setTimeout(30_000);

const createWithOrderKey: INodeParameters = {
	resource: 'order',
	operation: 'create',
	fullName: 'A',
	phone: '0900',
	totalPrice: 10,
	totalPay: 10,
	status: 0,
	products: { product: [{ productId: 1, quantity: 1 }] },
	options: { orderKey: '={{ $json.shopOrderId }}', maxRetries: 0 },
};

function createOrders(input: IDataObject[], baseUrl = `${server.url}/api/v1`, continueOnFail = false) {
	return runNode({
		type: 'salekit',
		parameters: createWithOrderKey,
		input,
		credentials: { token: TOKEN, baseUrl },
		continueOnFail,
	});
}

let nextOrderId: number;
beforeEach(() => {
	nextOrderId = 900001;
	processedData.clear();
	server.respondWith(() => ({ body: { error: false, msg: 'Thành công', id: nextOrderId++ } }));
});

const storedEntries = () => processedData.getProcessedDataCount('node', NODE_UNDER_TEST, { mode: 'entries' });

describe('Shop Order Key', () => {
	test('a second execution with the same key creates nothing and says the order was created before', async () => {
		const first = await createOrders([{ shopOrderId: 5123 }]);
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([{ json: expect.objectContaining({ id: 900001 }), pairedItem: { item: 0 } }]);
		expect(await storedEntries()).toBe(2); // in flight, then done

		const second = await createOrders([{ shopOrderId: 5123 }]);

		expect(second.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
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
		server.respondWith(() => ({ drop: true }));
		const first = await createOrders([{ shopOrderId: 'W-77' }]);
		expect(first.error?.message).toMatch(/dropped.*may have taken effect/);

		server.respondWith(() => ({ body: { error: false, id: 1 } }));
		const second = await createOrders([{ shopOrderId: 'W-77' }, { shopOrderId: 'W-78' }], undefined, true);

		expect(server.requests.map((request) => (request.body as IDataObject).full_name)).toHaveLength(2); // the drop, then W-78
		expect(second.items[0].json.error).toBe(
			'Shop Order Key "W-77": an earlier execution sent this order and did not record the reply (it crashed, timed out or is still running), so it was not sent again. The order may exist: look for it in the vendor\'s system. If it does not, run this item again with the Shop Order Key changed (e.g. "W-77-retry") or left empty [item 0]',
		);
		expect(second.items[1].json).toEqual(expect.objectContaining({ id: 1 }));
	});

	test('a request that never left frees its key: the next run creates the order', async () => {
		const closedPort = await freePort();
		const first = await createOrders([{ shopOrderId: 'N-1' }], `http://127.0.0.1:${closedPort}/api/v1`);
		expect(first.error?.message).toMatch(/Could not reach Salekit \(ECONNREFUSED\)/);
		expect(await storedEntries()).toBe(0);

		const second = await createOrders([{ shopOrderId: 'N-1' }]);

		expect(second.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		expect(second.items[0].json).toEqual(expect.objectContaining({ id: 900001 }));
	});

	test("Salekit's refusal frees the key too", async () => {
		server.respondWith(() => ({ body: { error: true, msg: 'Token không hợp lệ' } }));
		const first = await createOrders([{ shopOrderId: 'R-1' }]);
		expect(first.error?.message).toBe('Token không hợp lệ');

		server.respondWith(() => ({ body: { error: false, id: 42 } }));
		const second = await createOrders([{ shopOrderId: 'R-1' }]);

		expect(second.error).toBeUndefined();
		expect(server.requests).toHaveLength(2);
		expect(second.items[0].json).toEqual(expect.objectContaining({ id: 42 }));
	});

	test('the same key twice in one run creates once; items without a key are not guarded', async () => {
		const { items, error } = await createOrders([{ shopOrderId: 'D-1' }, { shopOrderId: 'D-1' }, {}, {}]);

		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(3);
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
