import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SANDBOX_TOKENS } from '../../sandbox/server';
import { freePort } from '../harness/processes';
import { NODE_UNDER_TEST, processedData, runNode, smallestOrder } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { cancelledRunsSettled } from '../../nodes/shared/orderKey';

const sandbox = useSandbox();
// Each guarded run waits out the store's settle pause (1 s) once or twice.
jest.setTimeout(30_000);

const createWithOrderKey: INodeParameters = {
	resource: 'order',
	operation: 'create',
	...smallestOrder,
	options: { orderKey: '={{ $json.shopOrderId }}', maxRetries: 0 },
};

function createOrders(
	input: IDataObject[],
	options: {
		baseUrl?: string;
		token?: string;
		continueOnFail?: boolean;
		process?: number;
		cancelWhen?: Promise<unknown>;
	} = {},
) {
	return runNode({
		process: options.process,
		type: 'salekit',
		parameters: createWithOrderKey,
		input,
		credentials: {
			token: options.token ?? SANDBOX_TOKENS.salekit,
			baseUrl: options.baseUrl ?? sandbox().salekitBaseUrl,
		},
		continueOnFail: options.continueOnFail,
		cancelWhen: options.cancelWhen,
	});
}

/** The sandbox numbers its orders from the id in Salekit's own example. */
const FIRST_ORDER_ID = 235584;

beforeEach(() => processedData.clear());

const storedEntries = () =>
	processedData.getProcessedDataCount('node', NODE_UNDER_TEST, { mode: 'entries' });

