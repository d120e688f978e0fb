import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	MAX_DELIVERY_FAILURES,
	SANDBOX_WOOCOMMERCE_KEYS,
	startSandbox,
	type Sandbox,
} from '../../sandbox/server';
import { WooCommerceShop } from '../../sandbox/wooCommerce';
import { SHOP_PRODUCT_INPUT } from '../helpers/sandbox';

/** Stands in for n8n: records every POST as received (raw body) and answers with `status`. */
class Receiver {
	readonly received: Array<{ headers: IncomingHttpHeaders; body: string; url: string }> = [];
	status = 200;
	private readonly server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			this.received.push({
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				url: req.url ?? '',
			});
			res.writeHead(
				this.status,
				this.status === 301 ? { Location: 'https://elsewhere.example/' } : {},
			);
			res.end('{}');
		});
	});

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	url(path = '/webhook/shop'): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

let sandbox: Sandbox;
let receiver: Receiver;

beforeAll(async () => {
	sandbox = await startSandbox({ quiet: true });
	receiver = new Receiver();
	await receiver.start();
});
afterAll(async () => {
	await sandbox.stop();
	await receiver.stop();
});
beforeEach(() => {
	sandbox.reset();
	receiver.received.length = 0;
	receiver.status = 200;
});

const BASIC = `Basic ${Buffer.from(`${SANDBOX_WOOCOMMERCE_KEYS.consumerKey}:${SANDBOX_WOOCOMMERCE_KEYS.consumerSecret}`).toString('base64')}`;

