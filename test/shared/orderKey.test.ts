import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SANDBOX_TOKENS } from '../../sandbox/server';
import { freePort } from '../harness/processes';
import {
	keyWorkSettledEverywhere,
	loadProcesses,
	NODE_UNDER_TEST,
	processedData,
	runNode,
	smallestOrder,
} from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';
import { MAX_KEYS_PER_RUN } from '../../nodes/shared/keyLimits';
import { keyWorkSettled } from '../../nodes/shared/orderKey';

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
		/** The request timeout, which also bounds the wait for a key another run is sending. */
		timeout?: number;
	} = {},
) {
	return runNode({
		process: options.process,
		type: 'salekit',
		parameters: options.timeout
			? {
					...createWithOrderKey,
					options: { ...(createWithOrderKey.options as object), timeout: options.timeout },
				}
			: createWithOrderKey,
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

// A run's margin and checks go on after it returned: the next test starts on a quiet store.
beforeEach(async () => {
	await keyWorkSettledEverywhere();
	processedData.clear();
});

/** What the store holds once the runs' work after returning is over. */
const storedEntries = async () => {
	await keyWorkSettledEverywhere();
	return await processedData.getProcessedDataCount('node', NODE_UNDER_TEST, { mode: 'entries' });
};

describe('Shop Order Key', () => {
	test('a second execution with the same key creates nothing and says the order was created before', async () => {
		const first = await createOrders([{ shopOrderId: 5123 }]);
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([
			{ json: expect.objectContaining({ id: FIRST_ORDER_ID }), pairedItem: { item: 0 } },
		]);
		expect(await storedEntries()).toBe(1); // `key:`; its `open:` and claim entry removed once confirmed

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
			timeout: 1_000,
		});

		expect(sandbox().log).toHaveLength(2); // the dropped create, then W-78's
		// It waited for the key's outcome: the request timeout (1 s) and the margin (1 s).
		expect(second.items[0].json.error).toBe(
			'Shop Order Key "W-77": an earlier execution sent this order and its reply was not recorded within 2 s (it crashed, timed out or is still running), so it was not sent again. The order may exist: look for it in the vendor\'s system. If it does not, run this item again with the Shop Order Key changed (e.g. "W-77-retry") [item 0]',
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

	test('the same key twice in one run creates once', async () => {
		const { items, error } = await createOrders([{ shopOrderId: 'D-1' }, { shopOrderId: 'D-1' }]);

		expect(error).toBeUndefined();
		expect(sandbox().orders()).toHaveLength(1);
		expect(items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
		expect(items[1]).toEqual({
			json: {
				skipped: true,
				orderKey: 'D-1',
				reason: 'item 0 of this run has the same Shop Order Key; only that item creates the order',
			},
			pairedItem: { item: 1 },
		});
	});
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Issue 16: each of these failed on the main branch of 2026-11-29 (5c43a9b).
describe('Shop Order Key: no order twice, none unreported, none blocked for nothing', () => {
	test('two processes whose first store calls overlap: only one sends, the other is skipped once it has (defect 0)', async () => {
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
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
		const outputs = runs.map((run) => run.items[0].json);
		expect(outputs).toContainEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
		expect(outputs).toContainEqual(expect.objectContaining({ skipped: true, orderKey: 'P-1' }));
	});

	test('a 2xx reply that cannot be read keeps the key in flight: the item says so, the next run sends nothing (defect 1)', async () => {
		// A reply cut before its end reads as text when there is no Content-Length to tell.
		sandbox().respondWith(() => ({ body: '{"error":false,"data":{"id":2355' }));
		const first = await createOrders([{ shopOrderId: 'C-1' }]);
		expect(first.error?.message).toMatch(
			/^Salekit returned an unexpected reply: .* It may have been created all the same/,
		);

		const second = await createOrders([{ shopOrderId: 'C-1' }], { timeout: 1_000 });

		expect(second.error?.message).toMatch(/^Shop Order Key "C-1": .*The order may exist/);
		expect(sandbox().log).toHaveLength(1);
	});

	test('a 5xx keeps the key in flight and the item says the order may exist (defect 1)', async () => {
		sandbox().respondWith(() => ({ status: 500, body: { error: true, msg: 'Lỗi máy chủ' } }));
		const first = await createOrders([{ shopOrderId: 'S-1' }]);
		expect(first.error?.message).toMatch(/^Lỗi máy chủ\. It may have been created all the same/);

		const second = await createOrders([{ shopOrderId: 'S-1' }], { timeout: 1_000 });

		expect(second.error?.message).toMatch(/The order may exist/);
		expect(sandbox().log).toHaveLength(1);
	});

	test('a success without the new order\'s id is not "created": later runs are not skipped (defect 1)', async () => {
		sandbox().respondWith(() => ({ body: { error: false, data: {} } }));
		const first = await createOrders([{ shopOrderId: 'I-1' }]);
		expect(first.error?.message).toMatch(/may have been created/);

		const second = await createOrders([{ shopOrderId: 'I-1' }], { timeout: 1_000 });

		expect(second.items).toEqual([]);
		expect(second.error?.message).toMatch(/The order may exist/);
	});

	test('three executions at once: none says "skipped" while the first is still sending; once it was refused the others send (defect 2)', async () => {
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
		// The refusal freed the key: each waiting execution claimed it in turn, and was refused too.
		expect(sandbox().log.map((request) => request.status)).toEqual([400, 400, 400]);
		const sentAt = sandbox().log.map((request) => request.at);
		expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(1_500);
		expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(1_500);
		for (const later of [second, third]) {
			expect(later.items).toEqual([]);
			expect(later.error?.message).toBe('Số điện thoại không hợp lệ');
		}
	});

	test('a keyed batch larger than the store can hold is refused before anything is sent (defect 3)', async () => {
		const input = Array.from({ length: MAX_KEYS_PER_RUN + 1 }, (_, index) => ({
			shopOrderId: `B-${index}`,
		}));

		const { error } = await createOrders(input);

		expect(error?.message).toBe(
			`${MAX_KEYS_PER_RUN + 1} items have a Shop Order Key, more than the ${MAX_KEYS_PER_RUN} one run can guard: n8n's store keeps 10000 entries per node, and a run may use only part of them so that the other executions meanwhile keep theirs. Nothing was sent. Split the input into batches of at most ${MAX_KEYS_PER_RUN} items (e.g. with the Loop Over Items node)`,
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
		await keyWorkSettled();
		processedData.failWhen = undefined;
		const next = await createOrders([{ shopOrderId: 'X-1' }]);
		expect(next.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
	});
});

/** A claimant's check: its claim entry again, with the call's witness (`attempt:`). */
const isCheckOf = (entries: string[]) =>
	entries.filter((one) => one.startsWith('claim:')).length === 1 &&
	entries.every((one) => one.startsWith('claim:') || one.startsWith('attempt:'));

// Issue 23: each of these failed on main 174305e.
describe('Shop Order Key: store calls that fail after they wrote (issue 23, A and B)', () => {
	test('the claim is stored, then its call fails: nothing is sent, and the item says its key may stay, not that another execution sent it (A)', async () => {
		processedData.failAfterWriteWhen = (call) => call === 1;

		const run = await createOrders([{ shopOrderId: 'A-2' }], { timeout: 1_000 });

		// It cannot tell whether the key was free when its own failed attempt wrote it: it waited for
		// the key's outcome (1 s and the margin), then fell to the safe side.
		expect(run.error?.message).toBe(
			'Could not store the Shop Order Key "A-2" in n8n\'s database (a store call failed after it wrote). Nothing was sent, but its key could not be freed: a later run may say the order may exist. Look for it in the vendor\'s system first; if it is not there, run this item again with the Shop Order Key changed (e.g. "A-2-retry") [item 0]',
		);
		expect(sandbox().log).toHaveLength(0);
		const retried = await createOrders([{ shopOrderId: 'A-2-retry' }]);
		expect(retried.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
	});

	test('a freed key is claimed by another process before the failed removal would be repeated: no second order (A)', async () => {
		// The refused create's release commits, then its call fails; meanwhile process 1 creates the order.
		let other: Promise<unknown> | undefined;
		processedData.failAfterWriteWhen = (_call, kind, entries) => {
			if (kind !== 'remove' || !entries.includes('key:A-3') || other) return false;
			other = createOrders([{ shopOrderId: 'A-3' }], { process: 1 });
			return other;
		};
		const refused = await createOrders([{ shopOrderId: 'A-3' }], { token: 'a-wrong-token' });
		expect(refused.error?.message).toMatch(/^Token không hợp lệ/);
		processedData.failAfterWriteWhen = undefined;

		const redelivered = await createOrders([{ shopOrderId: 'A-3' }]);

		expect(sandbox().orders()).toHaveLength(1);
		expect(redelivered.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
	});

	test('the losing claimant’s check is stored, then its call fails: it does not send too (A)', async () => {
		// Both claims read before either writes; the second write wins, so process 0's claim is gone.
		let writeNow!: () => void;
		processedData.writesWaitFor = new Promise<void>((resolve) => (writeNow = resolve));
		// The check that finds its claim gone (the loser's) writes the entry back, then fails.
		let failedCheck = false;
		processedData.failAfterWriteWhen = (_call, kind, entries, found) => {
			if (failedCheck || kind !== 'record' || !isCheckOf(entries) || found.length > 0) return false;
			failedCheck = true;
			return true;
		};
		const both = Promise.all([
			createOrders([{ shopOrderId: 'A-4' }], { process: 0 }),
			createOrders([{ shopOrderId: 'A-4' }], { process: 1 }),
		]);
		await sleep(300);
		writeNow();
		processedData.writesWaitFor = undefined;
		const runs = await both;

		expect(failedCheck).toBe(true);
		expect(sandbox().log).toHaveLength(1);
		expect(runs.map((run) => run.items[0]?.json ?? run.error?.message)).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ id: FIRST_ORDER_ID }),
				expect.objectContaining({ skipped: true }),
			]),
		);
	});

	test('the losing claimant’s check fails three times, having written: its claim is never released, so the winner’s key stays (found by the model)', async () => {
		let writeNow!: () => void;
		processedData.writesWaitFor = new Promise<void>((resolve) => (writeNow = resolve));
		// The loser's check (its claim entry gone) writes it back and fails, three attempts in a row.
		let loserClaim: string | undefined;
		let failures = 0;
		processedData.failAfterWriteWhen = (_call, kind, entries, found) => {
			if (kind !== 'record' || !isCheckOf(entries) || failures === 3) return false;
			const claim = entries.find((one) => one.startsWith('claim:'));
			if (loserClaim === undefined && !found.includes(claim as string)) loserClaim = claim;
			if (claim !== loserClaim) return false;
			failures++;
			return true;
		};
		const both = Promise.all([
			createOrders([{ shopOrderId: 'A-5' }], { process: 0, continueOnFail: true }),
			createOrders([{ shopOrderId: 'A-5' }], { process: 1, continueOnFail: true }),
		]);
		await sleep(300);
		writeNow();
		processedData.writesWaitFor = undefined;
		await both;
		await keyWorkSettledEverywhere();
		processedData.failAfterWriteWhen = undefined;

		const again = await createOrders([{ shopOrderId: 'A-5' }], { continueOnFail: true });

		expect(failures).toBe(3);
		expect(sandbox().log).toHaveLength(1);
		expect(again.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
	});

	test.each([
		['the claim', 1, 'not sent'],
		['the check', 2, 'not sent'],
		['the confirm', 3, 'created'],
	])(
		'%s (call %i) is stored, then fails: never skipped without a create, never unsaid (A)',
		async (_call, failing, expected) => {
			processedData.failAfterWriteWhen = (call) => call === failing;

			const run = await createOrders([{ shopOrderId: `A-${failing}` }], {
				continueOnFail: true,
				timeout: 1_000,
			});
			processedData.failAfterWriteWhen = undefined;
			const again = await createOrders([{ shopOrderId: `A-${failing}` }], {
				continueOnFail: true,
				timeout: 1_000,
			});

			if (expected === 'created') {
				expect(run.items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
				expect(again.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
			} else {
				// It cannot tell what its own failed attempt recorded: nothing is sent, and it says the key may stay.
				expect(run.items[0].json.error).toMatch(
					/Nothing was sent, but its key could not be freed: a later run may say the order may exist/,
				);
				expect(again.items[0].json.error).toMatch(/may exist/);
			}
			expect(sandbox().log.length).toBe(expected === 'created' ? 1 : 0);
		},
	);

	test('a done key’s probe cannot be removed: the batch’s new key is still created, and freed or done after (B)', async () => {
		await createOrders([{ shopOrderId: 'B-done' }]);
		await keyWorkSettled();
		processedData.failWhen = (_call, kind, entries) =>
			kind === 'remove' && entries.includes('open:B-done');

		const batch = await createOrders([{ shopOrderId: 'B-done' }, { shopOrderId: 'B-new' }], {
			continueOnFail: true,
		});
		processedData.failWhen = undefined;

		expect(batch.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
		expect(batch.items[1].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID + 1 }));
		const again = await createOrders([{ shopOrderId: 'B-new' }]);
		expect(again.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
	});
});

describe('Shop Order Key: the store’s limit (issue 23, C)', () => {
	test('two batches of the largest size a run takes, at once on two processes: no key is pushed out', async () => {
		const batch = (prefix: string) =>
			Array.from({ length: MAX_KEYS_PER_RUN }, (_, index) => ({
				shopOrderId: `${prefix}${index}`,
			}));
		const [first, second] = await Promise.all([
			runNode({
				process: 0,
				type: 'salekit',
				parameters: {
					...createWithOrderKey,
					options: { ...(createWithOrderKey.options as object), concurrency: 100 },
				},
				input: batch('C-a'),
				credentials: { token: SANDBOX_TOKENS.salekit, baseUrl: sandbox().salekitBaseUrl },
			}),
			runNode({
				process: 1,
				type: 'salekit',
				parameters: {
					...createWithOrderKey,
					options: { ...(createWithOrderKey.options as object), concurrency: 100 },
				},
				input: batch('C-b'),
				credentials: { token: SANDBOX_TOKENS.salekit, baseUrl: sandbox().salekitBaseUrl },
			}),
		]);
		expect([first.error, second.error]).toEqual([undefined, undefined]);

		const redelivered = await createOrders([{ shopOrderId: 'C-a0' }, { shopOrderId: 'C-b0' }]);

		expect(sandbox().orders()).toHaveLength(2 * MAX_KEYS_PER_RUN);
		expect(redelivered.items.map((item) => item.json.skipped)).toEqual([true, true]);
	}, 120_000);
});

describe('Shop Order Key: keys that guard nothing (issue 23, D)', () => {
	const withKey = (orderKey: string): INodeParameters => ({
		...createWithOrderKey,
		options: { orderKey, maxRetries: 0 },
	});
	const run = (orderKey: string, input: IDataObject[], continueOnFail: boolean) =>
		runNode({
			type: 'salekit',
			parameters: withKey(orderKey),
			input,
			credentials: { token: SANDBOX_TOKENS.salekit, baseUrl: sandbox().salekitBaseUrl },
			continueOnFail,
		});

	test('a key expression that fails, with Continue On Fail: each item fails naming the key, none passes through (D1)', async () => {
		const { items, error } = await run(
			"={{ $('No such node').item.json.id }}",
			[{ id: 1 }, { id: 2 }],
			true,
		);

		expect(error).toBeUndefined();
		expect(items).toEqual(
			[0, 1].map((item) => ({
				json: { error: expect.stringMatching(/No such node|Referenced node/) },
				pairedItem: { item },
			})),
		);
		expect(sandbox().log).toHaveLength(0);
	});

	test('a key that is empty for one item: that item fails naming the option, and nothing is sent for it (D2)', async () => {
		const key = '={{ $json.shop ? $json.shop.id : "" }}';
		const stopped = await run(key, [{ shop: { id: 'S1' } }, {}], false);
		expect(stopped.error?.message).toBe(
			"Shop Order Key is empty for this item, so it could be created twice: nothing was sent for it. Give every item a key (the shop's own order ID), or remove the option [item 1]",
		);
		expect(sandbox().log).toHaveLength(0);

		const { items } = await run(key, [{ shop: { id: 'S1' } }, {}], true);
		expect(items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
		expect(items[1].json.error).toMatch(/^Shop Order Key is empty for this item/);
		expect(sandbox().log).toHaveLength(1);
	});
});

describe('Shop Order Key: the margin and a duplicate in flight (issue 23, F and G)', () => {
	test.each([400, 900])(
		"another process's claim write arrives %i ms late (the store call stalls): one order",
		async (stallMs) => {
			// Process 1's claim reads the row, then stalls before writing it back; process 0 claims
			// meanwhile. Process 1's late write hides that claim: before its check (the pause is a
			// second), so process 0 finds its claim gone, waits for process 1, and skips.
			let readBy1!: () => void;
			const process1HasRead = new Promise<void>((resolve) => (readBy1 = resolve));
			let staleWriteAt = 0;
			let claimedByEarly = Infinity;
			processedData.stallMs = (call) => (call === 1 ? (readBy1(), stallMs) : 0);
			processedData.failAfterWriteWhen = (call) => {
				if (call === 1) staleWriteAt = Date.now();
				if (call === 2) claimedByEarly = Date.now();
				return false;
			};
			// Processes of their own: a pause follows the slowest store call of the last minute, and
			// earlier tests held calls on purpose.
			const [early, late] = stallMs === 400 ? [2, 3] : [4, 5];
			loadProcesses(early, late);
			const lateRun = createOrders([{ shopOrderId: 'F-1' }], { process: late });
			await process1HasRead;
			const runs = [
				await createOrders([{ shopOrderId: 'F-1' }], { process: early }),
				await lateRun,
			];

			// The race happened: process 0 claimed while process 1's claim call was stalled.
			expect(claimedByEarly).toBeLessThan(staleWriteAt);
			expect(sandbox().log).toHaveLength(1);
			expect(runs.map((one) => one.error)).toEqual([undefined, undefined]);
			expect(runs.map((one) => one.items[0].json)).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ id: FIRST_ORDER_ID }),
					expect.objectContaining({ skipped: true, orderKey: 'F-1' }),
				]),
			);
		},
	);

	test('a second delivery while the first is still sending waits for it and is skipped, not "may exist" (G)', async () => {
		sandbox().setFaults([{ vendor: 'salekit', fault: { kind: 'slow', delayMs: 1_500 }, first: 1 }]);
		const first = createOrders([{ shopOrderId: 'G-1' }]);
		await sleep(1_000); // claimed, and waiting for Salekit
		const second = await createOrders([{ shopOrderId: 'G-1' }]);

		expect((await first).items[0].json).toEqual(expect.objectContaining({ id: FIRST_ORDER_ID }));
		expect(second.error).toBeUndefined();
		expect(second.items[0].json).toEqual(expect.objectContaining({ skipped: true }));
		expect(sandbox().log).toHaveLength(1);
	});
});
