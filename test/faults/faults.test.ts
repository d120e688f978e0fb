import { createServer } from 'node:net';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	SANDBOX_TOKENS,
	startSandbox,
	type LoggedRequest,
	type Sandbox,
} from '../../sandbox/server';
import { runNode, updateConversionStatuses, type NodeRun } from '../helpers/engine';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true, seed: 7 });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const CONVERSION_IDS = ['5f6082a96c906f054417fe11', '5f6082a96c906f054417fe12'];

function expectNoToken(run: NodeRun) {
	const everything = JSON.stringify({ items: run.items, error: run.error, run: run.run });
	expect(everything).not.toContain(SANDBOX_TOKENS.salekit);
	expect(everything).not.toContain(SANDBOX_TOKENS.accessTrade);
}

function expectOneOutputPerInput(run: NodeRun, count: number) {
	expect(run.items).toHaveLength(count);
	expect(run.items.map((item) => item.pairedItem)).toEqual(
		Array.from({ length: count }, (_, item) => ({ item })),
	);
}

function groupBy<Entry, Key>(entries: Entry[], key: (entry: Entry) => Key): Map<Key, Entry[]> {
	const groups = new Map<Key, Entry[]>();
	for (const entry of entries) groups.set(key(entry), [...(groups.get(key(entry)) ?? []), entry]);
	return groups;
}

function updateConversions(count: number, options: INodeParameters, continueOnFail = false) {
	const input = Array.from({ length: count }, (_, index) => ({
		conversionId: CONVERSION_IDS[index % CONVERSION_IDS.length],
		reason: `item-${index}`,
	}));
	const target = { baseUrl: sandbox.accessTradeBaseUrl, accessToken: SANDBOX_TOKENS.accessTrade };
	return updateConversionStatuses(target, input, options, continueOnFail);
}

function createOrders(count: number, options: INodeParameters, baseUrl = sandbox.salekitBaseUrl) {
	return runNode({
		type: 'salekit',
		parameters: {
			resource: 'order',
			operation: 'create',
			fullName: '={{ $json.name }}',
			phone: '0900000000',
			totalPrice: 100000,
			totalPay: 100000,
			status: 0,
			products: { product: [{ sku: 'SKU001', quantity: 1 }] },
			options,
		},
		input: Array.from({ length: count }, (_, index) => ({ name: `Customer ${index}` })),
		credentials: { token: SANDBOX_TOKENS.salekit, baseUrl },
		continueOnFail: true,
	});
}

const reasonOf = (request: LoggedRequest) => (request.body as IDataObject | undefined)?.reason;

describe('faults on idempotent updates', () => {
	test('a few hundred updates through 429s, 503s, dropped connections and slow replies: every item comes out once, in order', async () => {
		sandbox.setFaults([
			{
				vendor: 'accessTrade',
				fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
				every: 17,
			},
			{ vendor: 'accessTrade', fault: { kind: 'status', status: 503 }, every: 11 },
			{ vendor: 'accessTrade', fault: { kind: 'drop', when: 'after' }, every: 13 },
			{ vendor: 'accessTrade', fault: { kind: 'drop', when: 'before' }, every: 19 },
			{ vendor: 'accessTrade', fault: { kind: 'slow', delayMs: 2000 }, every: 23 },
		]);

		const run = await updateConversions(300, { concurrency: 20, maxRetries: 8, timeout: 1000 });

		expect(run.error).toBeUndefined();
		expectOneOutputPerInput(run, 300);
		run.items.forEach((item, index) => {
			expect(item.json.conversion_id).toBe(CONVERSION_IDS[index % CONVERSION_IDS.length]);
			expect((item.json.conversion_parts as IDataObject[])[0].reason).toBe(`item-${index}`);
		});

		const faulted = sandbox.log.filter((request) => request.fault !== undefined);
		expect(faulted.length).toBeGreaterThan(50);
		const attemptsByItem = groupBy(sandbox.log, reasonOf);
		expect(attemptsByItem.size).toBe(300);
		for (const [reason, attempts] of attemptsByItem) {
			// Retried until answered, within the bound; a reply that came past the timeout was applied
			// twice, which an idempotent status update allows.
			const last = attempts[attempts.length - 1];
			expect({ reason, status: last.status, fault: last.fault }).toEqual({
				reason,
				status: 200,
				fault: undefined,
			});
			expect(attempts.length).toBeLessThanOrEqual(9);
		}
		expectNoToken(run);
	}, 60_000);

	test('Retry-After is honoured before the next attempt', async () => {
		sandbox.setFaults([
			{
				vendor: 'accessTrade',
				fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
				first: 3,
			},
		]);

		const run = await updateConversions(3, { concurrency: 3, maxRetries: 2 });

		expect(run.error).toBeUndefined();
		for (const attempts of groupBy(sandbox.log, reasonOf).values()) {
			expect(attempts.map((request) => request.status)).toEqual([429, 200]);
			expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(990);
		}
	});

	test('retries stop at the bound and every item still comes out once', async () => {
		sandbox.setFaults([{ vendor: 'accessTrade', fault: { kind: 'status', status: 503 } }]);

		const run = await updateConversions(20, { concurrency: 5, maxRetries: 2 }, true);

		expectOneOutputPerInput(run, 20);
		for (const item of run.items) expect(Object.keys(item.json)).toEqual(['error']);
		const attempts = groupBy(sandbox.log, reasonOf);
		expect(attempts.size).toBe(20);
		for (const requests of attempts.values()) expect(requests).toHaveLength(3);
		expectNoToken(run);
	});

	test('without Continue On Fail the first failing item stops the run with its message', async () => {
		sandbox.setFaults([{ vendor: 'accessTrade', fault: { kind: 'status', status: 503 } }]);

		const run = await updateConversions(5, { concurrency: 1, maxRetries: 1 });

		expect(run.error?.message).toMatch(/.+/);
		expect(run.error?.httpCode).toBe('503');
		expect(run.items).toEqual([]);
		// Item 0 failed after its retry; nothing else was sent.
		expect(sandbox.log).toHaveLength(2);
		expectNoToken(run);
	});
});