interface Answer {
	status: number;
	headers: Headers;
	// The tests read the shop's JSON replies field by field.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

async function rest(
	method: string,
	route: string,
	body?: unknown,
	authorization: string | null = BASIC,
): Promise<Answer> {
	const response = await fetch(`${sandbox.wooCommerceUrl}/wp-json/wc/v3${route}`, {
		method,
		headers: {
			...(authorization ? { Authorization: authorization } : {}),
			...(body ? { 'Content-Type': 'application/json' } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, headers: response.headers, body: await response.json() };
}

async function control(path: string, body: unknown): Promise<Answer> {
	const response = await fetch(`${sandbox.url}/__sandbox/woocommerce/${path}`, {
		method: 'POST',
		body: JSON.stringify(body),
	});
	return { status: response.status, headers: response.headers, body: await response.json() };
}

const ORDER = {
	line_items: [
		{ sku: 'AO-THUN-DO-M', name: 'Áo thun đỏ size M', quantity: 2, price: 180000, discount: 20000 },
		{ sku: 'NON-LUOI-TRAI', name: 'Nón lưỡi trai', quantity: 1, price: 150000 },
	],
	shipping_total: 30000,
	click_id: 'f3a9c2e1b7d04a5c9e8f0a1b',
};

const createWebhook = (topic = 'order.created', secret = 'the-webhook-secret') =>
	rest('POST', '/webhooks', { topic, delivery_url: receiver.url(), secret });

describe('consumer key and secret', () => {
	test("without them the API answers 401 in WooCommerce's error shape", async () => {
		const answer = await rest('GET', '/webhooks', undefined, null);
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({
			code: 'woocommerce_rest_cannot_view',
			message: 'Sorry, you cannot list resources.',
			data: { status: 401 },
		});
	});

	test('a wrong key and a wrong secret are each named', async () => {
		const basic = (key: string, secret: string) =>
			`Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
		expect(
			(
				await rest(
					'GET',
					'/orders',
					undefined,
					basic('ck_other', SANDBOX_WOOCOMMERCE_KEYS.consumerSecret),
				)
			).body.message,
		).toBe('Consumer key is invalid.');
		expect(
			(
				await rest(
					'GET',
					'/orders',
					undefined,
					basic(SANDBOX_WOOCOMMERCE_KEYS.consumerKey, 'cs_other'),
				)
			).body.message,
		).toBe('Consumer secret is invalid.');
	});

	test('Basic auth and the query parameters both work', async () => {
		expect((await rest('GET', '/orders')).status).toBe(200);
		const query = new URLSearchParams({
			consumer_key: SANDBOX_WOOCOMMERCE_KEYS.consumerKey,
			consumer_secret: SANDBOX_WOOCOMMERCE_KEYS.consumerSecret,
		});
		expect(
			(await fetch(`${sandbox.wooCommerceUrl}/wp-json/wc/v3/orders?${query.toString()}`)).status,
		).toBe(200);
	});
});

describe('webhooks through the REST API', () => {
	test('create answers 201 with the secret, after pinging the delivery URL with webhook_id', async () => {
		const created = await createWebhook();
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			id: 1,
			status: 'active',
			topic: 'order.created',
			resource: 'order',
			event: 'created',
			delivery_url: receiver.url(),
			secret: 'the-webhook-secret',
		});
		expect(created.headers.get('location')).toBe(
			`${sandbox.wooCommerceUrl}/wp-json/wc/v3/webhooks/1`,
		);
		expect(receiver.received).toHaveLength(1);
		const [ping] = receiver.received;
		expect(ping.body).toBe('webhook_id=1');
		expect(ping.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(ping.headers['x-wc-webhook-id']).toBeUndefined();
		expect(ping.headers['x-wc-webhook-signature']).toBeUndefined();
	});

	test('a ping that fails does not stop the webhook being created, nor count as a failure', async () => {
		receiver.status = 404;
		const created = await createWebhook();
		expect(created.status).toBe(201);
		expect(sandbox.shop.webhooks()[0]).toMatchObject({ status: 'active', failure_count: 0 });
		expect(sandbox.shop.deliveries()[0]).toMatchObject({
			kind: 'ping',
			status: 404,
			succeeded: false,
		});
	});

	test('list (filtered by status) and get leave the secret out; an unknown topic is refused', async () => {
		await createWebhook('order.created');
		await createWebhook('order.updated');
		await rest('PUT', '/webhooks/2', { status: 'paused' });
		const active = await rest('GET', '/webhooks?status=active&per_page=100');
		expect(active.body.map((webhook: { id: number }) => webhook.id)).toEqual([1]);
		expect(active.headers.get('x-wp-total')).toBe('1');
		expect(active.body[0].secret).toBeUndefined();
		expect((await rest('GET', '/webhooks')).body).toHaveLength(2);
		expect((await rest('GET', '/webhooks/2')).body).toMatchObject({
			id: 2,
			status: 'paused',
			topic: 'order.updated',
		});
		const refused = await rest('POST', '/webhooks', {
			topic: 'order.shipped',
			delivery_url: receiver.url(),
		});
		expect(refused).toMatchObject({
			status: 400,
			body: { code: 'woocommerce_rest_shop_webhook_invalid_topic' },
		});
	});

	test('delete needs force=true, as webhooks cannot be trashed', async () => {
		await createWebhook();
		expect(await rest('DELETE', '/webhooks/1')).toMatchObject({
			status: 501,
			body: { code: 'woocommerce_rest_trash_not_supported' },
		});
		expect(await rest('DELETE', '/webhooks/1?force=true')).toMatchObject({
			status: 200,
			body: { id: 1 },
		});
		expect(sandbox.shop.webhooks()).toEqual([]);
		expect((await rest('DELETE', '/webhooks/1?force=true')).status).toBe(404);
	});
});

describe('delivery', () => {
	test('a new order is delivered signed, with the WooCommerce headers, as the REST API writes the order', async () => {
		await createWebhook('order.created');
		await createWebhook('order.updated', 'other-secret');
		receiver.received.length = 0;
		const { body } = await control('orders', ORDER);
		expect(body.deliveries).toHaveLength(1);
		const [delivery] = receiver.received;
		expect(receiver.received).toHaveLength(1);
		expect(delivery.headers).toMatchObject({
			'content-type': 'application/json',
			'x-wc-webhook-source': `${sandbox.wooCommerceUrl}/`,
			'x-wc-webhook-topic': 'order.created',
			'x-wc-webhook-resource': 'order',
			'x-wc-webhook-event': 'created',
			'x-wc-webhook-id': '1',
		});
		expect(delivery.headers['x-wc-webhook-delivery-id']).toMatch(/^[0-9a-f]{32}$/);
		expect(delivery.headers['x-wc-webhook-signature']).toBe(
			createHmac('sha256', 'the-webhook-secret').update(delivery.body).digest('base64'),
		);
		// PHP's json_encode: escaped slashes and \u escapes, so only the raw bytes verify.
		expect(delivery.body).toContain('\\/wp-json\\/wc\\/v3\\/orders');
		expect(delivery.body).toContain('\\u00c1o thun');
		const order = JSON.parse(delivery.body);
		expect(order).toEqual((await rest('GET', `/orders/${body.order.id}`)).body);
		expect(order).toMatchObject({
			id: 5200,
			number: '5200',
			status: 'processing',
			total: '520000',
			discount_total: '20000',
			shipping_total: '30000',
			meta_data: [{ key: '_at_click_id', value: 'f3a9c2e1b7d04a5c9e8f0a1b' }],
			line_items: [
				{ sku: 'AO-THUN-DO-M', quantity: 2, subtotal: '360000', total: '340000' },
				{ sku: 'NON-LUOI-TRAI', quantity: 1, subtotal: '150000', total: '150000' },
			],
		});
	});

	test('a status change goes to the order.updated webhooks only', async () => {
		await createWebhook('order.created');
		await createWebhook('order.updated', 'other-secret');
		const { body } = await control('orders', ORDER);
		receiver.received.length = 0;
		const updated = await control(`orders/${body.order.id}`, { status: 'completed' });
		expect(updated.body.order).toMatchObject({ status: 'completed' });
		expect(receiver.received.map((request) => request.headers['x-wc-webhook-topic'])).toEqual([
			'order.updated',
		]);
		expect(JSON.parse(receiver.received[0].body)).toMatchObject({
			id: body.order.id,
			status: 'completed',
		});
	});

	test(`one attempt each; after more than ${MAX_DELIVERY_FAILURES} failures in a row the webhook is disabled`, async () => {
		await createWebhook();
		receiver.received.length = 0;
		receiver.status = 500;
		for (let n = 1; n <= MAX_DELIVERY_FAILURES + 1; n++) await control('orders', ORDER);
		expect(sandbox.shop.webhooks()[0]).toMatchObject({
			status: 'active',
			failure_count: MAX_DELIVERY_FAILURES + 1,
		});
		await control('orders', ORDER);
		expect(sandbox.shop.webhooks()[0].status).toBe('disabled');
		expect(receiver.received).toHaveLength(MAX_DELIVERY_FAILURES + 2);
		await control('orders', ORDER);
		expect(receiver.received).toHaveLength(MAX_DELIVERY_FAILURES + 2);
		expect((await rest('GET', '/webhooks?status=active')).body).toEqual([]);
	});

	test('a success (2xx, or a 301 not followed) sets the failure count back to 0', async () => {
		await createWebhook();
		receiver.status = 503;
		await control('orders', ORDER);
		await control('orders', ORDER);
		expect(sandbox.shop.webhooks()[0].failure_count).toBe(2);
		receiver.status = 301;
		const { body } = await control('orders', ORDER);
		expect(body.deliveries[0]).toMatchObject({ status: 301, succeeded: true });
		expect(sandbox.shop.webhooks()[0].failure_count).toBe(0);
	});

	test('n8n down: the delivery fails with no status and is not sent again', async () => {
		const stopped = new Receiver();
		await stopped.start();
		const deliveryUrl = stopped.url();
		await stopped.stop();
		await rest('POST', '/webhooks', { topic: 'order.created', delivery_url: deliveryUrl });
		const { body } = await control('orders', ORDER);
		expect(body.deliveries).toEqual([
			expect.objectContaining({ status: 0, succeeded: false, error: 'ECONNREFUSED' }),
		]);
		expect(sandbox.shop.webhooks()[0].failure_count).toBe(1);
		expect(
			sandbox.shop.deliveries().filter((delivery) => delivery.kind === 'delivery'),
		).toHaveLength(1);
	});

	test("as WordPress's safe requests, a shop refuses loopback hosts and ports other than 80, 443 and 8080", async () => {
		const shop = new WooCommerceShop(() => 'https://shop.example', { safeUrlsOnly: true });
		const call = (method: string, path: string, body?: unknown) =>
			shop.handle({ method, path, query: {}, headers: { authorization: BASIC }, body });
		await call('POST', '/wp-json/wc/v3/webhooks', {
			topic: 'order.created',
			delivery_url: receiver.url(),
		});
		const { deliveries } = await shop.createOrder(ORDER);
		expect(deliveries[0]).toMatchObject({ status: 0, error: 'A valid URL was not provided.' });
		expect(receiver.received).toEqual([]);
	});
});

describe('orders through the REST API', () => {
	async function threeOrdersOneModifiedLater(): Promise<{ later: number; cursorGmt: string }> {
		const ids: number[] = [];
		for (let n = 0; n < 3; n++) ids.push((await control('orders', ORDER)).body.order.id);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const cursorGmt = new Date(Date.now() - 500).toISOString().slice(0, 19);
		await new Promise((resolve) => setTimeout(resolve, 600));
		await control(`orders/${ids[1]}`, { status: 'completed' });
		return { later: ids[1], cursorGmt };
	}

	test('modified_after with dates_are_gmt finds the orders changed since', async () => {
		const { later, cursorGmt } = await threeOrdersOneModifiedLater();
		const found = await rest('GET', `/orders?modified_after=${cursorGmt}&dates_are_gmt=true`);
		expect(found.body.map((order: { id: number }) => order.id)).toEqual([later]);
	});

	test("without dates_are_gmt the date is read in the site's time (UTC+7), whatever offset it carries", async () => {
		const { cursorGmt } = await threeOrdersOneModifiedLater();
		// A UTC time read as Vietnam time is 7 h too early: every order matches.
		expect((await rest('GET', `/orders?modified_after=${cursorGmt}Z`)).body).toHaveLength(3);
	});

	test('per_page and page, with X-WP-Total, X-WP-TotalPages and Link', async () => {
		for (let n = 0; n < 5; n++) await control('orders', ORDER);
		const first = await rest('GET', '/orders?per_page=2&orderby=id&order=asc');
		expect(first.body.map((order: { id: number }) => order.id)).toEqual([5200, 5201]);
		expect(first.headers.get('x-wp-total')).toBe('5');
		expect(first.headers.get('x-wp-totalpages')).toBe('3');
		const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
		expect(next).toBe(
			`${sandbox.wooCommerceUrl}/wp-json/wc/v3/orders?per_page=2&orderby=id&order=asc&page=2`,
		);
		const second = await fetch(next!, { headers: { Authorization: BASIC } });
		expect(((await second.json()) as Array<{ id: number }>).map((order) => order.id)).toEqual([
			5202, 5203,
		]);
		expect(second.headers.get('link')).toContain('rel="prev"');
		expect((await rest('GET', '/orders?per_page=101')).body).toMatchObject({
			code: 'rest_invalid_param',
		});
	});
});

describe('orders as WooCommerce keeps them', () => {
	test('shipping, payment method and fee lines as given; refunded refunds what is left', async () => {
		const { order } = await sandbox.shop.createOrder({
			...ORDER,
			shipping: { first_name: 'Bình', address_1: '45 Nguyễn Huệ', phone: '0987654321' },
			payment_method: 'bacs',
			fee_lines: [{ name: 'Phí thu hộ', total: 15000 }],
		});
		expect(order).toMatchObject({
			shipping: { first_name: 'Bình', address_1: '45 Nguyễn Huệ', country: 'VN' },
			payment_method: 'bacs',
			fee_lines: [{ name: 'Phí thu hộ', total: '15000' }],
			refunds: [],
		});
		const total = Number(order.total);
		const { order: refunded } = await sandbox.shop.updateOrder(order.id as number, {
			status: 'refunded',
		});
		expect(refunded.refunds).toEqual([expect.objectContaining({ total: `-${total}` })]);
	});

	test('a checkout draft is delivered as order.created only once it becomes an order; include lists by id', async () => {
		await rest('POST', '/webhooks', { topic: 'order.created', delivery_url: receiver.url() });
		receiver.received.length = 0;
		const draft = await sandbox.shop.createOrder({ ...ORDER, status: 'checkout-draft' });
		expect(draft.deliveries).toEqual([]);
		const placed = await sandbox.shop.updateOrder(draft.order.id as number, {
			status: 'processing',
		});
		expect(placed.deliveries.map((delivery) => delivery.topic)).toEqual(['order.created']);
		const other = await sandbox.shop.createOrder(ORDER);
		const listed = await rest('GET', `/orders?include=${String(other.order.id)}`);
		expect(listed.body.map((order: { id: number }) => order.id)).toEqual([other.order.id]);
	});
});

describe('products', () => {
	// With a read-only field, which the shop ignores: it gives its own id.
	const PRODUCT = { ...SHOP_PRODUCT_INPUT, id: 999 };

	test('a new product is delivered signed to the product.created webhooks only, as GET /products/{id} answers it', async () => {
		await createWebhook('product.created', 'product-secret');
		await createWebhook('product.updated', 'other-secret');
		await createWebhook('order.created', 'order-secret');
		receiver.received.length = 0;
		const { status, body } = await control('products', PRODUCT);
		expect(status).toBe(200);
		expect(receiver.received).toHaveLength(1);
		const [delivery] = receiver.received;
		expect(delivery.headers).toMatchObject({
			'x-wc-webhook-topic': 'product.created',
			'x-wc-webhook-resource': 'product',
			'x-wc-webhook-event': 'created',
			'x-wc-webhook-id': '1',
		});
		expect(delivery.headers['x-wc-webhook-signature']).toBe(
			createHmac('sha256', 'product-secret').update(delivery.body).digest('base64'),
		);
		expect(delivery.body).toContain('\\u00c1o thun');
		const product = JSON.parse(delivery.body);
		expect(product).toEqual((await rest('GET', `/products/${body.product.id}`)).body);
		expect(product).toMatchObject({
			id: 300,
			name: 'Áo thun cotton',
			slug: 'ao-thun-cotton',
			sku: 'AO-THUN-M',
			price: '199000',
			on_sale: true,
			dimensions: { length: '30', width: '20', height: '5' },
			images: [{ src: PRODUCT.images[0].src, name: 'ao-thun-cotton', alt: 'Áo thun cotton' }],
		});
		expect(body.deliveries).toEqual([
			expect.objectContaining({
				kind: 'delivery',
				topic: 'product.created',
				resourceId: 300,
				status: 200,
				succeeded: true,
			}),
		]);
	});

	test('an edit is delivered to the product.updated webhooks with the product as it is now', async () => {
		await createWebhook('product.created', 'product-secret');
		await createWebhook('product.updated', 'other-secret');
		const { body } = await control('products', PRODUCT);
		receiver.received.length = 0;
		const updated = await control(`products/${body.product.id}`, { sale_price: '189000' });
		expect(receiver.received.map((delivery) => delivery.headers['x-wc-webhook-topic'])).toEqual([
			'product.updated',
		]);
		const product = JSON.parse(receiver.received[0].body);
		expect(product).toMatchObject({
			id: body.product.id,
			name: 'Áo thun cotton',
			price: '189000',
			sale_price: '189000',
		});
		expect(receiver.received[0].headers['x-wc-webhook-signature']).toBe(
			createHmac('sha256', 'other-secret').update(receiver.received[0].body).digest('base64'),
		);
		expect(updated.body.product).toEqual(product);
	});

	test('through the REST API: POST creates (201) and delivers, PUT updates, GET lists; a bad field changes nothing', async () => {
		await createWebhook('product.created');
		receiver.received.length = 0;
		const created = await rest('POST', '/products', PRODUCT);
		expect(created.status).toBe(201);
		expect(receiver.received).toHaveLength(1);
		expect(
			(await rest('PUT', `/products/${created.body.id}`, { name: 'Áo thun' })).body,
		).toMatchObject({ id: created.body.id, name: 'Áo thun' });
		expect(
			(await rest('GET', '/products')).body.map((product: { id: number }) => product.id),
		).toEqual([created.body.id]);
		expect((await rest('POST', '/products', { sku: 'NO-NAME' })).body).toMatchObject({
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): name',
		});
		expect(
			(await rest('PUT', `/products/${created.body.id}`, { regular_price: 'cheap' })).status,
		).toBe(400);
		expect((await rest('GET', '/products/12345')).status).toBe(404);
		expect((await rest('GET', '/products')).body).toHaveLength(1);
		expect(receiver.received).toHaveLength(1);
	});
});
