import {
	conversionReply,
	conversionUpdate,
	json,
	runAccessTrade,
	runSalekit,
	salekitOrder,
	trickle,
	useHostileServer,
} from './servers';

const vendor = useHostileServer();

const mayHaveBeenCreated =
	'It may have been created all the same, so it was not sent again: check Salekit before running this item again';

const createdReply = JSON.stringify({ error: false, msg: 'Thành công', id: 235584 });

/** Headers and half the body, then the connection is cut. */
function cutMidBody(res: import('node:http').ServerResponse, body: string) {
	res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
	res.write(body.slice(0, body.length / 2));
	setTimeout(() => res.socket?.destroy(), 20);
}

describe('a reply that was cut, stalled or never came', () => {
	test('a create whose reply is cut mid-body fails saying the order may have been created, and is not sent again', async () => {
		vendor.handle((_request, res) => cutMidBody(res, createdReply));

		const run = await runSalekit(vendor, { continueOnFail: true });

		expect(run.items[0].json.error).toMatch(
			/^The connection to Salekit was dropped in the middle of its reply \(\w+\)\. /,
		);
		expect(run.items[0].json.error).toContain(mayHaveBeenCreated);
		expect(vendor.received).toHaveLength(1);
	});

	test('an idempotent status update whose reply is cut mid-body is sent again and succeeds', async () => {
		vendor.handle((_request, res) =>
			vendor.received.length === 1
				? cutMidBody(res, JSON.stringify(conversionReply))
				: json(res, 200, conversionReply),
		);

		const run = await runAccessTrade(vendor, { parameters: undefined });

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.conversion_id)).toEqual(['c1']);
		expect(vendor.received).toHaveLength(2);
	});

	test('a create whose connection is reset after the request arrived says the order may have been created', async () => {
		vendor.handle((_request, res) => void res.socket?.destroy());

		const run = await runSalekit(vendor, { continueOnFail: true });

		expect(run.items[0].json.error).toContain(mayHaveBeenCreated);
		expect(vendor.received).toHaveLength(1);
	});

	test('a reply trickled one byte every 300 ms is cut off at the timeout, not after its six seconds', async () => {
		vendor.handle((_request, res) => trickle(res, createdReply.padEnd(20, ' '), 300));

		const started = Date.now();
		const run = await runSalekit(vendor, { parameters: withTimeout(1000), continueOnFail: true });

		expect(run.items[0].json.error).toBe(
			`Salekit did not answer within 1000 ms. ${mayHaveBeenCreated}`,
		);
		expect(Date.now() - started).toBeLessThan(4000);
		expect(vendor.received).toHaveLength(1);
	});

	test('a reply that never ends frees its slot at the timeout', async () => {
		vendor.handle((_request, res) => trickle(res, '{', 100, true));

		const run = await runSalekit(vendor, { parameters: withTimeout(800), continueOnFail: true });

		expect(run.items[0].json.error).toBe(
			`Salekit did not answer within 800 ms. ${mayHaveBeenCreated}`,
		);
	});

	test('headers sent, then silence: an idempotent update is sent again and the second reply is used', async () => {
		vendor.handle((_request, res) => {
			if (vendor.received.length > 1) return json(res, 200, conversionReply);
			trickle(res, '{"status":', 200, true);
		});

		const run = await runAccessTrade(vendor, {
			parameters: conversionUpdate({ options: { timeout: 800, maxRetries: 1 } }),
		});

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.order_id)).toEqual(['o1']);
		expect(vendor.received).toHaveLength(2);
	});

	test('a reply past the size cap fails the item with a clear error instead of being held in memory', async () => {
		const eightMegabytes = JSON.stringify({
			error: false,
			id: 1,
			padding: 'x'.repeat(8 * 1024 * 1024),
		});
		vendor.handle((_request, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(eightMegabytes);
		});

		const run = await runSalekit(vendor, { continueOnFail: true });

		expect(run.items).toEqual([
			{
				json: {
					error: `Salekit's reply is larger than 5 MB, so it was not read. ${mayHaveBeenCreated}`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('a reply that announces more than the cap is refused without reading it, and not retried', async () => {
		vendor.handle((_request, res) => {
			res.writeHead(200, {
				'content-type': 'application/json',
				'content-length': String(50 * 1024 * 1024),
			});
			res.write('{"status":"success"');
		});

		const run = await runAccessTrade(vendor, { continueOnFail: true });

		expect(run.items[0].json.error).toBe(
			"AccessTrade's reply is larger than 5 MB, so it was not read",
		);
		expect(vendor.received).toHaveLength(1);
	});
});

function withTimeout(timeout: number) {
	return { ...salekitOrder, options: { timeout } };
}
