import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_SHOP,
	SANDBOX_TOKENS,
	seedConversions,
	startSandbox,
	type FaultRule,
	type LoggedRequest,
	type Sandbox,
} from '../../sandbox/server';
import { VENDOR_EXAMPLE_CONVERSION } from '../helpers/vendorExamples';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
});
afterAll(() => sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.setLatency(0);
});

interface Answer {
	status: number;
	headers: Headers;
	body: unknown;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
	const response = await fetch(url, init);
	return { status: response.status, headers: response.headers, body: await response.json() };
}

const SALEKIT_HEADERS = { Token: SANDBOX_TOKENS.salekit, 'Content-Type': 'application/json' };

function salekit(
	path: string,
	body: unknown,
	headers: Record<string, string> = SALEKIT_HEADERS,
	target = sandbox,
): Promise<Answer> {
	return call(`${target.salekitBaseUrl}${path}`, {
		method: 'POST',
		headers,
		body: JSON.stringify(body),
	});
}

interface AccessTradeCall {
	query?: Record<string, string>;
	body?: unknown;
	token?: string;
}

function accessTrade(
	method: 'GET' | 'POST',
	path: string,
	{ query, body, token = SANDBOX_TOKENS.accessTrade }: AccessTradeCall = {},
) {
	const search = query ? `?${new URLSearchParams(query).toString()}` : '';
	return call(`${sandbox.accessTradeBaseUrl}${path}${search}`, {
		method,
		headers: {
			'x-at-user-access-token': token,
			...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

function control(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<Answer> {
	return call(`${sandbox.url}/__sandbox/${endpoint}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

const VALID_ORDER = {
	full_name: 'Phạm Thuần Nhân',
	phone: '0988999885',
	total_price: 100000,
	total_pay: 80000,
	status: 2,
	products: [{ product_id: 1912233, quantity: 2 }],
};

const createOrder = (target = sandbox) =>
	salekit('/order/create', VALID_ORDER, SALEKIT_HEADERS, target);

const EXAMPLE_CONVERSION = '5f6082a96c906f054417fe11';
const seedCount = seedConversions().length;
const TWO_PART_CONVERSION = '5f6082a96c906f054417fe12';
const CONVERSION_PATH = `/api/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`;
const GET_CONVERSION_PATH = `/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`;
const PART_PATH = `/api/v1/${SANDBOX_CAMPAIGN_ID}/update-conversion-part-status`;

const salekitError = (msg: string | RegExp) => ({
	error: true,
	msg: typeof msg === 'string' ? msg : expect.stringMatching(msg),
});
const accessTradeError = (message: string) => ({ status: 'error', message });

describe('Salekit', () => {
	it('creates orders with increasing ids from 235584 and stores them', async () => {
		const first = await createOrder();
		const second = await createOrder();

		expect(first).toMatchObject({
			status: 200,
			body: { error: false, msg: 'Thành công', id: 235584, data: [{ id: 235584, ...VALID_ORDER }] },
		});
		expect(second.body).toMatchObject({ id: 235585 });
		expect(sandbox.orders().map((order) => order.id)).toEqual([235584, 235585]);
	});

	it('accepts products by sku and keeps optional fields', async () => {
		const { body } = await salekit('/order/create', {
			...VALID_ORDER,
			products: [{ sku: 'SKU001', quantity: 1 }],
			province_id: 1,
			note: 'giao giờ hành chính',
		});

		expect(body).toMatchObject({ error: false });
		expect(sandbox.orders()[0]).toMatchObject({
			products: [{ sku: 'SKU001', quantity: 1 }],
			province_id: 1,
		});
	});

	it.each(['full_name', 'phone', 'total_price', 'total_pay', 'status', 'products'])(
		'rejects a create without %s, naming it, with HTTP 200',
		async (field) => {
			const incomplete: Record<string, unknown> = { ...VALID_ORDER };
			delete incomplete[field];

			const answer = await salekit('/order/create', incomplete);

			expect(answer).toMatchObject({ status: 200, body: salekitError(new RegExp(field)) });
			expect(sandbox.orders()).toEqual([]);
		},
	);

	it.each([
		['status out of 0-7', { status: 9 }, /status/],
		['a string price', { total_price: '100000' }, /total_price/],
		['an empty product list', { products: [] }, /products/],
		['a product with neither id nor sku', { products: [{ quantity: 1 }] }, /product_id hoặc sku/],
		['a zero quantity', { products: [{ sku: 'A', quantity: 0 }] }, /quantity/],
		['a string province_id', { province_id: '1' }, /province_id/],
	])('rejects %s', async (_case, change, message) => {
		const answer = await salekit('/order/create', { ...VALID_ORDER, ...change });

		expect(answer).toMatchObject({ status: 200, body: salekitError(message) });
	});

	it.each([
		['a wrong token', { ...SALEKIT_HEADERS, Token: 'nope' }],
		['no token', { 'Content-Type': 'application/json' }],
	])('answers %s with HTTP 200 and error: true', async (_case, headers) => {
		const answer = await salekit('/order/create', VALID_ORDER, headers);

		expect(answer).toMatchObject({ status: 200, body: salekitError('Token không hợp lệ') });
		expect(sandbox.orders()).toEqual([]);
	});

	it('requires a JSON content type', async () => {
		const answer = await salekit('/order/create', VALID_ORDER, {
			Token: SANDBOX_TOKENS.salekit,
			'Content-Type': 'text/plain',
		});

		expect(answer.body).toEqual(salekitError(/Content-Type/));
	});

	it.each(['/order/update?id=235584', '/order/update/?id=235584'])(
		'merges an update sent to %s',
		async (path) => {
			await createOrder();

			const answer = await salekit(path, {
				full_name: 'Phạm Thuần Nhân 2',
				address: '12 Cầu Giấy 2',
				id: 1,
			});

			expect(answer).toEqual(
				expect.objectContaining({ status: 200, body: { status: 200, msg: 'OK', error: false } }),
			);
			expect(sandbox.orders()[0]).toMatchObject({
				...VALID_ORDER,
				id: 235584,
				full_name: 'Phạm Thuần Nhân 2',
				address: '12 Cầu Giấy 2',
			});
		},
	);

	it('answers an update of an unknown order with "Không tìm thấy đơn hàng"', async () => {
		const answer = await salekit('/order/update?id=999', { note: 'x' });

		expect(answer).toMatchObject({ status: 200, body: salekitError('Không tìm thấy đơn hàng') });
	});

	it('answers other paths and methods with 404', async () => {
		const unknownPath = await salekit('/order/list', {});
		const wrongMethod = await call(`${sandbox.salekitBaseUrl}/order/create`, {
			headers: SALEKIT_HEADERS,
		});

		expect(unknownPath).toMatchObject({ status: 404, body: salekitError('Not found') });
		expect(wrongMethod.status).toBe(404);
	});
});

describe("Salekit's token check", () => {
	const verify = (token: string, path = '/wordpress/verify') =>
		call(`${sandbox.url}${path}`, {
			method: 'POST',
			headers: { Token: token, 'Content-Type': 'application/json' },
			body: '{}',
		});

	it('answers POST /wordpress/verify on the site root with the shop, or error: true for a bad token', async () => {
		expect(await verify(SANDBOX_TOKENS.salekit)).toMatchObject({
			status: 200,
			body: { error: false, ...SANDBOX_SHOP },
		});
		expect(await verify('wrong')).toMatchObject({
			status: 200,
			body: salekitError('Token không hợp lệ'),
		});
		expect(sandbox.orders()).toEqual([]);
	});

	it('is not under the API base URL', async () => {
		expect(
			(await call(`${sandbox.salekitBaseUrl}/wordpress/verify`, { method: 'POST', body: '{}' }))
				.status,
		).toBe(404);
		expect((await verify(SANDBOX_TOKENS.salekit, '/salekit/wordpress/verify')).status).toBe(404);
	});
});

describe('AccessTrade', () => {
	it('sets every part of a conversion (POST) and answers with the double envelope', async () => {
		const answer = await accessTrade('POST', CONVERSION_PATH, {
			body: { conversion_id: TWO_PART_CONVERSION, status: 'pre_approved', reason: 'Đã giao' },
		});

		const parts = [
			expect.objectContaining({ sku: 'SKU002' }),
			expect.objectContaining({ sku: 'SKU003' }),
		];
		expect(answer).toMatchObject({
			status: 200,
			body: {
				status: 'success',
				data: {
					status: 'success',
					data: { conversion_id: TWO_PART_CONVERSION, conversion_parts: parts },
					message: 'Success',
					code: 0,
				},
			},
		});
		const stored = sandbox.conversion(TWO_PART_CONVERSION)!;
		expect(stored.conversion_parts.map(({ status, reason }) => ({ status, reason }))).toEqual([
			{ status: 'pre_approved', reason: 'Đã giao' },
			{ status: 'pre_approved', reason: 'Đã giao' },
		]);
	});

	it('seeds the vendor example conversion with parts shaped exactly like its response', () => {
		const pending = VENDOR_EXAMPLE_CONVERSION.conversion_parts.map((part) => ({
			...part,
			status: 'pending',
			reason: '',
		}));
		expect(sandbox.conversion(EXAMPLE_CONVERSION)).toEqual({
			...VENDOR_EXAMPLE_CONVERSION,
			conversion_parts: pending,
		});
	});

	it('accepts the documented GET form without /api', async () => {
		const answer = await accessTrade('GET', GET_CONVERSION_PATH, {
			query: { conversion_id: EXAMPLE_CONVERSION, status: 'rejected', reason: 'Hủy đơn' },
		});

		expect(answer.body).toMatchObject({
			data: { code: 0, data: { conversion_parts: [{ status: 'rejected', reason: 'Hủy đơn' }] } },
		});
	});

	it('changes only the named SKU on a part update, and only in that conversion', async () => {
		const answer = await accessTrade('GET', PART_PATH, {
			query: {
				conversion_id: TWO_PART_CONVERSION,
				product_sku: 'SKU003',
				status: 'rejected',
				reason: 'Trả hàng',
			},
		});

		expect(answer.body).toMatchObject({ status: 'success', data: { status: 'success', code: 0 } });
		const statuses = sandbox
			.conversion(TWO_PART_CONVERSION)!
			.conversion_parts.map((part) => [part.sku, part.status]);
		expect(statuses).toEqual([
			['SKU002', 'pending'],
			['SKU003', 'rejected'],
		]);
	});

	it.each([
		[
			'a wrong token',
			'POST',
			CONVERSION_PATH,
			{ token: 'nope' },
			401,
			accessTradeError('Invalid access token'),
		],
		[
			'another campaign',
			'POST',
			'/api/v1/rest/1002/update-conversion-status',
			{},
			404,
			accessTradeError('Campaign not found'),
		],
		[
			'a non-numeric campaign',
			'GET',
			'/api/v1/abc/update-conversion-part-status',
			{},
			404,
			accessTradeError('Campaign not found'),
		],
		[
			'a missing conversion_id',
			'POST',
			CONVERSION_PATH,
			{ body: { status: 'rejected' } },
			400,
			accessTradeError('conversion_id is required'),
		],
		[
			'an invalid status',
			'GET',
			GET_CONVERSION_PATH,
			{ query: { conversion_id: EXAMPLE_CONVERSION, status: 'approved' } },
			200,
			accessTradeError('Invalid status: approved'),
		],
		[
			'an unknown conversion (an error inside a 200)',
			'POST',
			CONVERSION_PATH,
			{ body: { conversion_id: 'nope', status: 'rejected' } },
			200,
			{
				status: 'success',
				data: { status: 'error', data: null, message: 'Conversion not found', code: 404 },
			},
		],
		[
			'an unknown SKU (inner code 1)',
			'GET',
			PART_PATH,
			{ query: { conversion_id: EXAMPLE_CONVERSION, product_sku: 'SKU999', status: 'rejected' } },
			200,
			{
				status: 'success',
				data: { status: 'success', data: null, message: 'Conversion part not found', code: 1 },
			},
		],
		[
			'the POST-only path called with GET',
			'GET',
			CONVERSION_PATH,
			{},
			404,
			accessTradeError('Not found'),
		],
	] as const)('answers %s', async (_case, method, path, request, status, body) => {
		const answer = await accessTrade(method, path, request);

		expect(answer).toMatchObject({ status, body });
		expect(sandbox.conversion(EXAMPLE_CONVERSION)!.conversion_parts[0].status).toBe('pending');
	});
});

describe('AccessTrade create-conversion', () => {
	const CREATE_PATH = '/api/v1/create-conversion';
	const CREATE_BODY = {
		click_id: 'a1b2c3d4e5',
		campaign_id: SANDBOX_CAMPAIGN_ID,
		order_id: 'WC-5123',
		action_time: 1714534200000,
		total_sale_amount: { amount: 490000, currency: 'VND' },
		total_discount: { amount: 20000, currency: 'VND' },
		conversion_parts: [
			{
				id: '77',
				sku: 'AO',
				name: 'Áo',
				quantity: 2,
				price: 180000,
				discount: 20000,
				sale_amount: 340000,
				currency: 'VND',
			},
			{
				id: '78',
				sku: 'NON',
				name: 'Nón',
				quantity: 1,
				price: 150000,
				discount: 0,
				sale_amount: 150000,
				currency: 'VND',
			},
		],
	};

	it('stores the conversion with its parts, pending; the status endpoints then find it by id', async () => {
		const created = await accessTrade('POST', CREATE_PATH, { body: CREATE_BODY });

		expect(created.status).toBe(200);
		const { conversion } = (created.body as { data: { conversion: { conversion_id: string } } })
			.data;
		expect(created.body).toMatchObject({
			status: 'success',
			data: { conversion: { order_id: 'WC-5123', click_id: 'a1b2c3d4e5' } },
		});
		expect(sandbox.conversion(conversion.conversion_id)).toMatchObject({
			order_id: 'WC-5123',
			total_sale_amount: { amount: 490000, currency: 'VND' },
			conversion_parts: [
				{
					id: '77',
					sku: 'AO',
					quantity: 2,
					sale_amount: 340000,
					status: 'pending',
					commission: { amount: 34000, currency: 'VND' },
				},
				{ id: '78', sku: 'NON', status: 'pending' },
			],
		});

		const part = await accessTrade('GET', PART_PATH, {
			query: {
				conversion_id: conversion.conversion_id,
				product_sku: 'NON',
				status: 'rejected',
				reason: 'Trả hàng',
			},
		});
		expect(part.body).toMatchObject({
			data: { code: 0, data: { conversion_id: conversion.conversion_id } },
		});
		const whole = await accessTrade('POST', CONVERSION_PATH, {
			body: { conversion_id: conversion.conversion_id, status: 'pre_approved' },
		});
		expect(whole.body).toMatchObject({ data: { code: 0 } });
		expect(
			sandbox.conversion(conversion.conversion_id)!.conversion_parts.map((p) => p.status),
		).toEqual(['pre_approved', 'pre_approved']);
	});

	it('gives each conversion its own id, and forgets them on reset', async () => {
		const first = await accessTrade('POST', CREATE_PATH, { body: CREATE_BODY });
		const second = await accessTrade('POST', CREATE_PATH, {
			body: { ...CREATE_BODY, order_id: 'WC-5124' },
		});
		const idOf = (answer: Answer) =>
			(answer.body as { data: { conversion: { conversion_id: string } } }).data.conversion
				.conversion_id;

		expect(idOf(first)).not.toBe(idOf(second));
		expect(sandbox.conversions()).toHaveLength(seedCount + 2);
		sandbox.reset();
		expect(sandbox.conversion(idOf(first))).toBeUndefined();
	});

	it.each([
		['a wrong token', { body: CREATE_BODY, token: 'nope' }, 401, 'Invalid access token'],
		[
			'a campaign the token does not belong to',
			{ body: { ...CREATE_BODY, campaign_id: 1002 } },
			403,
			'Access token does not belong to campaign 1002',
		],
		['a missing click_id', { body: { ...CREATE_BODY, click_id: '' } }, 400, 'click_id is required'],
		[
			'action_time in seconds as text',
			{ body: { ...CREATE_BODY, action_time: '1714534200' } },
			400,
			'action_time must be epoch milliseconds',
		],
		[
			'no parts',
			{ body: { ...CREATE_BODY, conversion_parts: [] } },
			400,
			'conversion_parts must be a non-empty list',
		],
		[
			'a sale_amount that is not price × quantity − discount',
			{
				body: {
					...CREATE_BODY,
					conversion_parts: [{ ...CREATE_BODY.conversion_parts[0], sale_amount: 360000 }],
				},
			},
			400,
			'conversion_parts[0].sale_amount must be price × quantity − discount (340000)',
		],
	] as const)('refuses %s and stores nothing', async (_case, request, status, message) => {
		const answer = await accessTrade('POST', CREATE_PATH, request);

		expect(answer).toMatchObject({ status, body: accessTradeError(message) });
		expect(sandbox.conversions()).toHaveLength(seedCount);
	});
});

describe('request log', () => {
	it('records each vendor request with the headers as received and the status sent', async () => {
		await createOrder();
		await salekit('/order/update/?id=235584', { note: 'x' });
		await accessTrade('GET', GET_CONVERSION_PATH, {
			query: { conversion_id: EXAMPLE_CONVERSION, status: 'rejected' },
		});

		expect(sandbox.log).toEqual([
			expect.objectContaining({
				vendor: 'salekit',
				method: 'POST',
				path: '/salekit/api/v1/order/create',
				query: {},
				headers: expect.objectContaining({
					token: SANDBOX_TOKENS.salekit,
					'content-type': 'application/json',
				}),
				body: VALID_ORDER,
				status: 200,
			}),
			expect.objectContaining({
				vendor: 'salekit',
				path: '/salekit/api/v1/order/update/',
				query: { id: '235584' },
			}),
			expect.objectContaining({
				vendor: 'accessTrade',
				method: 'GET',
				headers: expect.objectContaining({ 'x-at-user-access-token': SANDBOX_TOKENS.accessTrade }),
				query: { conversion_id: EXAMPLE_CONVERSION, status: 'rejected' },
				body: undefined,
			}),
		]);
		expect(
			sandbox.log.every((entry) => entry.fault === undefined && typeof entry.at === 'number'),
		).toBe(true);
	});
});

describe("a test's responder", () => {
	it("answers in the vendor's place, is logged, and goes away on reset", async () => {
		sandbox.respondWith((request) => ({
			status: 502,
			body: `<html>${request.method} ${request.path}</html>`,
		}));

		const response = await fetch(`${sandbox.salekitBaseUrl}/order/create`, {
			method: 'POST',
			headers: SALEKIT_HEADERS,
			body: JSON.stringify(VALID_ORDER),
		});

		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await response.text()).toBe('<html>POST /salekit/api/v1/order/create</html>');
		expect(sandbox.orders()).toEqual([]);
		expect(sandbox.log).toEqual([
			expect.objectContaining({
				vendor: 'salekit',
				path: '/salekit/api/v1/order/create',
				body: VALID_ORDER,
				status: 502,
			}),
		]);

		sandbox.reset();
		expect((await createOrder()).status).toBe(200);
		expect(sandbox.orders()).toHaveLength(1);
	});

	it('gives way to an injected fault', async () => {
		sandbox.respondWith(() => ({ body: { error: false, msg: 'from the test' } }));
		sandbox.setFaults([{ fault: { kind: 'status', status: 503 }, first: 1 }]);

		expect((await createOrder()).status).toBe(503);
		expect((await createOrder()).body).toEqual({ error: false, msg: 'from the test' });
	});
});

describe('faults', () => {
	it('answers 429 with Retry-After in the vendor envelope, without processing the request', async () => {
		sandbox.setFaults([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 7 } }]);

		const answer = await createOrder();

		expect(answer.status).toBe(429);
		expect(answer.headers.get('retry-after')).toBe('7');
		expect(answer.body).toEqual(salekitError(/429/));
		expect(sandbox.orders()).toEqual([]);
		expect(sandbox.log[0]).toMatchObject({ status: 429, fault: 'status 429, Retry-After 7s' });
	});

	it('limits a rule to its vendor and uses that vendor error envelope', async () => {
		sandbox.setFaults([
			{ vendor: 'accessTrade', fault: { kind: 'status', status: 503 } },
			{ vendor: 'salekit', fault: { kind: 'status', status: 500 } },
		]);

		const accessTradeAnswer = await accessTrade('POST', CONVERSION_PATH, {
			body: { conversion_id: EXAMPLE_CONVERSION, status: 'rejected' },
		});
		const salekitAnswer = await createOrder();

		expect(accessTradeAnswer).toMatchObject({
			status: 503,
			body: { status: 'error', message: expect.stringMatching(/503/) },
		});
		expect(accessTradeAnswer.headers.get('retry-after')).toBeNull();
		expect(salekitAnswer).toMatchObject({ status: 500, body: salekitError(/500/) });
		expect(sandbox.conversion(EXAMPLE_CONVERSION)!.conversion_parts[0].status).toBe('pending');
	});

	it.each([
		['before', []],
		['after', [235584]],
	] as const)('drops the connection %s processing', async (when, storedIds) => {
		sandbox.setFaults([{ fault: { kind: 'drop', when } }]);

		await expect(createOrder()).rejects.toThrow('fetch failed');

		expect(sandbox.orders().map((order) => order.id)).toEqual(storedIds);
		expect(sandbox.log[0]).toMatchObject({ status: 0, fault: `drop ${when}` });
	});

	it('delays a slow reply and adds latency to every reply', async () => {
		sandbox.setFaults([{ first: 1, fault: { kind: 'slow', delayMs: 150 } }]);
		const slow = await timed(createOrder);
		sandbox.setLatency(100);
		const withLatency = await timed(createOrder);

		expect(slow.elapsedMs).toBeGreaterThanOrEqual(145);
		expect(slow.result.body).toMatchObject({ error: false });
		expect(withLatency.elapsedMs).toBeGreaterThanOrEqual(95);
		expect(sandbox.orders()).toHaveLength(2);
	});

	it.each([
		['every 2nd request', { every: 2 }, [200, 503, 200, 503, 200]],
		['the first 2 requests', { first: 2 }, [503, 503, 200, 200, 200]],
		['every 2nd of the first 3 requests', { first: 3, every: 2 }, [200, 503, 200, 200, 200]],
	])('faults %s', async (_case, selector, statuses) => {
		sandbox.setFaults([{ ...selector, fault: { kind: 'status', status: 503 } }]);

		expect(await statusesOf(sandbox, statuses.length)).toEqual(statuses);
	});

	it('replays the same random faults for the same seed', async () => {
		const rules: FaultRule[] = [{ probability: 0.5, fault: { kind: 'status', status: 503 } }];
		const twin = await startSandbox({ quiet: true, seed: 1 });
		const otherSeed = await startSandbox({ quiet: true, seed: 99 });
		try {
			for (const each of [sandbox, twin, otherSeed]) each.setFaults(rules);
			const patterns = [];
			for (const each of [sandbox, twin, otherSeed]) patterns.push(await statusesOf(each, 16));

			const [first, sameSeed, differentSeed] = patterns;
			expect(sameSeed).toEqual(first);
			expect(differentSeed).not.toEqual(first);
			expect(first).toContain(200);
			expect(first).toContain(503);
		} finally {
			await Promise.all([twin.stop(), otherSeed.stop()]);
		}
	});

	it('rejects invalid rules', () => {
		expect(() =>
			sandbox.setFaults([{ probability: 2, fault: { kind: 'drop', when: 'before' } }]),
		).toThrow(/probability/);
	});
});

describe('control endpoints', () => {
	it('set faults and latency, show log and state, and reset', async () => {
		const faults = await control('POST', 'faults', [
			{ first: 1, fault: { kind: 'status', status: 503 } },
		]);
		const latency = await control('POST', 'latency', { ms: 1 });
		const faulted = await createOrder();
		await createOrder();

		expect([faults, latency].map((answer) => answer.body)).toEqual([{ ok: true }, { ok: true }]);
		expect(faulted.status).toBe(503);
		const log = (await control('GET', 'log')).body as LoggedRequest[];
		expect(log.map((entry) => [entry.vendor, entry.path, entry.status])).toEqual([
			['control', '/__sandbox/faults', 200],
			['control', '/__sandbox/latency', 200],
			['salekit', '/salekit/api/v1/order/create', 503],
			['salekit', '/salekit/api/v1/order/create', 200],
		]);
		const state = (await control('GET', 'state')).body as {
			orders: unknown[];
			conversions: unknown[];
		};
		expect(state.orders).toEqual([expect.objectContaining({ id: 235584 })]);
		expect(state.conversions).toHaveLength(5);

		expect((await control('POST', 'reset')).body).toEqual({ ok: true });
		expect((await control('GET', 'log')).body).toEqual([]);
		expect(sandbox.orders()).toEqual([]);
	});

	it.each([
		['an invalid fault rule', 'faults', [{ fault: { kind: 'explode' } }], 400],
		['a negative latency', 'latency', { ms: -1 }, 400],
		['an unknown endpoint', 'nothing', {}, 404],
	])('refuses %s', async (_case, endpoint, body, status) => {
		const answer = await control('POST', endpoint, body);

		expect(answer).toMatchObject({ status, body: { ok: false } });
		expect(sandbox.log).toEqual([]);
	});
});

describe('reset', () => {
	it('clears log, faults and orders and restores the seeded conversions', async () => {
		await createOrder();
		await accessTrade('POST', CONVERSION_PATH, {
			body: { conversion_id: EXAMPLE_CONVERSION, status: 'rejected' },
		});
		sandbox.setFaults([{ fault: { kind: 'status', status: 500 } }]);

		sandbox.reset();

		expect(sandbox.log).toEqual([]);
		expect(sandbox.orders()).toEqual([]);
		expect(sandbox.conversion(EXAMPLE_CONVERSION)!.conversion_parts[0].status).toBe('pending');
		expect((await createOrder()).body).toMatchObject({ error: false, id: 235584 });
	});
});

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
	const start = performance.now();
	const result = await action();
	return { result, elapsedMs: performance.now() - start };
}

/** The HTTP statuses of `count` sequential Salekit creates against one sandbox. */
async function statusesOf(target: Sandbox, count: number): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < count; i++) statuses.push((await createOrder(target)).status);
	return statuses;
}