describe('faults on Salekit order creation', () => {
	test('no order is ever created twice, and every item is accounted for', async () => {
		sandbox.setFaults([
			{ vendor: 'salekit', fault: { kind: 'drop', when: 'after' }, every: 7 },
			{ vendor: 'salekit', fault: { kind: 'drop', when: 'before' }, every: 11 },
			{ vendor: 'salekit', fault: { kind: 'status', status: 503 }, every: 13 },
			{
				vendor: 'salekit',
				fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
				every: 17,
			},
			{ vendor: 'salekit', fault: { kind: 'slow', delayMs: 2000 }, every: 19 },
		]);

		const run = await createOrders(200, { concurrency: 20, maxRetries: 5, timeout: 1000 });

		expectOneOutputPerInput(run, 200);
		const ordersByName = groupBy(sandbox.orders(), (order) => order.full_name);
		for (const [name, orders] of ordersByName)
			expect({ name, count: orders.length }).toEqual({ name, count: 1 });
		// Nothing was sent twice: each of these faults may come after Salekit saw the request.
		expect(sandbox.log).toHaveLength(200);

		// Salekit's own replies say error: false; an item that failed carries the message instead.
		const failed = run.items.filter((item) => typeof item.json.error === 'string');
		const created = run.items.filter((item) => item.json.error === false);
		expect(failed.length).toBeGreaterThan(20);
		// A create whose connection dropped may exist: the item says so instead of sending it again.
		expect(failed.map((item) => item.json.error)).toContain(
			'The connection to Salekit was dropped before a reply came (ECONNRESET). It may have been created all the same, so it was not sent again: check Salekit before running this item again',
		);
		expect(created.length + failed.length).toBe(200);
		for (const item of created) {
			const [order] =
				ordersByName.get(
					`Customer ${item.pairedItem && (item.pairedItem as { item: number }).item}`,
				) ?? [];
			expect(order?.id).toBe(item.json.id);
		}
		expectNoToken(run);
	}, 60_000);

	test('a create is retried when the connection was refused, so it never reached Salekit', async () => {
		const port = await freePort();
		const late = startSandboxLater(port, 300);

		const run = await createOrders(1, { maxRetries: 8 }, `http://127.0.0.1:${port}/salekit/api/v1`);
		const lateSandbox = await late;
		await lateSandbox.stop();

		expect(run.items[0].json.error).toBe(false);
		expect(lateSandbox.orders()).toHaveLength(1);
	});

	test('Salekit update is idempotent and is retried', async () => {
		const created = await createOrders(1, {});
		sandbox.setFaults([{ vendor: 'salekit', fault: { kind: 'status', status: 503 }, first: 2 }]);

		const run = await runNode({
			type: 'salekit',
			parameters: {
				resource: 'order',
				operation: 'update',
				orderId: String(created.items[0].json.id),
				updateFields: { note: 'Đã giao' },
			},
			input: [{}],
			credentials: { token: SANDBOX_TOKENS.salekit, baseUrl: sandbox.salekitBaseUrl },
		});

		expect(run.error).toBeUndefined();
		expect(
			sandbox.log
				.filter((request) => request.path.includes('/order/update'))
				.map((request) => request.status),
		).toEqual([503, 503, 200]);
		expect(sandbox.orders()[0].note).toBe('Đã giao');
	});
});

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function startSandboxLater(port: number, delayMs: number): Promise<Sandbox> {
	await new Promise((resolve) => setTimeout(resolve, delayMs));
	return await startSandbox({ port, quiet: true });
}