describe('Shop Order Key', () => {
	test('a second execution with the same key creates nothing and says the order was created before', async () => {
		const first = await createOrders([{ shopOrderId: 5123 }]);
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([
			{ json: expect.objectContaining({ id: FIRST_ORDER_ID }), pairedItem: { item: 0 } },
		]);
		expect(await storedEntries()).toBe(1); // `key:`, its `open:` and claim removed once confirmed

		const second = await createOrders([{ shopOrderId: 5123 }]);

		expect(second.error).toBeUndefined();
		expect(sandbox().orders()).toHaveLength(1);
		expect(second.items).toEqual([
			{
				json: {
					skipped: true,
					orderKey: '5123',
					reason:
						'an earlier execution already created the order for this Shop Order Key, so it was not created again',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(await storedEntries()).toBe(1);
	});

	test('a key whose create got no reply fails later runs with "may exist", and nothing is sent again', async () => {
		sandbox().setFaults([{ vendor: 'salekit', fault: { kind: 'drop', when: 'after' }, first: 1 }]);
		const first = await createOrders([{ shopOrderId: 'W-77' }]);
		expect(first.error?.message).toMatch(/dropped.*may have been created/);

		const second = await createOrders([{ shopOrderId: 'W-77' }, { shopOrderId: 'W-78' }], {
			continueOnFail: true,
		});

		expect(sandbox().log).toHaveLength(2); // the dropped create, then W-78's
		expect(second.items[0].json.error).toBe(
			'Shop Order Key "W-77": an earlier execution sent this order and did not record the reply (it crashed, timed out or is still running), so it was not sent again. The order may exist: look for it in the vendor\'s system. If it does not, run this item again with the Shop Order Key changed (e.g. "W-77-retry") or left empty [item 0]',
		);
		expect(second.items[1].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID + 1 }));
	});

	test('a request that never left frees its key: the next run creates the order', async () => {
		const closedPort = await freePort();
		const first = await createOrders([{ shopOrderId: 'N-1' }], {
			baseUrl: `http://127.0.0.1:${closedPort}/api/v1`,
		});
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
		const { items, error } = await createOrders([
			{ shopOrderId: 'D-1' },
			{ shopOrderId: 'D-1' },
			{},
			{},
		]);

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

/** The documented limit of keys per run (MAX_KEYS_PER_RUN in nodes/shared/orderKey.ts). */
const MAX_KEYS_PER_RUN = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Issue 16: each of these failed on the main branch of 2026-11-29 (5c43a9b).
describe('Shop Order Key: no order twice, none unreported, none blocked for nothing', () => {
	test('two processes whose first store calls overlap: only one sends (defect 0)', async () => {
		// Both read the store before either writes, as two workers can.
		let writeNow!: () => void;
		processedData.writesWaitFor = new Promise<void>((resolve) => (writeNow = resolve));
		const both = Promise.all([
			createOrders([{ shopOrderId: 'P-1' }], { process: 0 }),
			createOrders([{ shopOrderId: 'P-1' }], { process: 1 }),
		]);
		await sleep(300);
		writeNow();
		const runs = await both;

		expect(sandbox().log).toHaveLength(1);
		const outputs = runs.map((run) => run.items[0]?.json.id ?? run.error?.message);
		expect(outputs).toContain(FIRST_ORDER_ID);
		expect(outputs.filter((output) => output !== FIRST_ORDER_ID)).toEqual([
			expect.stringMatching(/may exist/),
		]);
	});

	test('a 2xx reply that cannot be read keeps the key in flight: the item says so, the next run sends nothing (defect 1)', async () => {
		// A reply cut before its end reads as text when there is no Content-Length to tell.
		sandbox().respondWith(() => ({ body: '{"error":false,"data":{"id":2355' }));
		const first = await createOrders([{ shopOrderId: 'C-1' }]);
		expect(first.error?.message).toMatch(
			/^Salekit returned an unexpected reply: .* It may have been created all the same/,
		);

		const second = await createOrders([{ shopOrderId: 'C-1' }]);

		expect(second.error?.message).toMatch(/^Shop Order Key "C-1": .*The order may exist/);
		expect(sandbox().log).toHaveLength(1);
	});

	test('a 5xx keeps the key in flight and the item says the order may exist (defect 1)', async () => {
		sandbox().respondWith(() => ({ status: 500, body: { error: true, msg: 'Lỗi máy chủ' } }));
		const first = await createOrders([{ shopOrderId: 'S-1' }]);
		expect(first.error?.message).toMatch(/^Lỗi máy chủ\. It may have been created all the same/);

		const second = await createOrders([{ shopOrderId: 'S-1' }]);

		expect(second.error?.message).toMatch(/The order may exist/);
		expect(sandbox().log).toHaveLength(1);
	});

	test('a success without the new order\'s id is not "created": later runs are not skipped (defect 1)', async () => {
		sandbox().respondWith(() => ({ body: { error: false, data: {} } }));
		const first = await createOrders([{ shopOrderId: 'I-1' }]);
		expect(first.error?.message).toMatch(/may have been created/);

		const second = await createOrders([{ shopOrderId: 'I-1' }]);

		expect(second.items).toEqual([]);
		expect(second.error?.message).toMatch(/The order may exist/);
	});

	test('three executions at once: none says "skipped" while the first is still sending, and then refused (defect 2)', async () => {
		sandbox().respondWith(async () => {
			await sleep(1_500);
			return { status: 400, body: { error: true, msg: 'Số điện thoại không hợp lệ' } };
		});
		const first = createOrders([{ shopOrderId: 'T-1' }]);
		await sleep(1_300); // the first has claimed the key (one pause) and is waiting for Salekit
		const [second, third] = await Promise.all([
			createOrders([{ shopOrderId: 'T-1' }]),
			createOrders([{ shopOrderId: 'T-1' }]),
		]);

		expect((await first).error?.message).toBe('Số điện thoại không hợp lệ');
		expect(sandbox().log).toHaveLength(1);
		for (const later of [second, third]) {
			expect(later.items).toEqual([]);
			expect(later.error?.message).toMatch(/The order may exist/);
		}
	});

	test('a keyed batch larger than the store can hold is refused before anything is sent (defect 3)', async () => {
		const input = Array.from({ length: MAX_KEYS_PER_RUN + 1 }, (_, index) => ({
			shopOrderId: `B-${index}`,
		}));

		const { error } = await createOrders(input);

		expect(error?.message).toBe(
			`${MAX_KEYS_PER_RUN + 1} items have a Shop Order Key, more than the ${MAX_KEYS_PER_RUN} one run can guard: n8n's store keeps 10000 entries per node and a run needs three per key. Nothing was sent. Split the input into batches of at most ${MAX_KEYS_PER_RUN} items (e.g. with the Loop Over Items node)`,
		);
		expect(sandbox().log).toHaveLength(0);
	});

	test('a store failure after the claim frees the key: nothing was sent, and the next run creates the order (defect 4)', async () => {
		// The claim is stored, then every attempt of the next call fails (a deadlock, a lost connection).
		processedData.failWhen = (call) => call >= 2 && call <= 4;
		const first = await createOrders([{ shopOrderId: 'F-4' }]);
		const sentByFirst = sandbox().log.length;
		processedData.failWhen = undefined;

		const second = await createOrders([{ shopOrderId: 'F-4' }]);

		expect(second.error).toBeUndefined();
		expect(second.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
		expect(sentByFirst).toBe(0);
		expect(first.error?.message).toMatch(
			/^Could not store the Shop Order Key "F-4" in n8n's database \(deadlock detected\)\. Nothing was sent/,
		);
	});

	test('Continue On Fail with the store unreachable: one error item per input, not the input passed through (defect 5)', async () => {
		processedData.failWhen = () => true;

		const { items, error } = await createOrders([{ shopOrderId: 'U-1' }, { shopOrderId: 'U-2' }], {
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(items).toEqual(
			[0, 1].map((item) => ({
				json: {
					error: expect.stringMatching(
						new RegExp(
							`^Could not store the Shop Order Key "U-${item + 1}" in n8n's database \\(deadlock detected\\)\\. Nothing was sent`,
						),
					),
				},
				pairedItem: { item },
			})),
		);
		expect(sandbox().log).toHaveLength(0);
	});

	test('a same-run duplicate of an item that failed is not reported done or skipped (defect 6)', async () => {
		const { items } = await createOrders([{ shopOrderId: 'D-6' }, { shopOrderId: 'D-6' }], {
			token: 'a-wrong-token',
			continueOnFail: true,
		});

		expect(items.map((item) => item.json)).toEqual([
			{ error: 'Token không hợp lệ' },
			{
				error:
					'Not sent: item 0 of this run has the same key (D-6) and did not create the order [item 1]',
			},
		]);
	});

	test("a store failure while freeing a refused key keeps Salekit's refusal as the error (defect 6)", async () => {
		processedData.failWhen = (_call, kind) => kind === 'remove';

		const { error } = await createOrders([{ shopOrderId: 'R-6' }], { token: 'a-wrong-token' });

		expect(error?.message).toMatch(
			/^Token không hợp lệ\. Its key could not be freed in n8n's database \(deadlock detected\)/,
		);
		expect(error?.message).not.toMatch(/may have been created/);
	});
});

/** Records entries as version 0.1.0 of the package did, in the node's store. */
const storeAsVersion010 = (entries: string[]) =>
	processedData.checkProcessedAndRecord(entries, 'node', NODE_UNDER_TEST, {
		mode: 'entries',
		maxEntries: 10_000,
	});

// The first two failed on main of 2026-11-30 (e3f14ea); the third guards the look-up's own
// temporary entries (main wrote none, so it passed there).
describe('Shop Order Key: entries of version 0.1.0 (upgrade)', () => {
	test('an order 0.1.0 created (`done:`) is skipped, nothing is sent, and the key is done under the new protocol', async () => {
		await storeAsVersion010(['inflight:5123', 'done:5123']);

		const run = await createOrders([{ shopOrderId: 5123 }]);

		expect(run.error).toBeUndefined();
		expect(run.items).toEqual([
			{
				json: expect.objectContaining({ skipped: true, orderKey: '5123' }),
				pairedItem: { item: 0 },
			},
		]);
		expect(sandbox().log).toHaveLength(0);
		expect(await storedEntries()).toBe(3); // 0.1.0's two, and `key:5123` with no `open:`: done
	});

	test('an order 0.1.0 sent without a recorded reply (`inflight:`) says "may exist", and nothing is sent', async () => {
		await storeAsVersion010(['inflight:5123']);

		const run = await createOrders([{ shopOrderId: 5123 }]);

		expect(run.error?.message).toMatch(
			/^Shop Order Key "5123": an earlier execution sent this order .*The order may exist/,
		);
		expect(sandbox().log).toHaveLength(0);
	});

	test('a key 0.1.0 never saw is created once, and no 0.1.0 entry is left behind', async () => {
		await storeAsVersion010(['inflight:9999', 'done:9999']); // another order's

		const run = await createOrders([{ shopOrderId: 5123 }]);

		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
		expect(sandbox().log).toHaveLength(1);
		const { new: absent } = await storeAsVersion010(['done:5123', 'inflight:5123']);
		expect(absent).toEqual(['done:5123', 'inflight:5123']);
	});
});

describe('Shop Order Key: cancel (issue 16, "Cancel cuts every pause at once")', () => {
	// Failed on main of 2026-11-30 (e3f14ea): it returned 240 ms after the cancel.
	test('a cancel during the pause before sending returns at once, sends nothing, and the key is freed after', async () => {
		let cancelledAt = 0;
		const cancel = new Promise<void>((resolve) => {
			// The claim's first store call has begun: the pause (at least 100 ms) follows it.
			processedData.failWhen = (call) => {
				if (call === 1) void sleep(20).then(() => ((cancelledAt = Date.now()), resolve()));
				return false;
			};
		});

		const run = await createOrders([{ shopOrderId: 'X-1' }], { cancelWhen: cancel });
		const returnedAfterMs = Date.now() - cancelledAt;

		expect(run.error?.message).toMatch(/cancel/i);
		// Under the shortest pause (100 ms): waiting out any pause after the cancel cannot pass (here it takes about 40-55 ms).
		expect(returnedAfterMs).toBeLessThan(100);
		expect(sandbox().log).toHaveLength(0);
		await cancelledRunsSettled();
		processedData.failWhen = undefined;
		const next = await createOrders([{ shopOrderId: 'X-1' }]);
		expect(next.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
	});
});
