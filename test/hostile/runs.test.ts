import type { IDataObject } from 'n8n-workflow';

import {
	conversionReply,
	conversionUpdate,
	json,
	runAccessTrade,
	runSalekit,
	salekitOrder,
	sleep,
	useHostileServer,
} from './servers';

const vendor = useHostileServer();

const customers = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ name: `Customer ${index}` }));
const customerOf = (body: string) => (JSON.parse(body) as IDataObject).full_name as string;
const indexOf = (body: string) => Number(customerOf(body).split(' ')[1]);

/** Salekit creates order 1000 + n for Customer n, after `delayMs`; Customer 0 is refused after `refuseAfterMs`. */
function salekitCreating(delayMs: number, refuseAfterMs: number) {
	const created = new Map<number, number>();
	vendor.handle(async (request, res) => {
		const index = indexOf(request.body);
		if (index === 0) {
			await sleep(refuseAfterMs);
			return json(res, 200, { error: true, msg: 'Số điện thoại không hợp lệ' });
		}
		await sleep(delayMs);
		created.set(index, 1000 + index);
		json(res, 200, { error: false, msg: 'Thành công', id: 1000 + index });
	});
	return created;
}

describe('a failed run never hides what it created', () => {
	test('item 0 of 30 is refused while others were created: the error lists every created order with its id', async () => {
		const created = salekitCreating(20, 150);

		const run = await runSalekit(vendor, {
			input: customers(30),
			parameters: { ...salekitOrder, options: { concurrency: 10 } },
		});

		expect(created.size).toBeGreaterThan(0);
		expect(run.items).toEqual([]);
		expect(run.error?.message).toBe(
			`Số điện thoại không hợp lệ (the run stopped: ${created.size} item(s) done and 0 that may have taken effect at Salekit are listed in the error's details)`,
		);
		const listed = [...created]
			.sort(([a], [b]) => a - b)
			.map(([index, id]) => `item ${index} (id ${id})`);
		expect(run.error?.description).toContain(
			`Done at Salekit (${created.size}): ${listed.join(', ')}\n`,
		);
		expect(run.error?.description).toContain('Failed (1):\nitem 0: Số điện thoại không hợp lệ');
		// Everything not sent is named too, so the user knows exactly what to run again.
		const notSent = 30 - vendor.received.length;
		if (notSent > 0)
			expect(run.error?.description).toContain(
				`Not sent (${notSent}): ${notSent === 1 ? 'item 29' : `items ${vendor.received.length}–29`}`,
			);
	});

	test('after the first failure no new request starts; requests under way finish and are reported', async () => {
		const created = salekitCreating(300, 50);

		const run = await runSalekit(vendor, {
			input: customers(20),
			parameters: { ...salekitOrder, options: { concurrency: 4 } },
		});
		const receivedWhenDone = vendor.received.length;
		await sleep(600);

		// Items 0 to 3 started together; item 0 failed first, so 1 to 3 (under way) were waited for.
		expect(vendor.received.map((request) => indexOf(request.body)).sort((a, b) => a - b)).toEqual([
			0, 1, 2, 3,
		]);
		expect(vendor.received).toHaveLength(receivedWhenDone);
		expect(run.error?.description).toContain(
			'Done at Salekit (3): item 1 (id 1001), item 2 (id 1002), item 3 (id 1003)',
		);
		expect(run.error?.description).toContain('Not sent (16): items 4–19');
		expect(created.size).toBe(3);
	});

	test('a create under way that times out when the run fails is listed as possibly created', async () => {
		vendor.handle(async (request, res) => {
			if (indexOf(request.body) === 0)
				return json(res, 400, { error: true, msg: 'Thiếu sản phẩm' });
			await sleep(5000);
			json(res, 200, { error: false, id: 1 });
		});

		const run = await runSalekit(vendor, {
			input: customers(2),
			parameters: { ...salekitOrder, options: { concurrency: 2, timeout: 600 } },
		});

		expect(run.error?.message).toContain('0 item(s) done and 1 that may have taken effect');
		expect(run.error?.description).toContain(
			'May have taken effect at Salekit, check before running them again (1):\nitem 1: Salekit did not answer within 600 ms. It may have been created all the same',
		);
	});

	test('a fault inside one request does not leave the others sending after the node has returned', async () => {
		// A numeric token echoed as a number once broke redaction with an exception in that one request.
		vendor.handle(async (request, res) => {
			await sleep(30);
			const index = indexOf(request.body);
			json(res, 200, { error: false, id: 2000 + index, ...(index === 3 ? { echo: 123456 } : {}) });
		});

		const run = await runSalekit(vendor, {
			token: '123456',
			input: customers(40),
			parameters: { ...salekitOrder, options: { concurrency: 4 } },
		});
		const receivedWhenDone = vendor.received.length;
		await sleep(500);

		expect(vendor.received).toHaveLength(receivedWhenDone);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual(
			Array.from({ length: 40 }, (_, index) => 2000 + index),
		);
		expect(run.items[3].json.echo).toBe('[redacted]');
	});
});

describe('cancelling the execution', () => {
	test('a two-minute Retry-After wait ends at once on cancel, and nothing more is sent', async () => {
		vendor.handle((_request, res) =>
			json(res, 429, { status: 'error', message: 'Too many requests' }, { 'retry-after': '120' }),
		);
		let cancel = () => {};
		const cancelled = new Promise<void>((resolve) => (cancel = resolve));

		const started = Date.now();
		const running = runAccessTrade(vendor, { cancelWhen: cancelled });
		while (vendor.received.length === 0) await sleep(20);
		await sleep(300);
		cancel();
		await running;

		expect(Date.now() - started).toBeLessThan(5000);
		expect(vendor.received).toHaveLength(1);
	}, 15_000);

	test('a throttle wait ends at once on cancel, and the waiting item is never sent', async () => {
		vendor.handle((_request, res) => json(res, 200, conversionReply));
		let cancel = () => {};
		const cancelled = new Promise<void>((resolve) => (cancel = resolve));

		const started = Date.now();
		const running = runAccessTrade(vendor, {
			input: [{}, {}],
			cancelWhen: cancelled,
			parameters: conversionUpdate({ options: { requestsPerInterval: 1, intervalMs: 120_000 } }),
		});
		while (vendor.received.length === 0) await sleep(20);
		await sleep(300);
		cancel();
		await running;
		await sleep(200);

		expect(Date.now() - started).toBeLessThan(5000);
		expect(vendor.received).toHaveLength(1);
	}, 15_000);

	test('without Continue On Fail, a failure ends the Retry-After wait of another item at once', async () => {
		vendor.handle(async (request, res) => {
			if (!request.body.includes('"bad"')) {
				return json(
					res,
					429,
					{ status: 'error', message: 'Too many requests' },
					{ 'retry-after': '120' },
				);
			}
			await sleep(300);
			json(res, 400, { status: 'error', message: 'Conversion not found' });
		});

		const started = Date.now();
		const run = await runAccessTrade(vendor, {
			input: [{ conversionId: 'bad' }, { conversionId: 'good' }],
			parameters: conversionUpdate({
				conversionId: '={{ $json.conversionId }}',
				options: { concurrency: 2 },
			}),
		});

		expect(Date.now() - started).toBeLessThan(5000);
		expect(run.error?.message).toBe('Conversion not found');
		expect(run.error?.description).toContain(
			'Failed (2):\nitem 0: Conversion not found\nitem 1: Too many requests',
		);
		expect(vendor.received).toHaveLength(2);
	}, 15_000);
});
