/**
 * A fake WooCommerce shop: the REST API v3 routes n8n's WooCommerce Trigger, WooCommerce node and
 * HTTP Request node (with the wooCommerceApi credential) call, and webhook delivery as WooCommerce
 * core does it. Written from WooCommerce's source (includes/class-wc-webhook.php,
 * rest-api/Controllers/Version1..3 webhooks and orders controllers, class-wc-rest-authentication.php)
 * and WordPress's (wp_safe_remote_post, wp_http_validate_url), not from what the examples need.
 * Where it simplifies, docs/woocommerce.md says so.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

import { isJsonObject, type VendorReply, type VendorRequest } from './vendor';

/** The REST API key the sandbox's shop accepts (WooCommerce → Settings → Advanced → REST API). */
export const SANDBOX_WOOCOMMERCE_KEYS = {
	consumerKey: 'ck_sandbox0000000000000000000000000000000000',
	consumerSecret: 'cs_sandbox0000000000000000000000000000000000',
} as const;

/** `woocommerce_max_webhook_delivery_failures`: a webhook is disabled after MORE than this many failures in a row. */
export const MAX_DELIVERY_FAILURES = 5;

const REST_PREFIX = '/wp-json/wc/v3';
const WC_VERSION = '9.4.2';
const WP_VERSION = '6.7.1';
const USER_AGENT = `WooCommerce/${WC_VERSION} Hookshot (WordPress/${WP_VERSION})`;
/** WooCommerce delivers with a one-minute timeout (MINUTE_IN_SECONDS); the ping uses WordPress's default 5 s. */
const DELIVERY_TIMEOUT_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;
/** wp_http_validate_url lets a "safe" request reach only these ports (filter http_allowed_safe_ports). */
const SAFE_PORTS = ['80', '443', '8080'];
const FIRST_ORDER_ID = 5200;
const FIRST_PRODUCT_ID = 300;
const FIRST_WEBHOOK_ID = 1;

const WEBHOOK_RESOURCES = ['coupon', 'customer', 'order', 'product'];
const WEBHOOK_EVENTS = ['created', 'updated', 'deleted', 'restored'];
const WEBHOOK_STATUSES = ['active', 'paused', 'disabled'];
const ORDER_STATUSES = [
	'pending',
	'processing',
	'on-hold',
	'completed',
	'cancelled',
	'refunded',
	'failed',
	'checkout-draft',
];

export interface ShopWebhook {
	id: number;
	name: string;
	status: string;
	topic: string;
	resource: string;
	event: string;
	delivery_url: string;
	secret: string;
	/** Failed deliveries in a row; a success sets it back to 0. */
	failure_count: number;
	date_created: Date;
	date_modified: Date;
}

/** One POST the shop made to a delivery URL: a ping or a delivery. */
export interface ShopDelivery {
	webhookId: number;
	kind: 'ping' | 'delivery';
	topic: string;
	/** The order's or product's id for a delivery. */
	resourceId?: number;
	url: string;
	at: number;
	headers: Record<string, string>;
	/** Exactly the bytes sent (and signed). */
	body: string;
	/** The HTTP status received; 0 when there was none (refused, timed out, invalid URL). */
	status: number;
	error?: string;
	/** Counted as WooCommerce counts it: 2xx, 301 and 302 succeed, anything else fails. */
	succeeded: boolean;
}

export interface OrderLineInput {
	sku: string;
	name?: string;
	quantity: number;
	/** Unit price before discount. */
	price: number;
	/** Discount on the whole line. */
	discount?: number;
}

/** What a buyer's checkout (or the shop manager) decides; the shop fills in the rest. */
export interface OrderInput {
	status?: string;
	billing?: Record<string, string>;
	/** Where to deliver; without it the shop copies the billing address. */
	shipping?: Record<string, string>;
	/** WooCommerce's gateway id: cod (the default), bacs, vnpay… */
	payment_method?: string;
	line_items: OrderLineInput[];
	shipping_total?: number;
	/** Fees on top of goods and shipping (a cash-on-delivery fee); negative for a discount. */
	fee_lines?: Array<{ name: string; total: number }>;
	/** Saved as the order meta `_at_click_id`, as the README's checkout snippet saves it. */
	click_id?: string;
	meta_data?: Array<{ key: string; value: unknown }>;
	customer_note?: string;
}

export interface OrderChanges {
	status?: string;
	/** Replaced field by field, as the order screen saves them. */
	billing?: Record<string, string>;
	shipping?: Record<string, string>;
	customer_note?: string;
	meta_data?: Array<{ key: string; value: unknown }>;
}

/**
 * The writable product fields the shop keeps, as POST/PUT /products takes them (any other field,
 * read-only ones like id or dates included, is ignored as WordPress ignores unknown arguments).
 */
export interface ProductInput {
	name?: string;
	type?: string;
	status?: string;
	sku?: string;
	regular_price?: string;
	sale_price?: string;
	description?: string;
	short_description?: string;
	weight?: string;
	dimensions?: { length?: string; width?: string; height?: string };
	categories?: Array<{ id: number; name?: string; slug?: string }>;
	images?: Array<{ src: string; name?: string; alt?: string }>;
	slug?: string;
}

interface StoredProduct {
	id: number;
	created: Date;
	modified: Date;
	fields: Required<Omit<ProductInput, 'images'>> & {
		images: Array<{ id: number; src: string; name: string; alt: string }>;
	};
}

const PRODUCT_TYPES = ['simple', 'grouped', 'external', 'variable'];
const PRODUCT_STATUSES = ['draft', 'pending', 'private', 'publish'];

interface StoredOrder {
	id: number;
	orderKey: string;
	status: string;
	created: Date;
	modified: Date;
	paid: Date | null;
	completed: Date | null;
	billing: Record<string, string>;
	/** Undefined: the billing address is copied, as WooCommerce does without a separate one. */
	shipping?: Record<string, string>;
	paymentMethod: string;
	lines: Array<Required<OrderLineInput> & { id: number }>;
	fees: Array<{ id: number; name: string; total: number }>;
	refunds: Array<{ id: number; reason: string; total: number }>;
	shippingTotal: number;
	shippingLineId: number;
	meta: Array<{ id: number; key: string; value: unknown }>;
	customerNote: string;
}

export interface ShopOptions {
	/** The site's timezone as an offset from UTC in minutes (WordPress → Settings → General). Default +07:00. */
	utcOffsetMinutes?: number;
	/**
	 * Refuse delivery URLs as WordPress's wp_safe_remote_post does: hosts on loopback or private
	 * networks, and ports other than 80, 443 and 8080. Off by default, because the tests' n8n
	 * listens on 127.0.0.1 and a random port.
	 */
	safeUrlsOnly?: boolean;
	/** Default 60 s, as WooCommerce. */
	deliveryTimeoutMs?: number;
}

interface RestError {
	code: string;
	message: string;
	status: number;
}

const restError = (
	{ code, message, status }: RestError,
	headers?: Record<string, string>,
): VendorReply => ({
	status,
	body: { code, message, data: { status } },
	headers,
});

const NO_ROUTE: RestError = {
	code: 'rest_no_route',
	message: 'No route was found matching the URL and request method.',
	status: 404,
};

export class WooCommerceShop {
	private webhookList: ShopWebhook[] = [];
	private orderList: StoredOrder[] = [];
	private productList: StoredProduct[] = [];
	private deliveryLog: ShopDelivery[] = [];
	private nextWebhookId = FIRST_WEBHOOK_ID;
	private nextOrderId = FIRST_ORDER_ID;
	private nextProductId = FIRST_PRODUCT_ID;
	private nextItemId = 1;
	private readonly utcOffsetMinutes: number;
	private readonly safeUrlsOnly: boolean;
	private readonly deliveryTimeoutMs: number;

	/** `siteUrl` is read when needed: the server knows its port only once it listens. */
	constructor(
		private readonly siteUrl: () => string,
		options: ShopOptions = {},
	) {
		this.utcOffsetMinutes = options.utcOffsetMinutes ?? 7 * 60;
		this.safeUrlsOnly = options.safeUrlsOnly ?? false;
		this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? DELIVERY_TIMEOUT_MS;
	}

	reset(): void {
		this.webhookList = [];
		this.orderList = [];
		this.productList = [];
		this.deliveryLog = [];
		this.nextWebhookId = FIRST_WEBHOOK_ID;
		this.nextOrderId = FIRST_ORDER_ID;
		this.nextProductId = FIRST_PRODUCT_ID;
		this.nextItemId = 1;
	}

	webhooks(): ShopWebhook[] {
		return this.webhookList.map((webhook) => ({ ...webhook }));
	}

	deliveries(): ShopDelivery[] {
		return this.deliveryLog.map((delivery) => ({ ...delivery }));
	}

	/** Every order as GET /orders/{id} answers it. */
	orders(): Array<Record<string, unknown>> {
		return this.orderList.map((order) => this.orderJson(order));
	}

	/** A checkout: stores the order, then delivers `order.created` to each active webhook of that topic. */
	async createOrder(
		input: unknown,
	): Promise<{ order: Record<string, unknown>; deliveries: ShopDelivery[] }> {
		const order = this.storeOrder(input);
		const json = this.orderJson(order);
		// WooCommerce sends no order.created for a checkout draft, only once it becomes an order.
		if (order.status === 'checkout-draft') return { order: json, deliveries: [] };
		return { order: json, deliveries: await this.deliverTopic('order.created', order.id, json) };
	}

	/** The shop manager changes an order: `order.updated` to each active webhook of that topic. */
	async updateOrder(
		id: number,
		changes: unknown,
	): Promise<{ order: Record<string, unknown>; deliveries: ShopDelivery[] }> {
		const order = this.orderList.find((candidate) => candidate.id === id);
		if (!order) throw new Error(`No order ${id} in the shop`);
		if (!isJsonObject(changes)) throw new Error('changes must be an object');
		const { status, billing, shipping, customer_note, meta_data } = changes as OrderChanges;
		const wasDraft = order.status === 'checkout-draft';
		if (status !== undefined) this.setStatus(order, status);
		if (billing !== undefined) order.billing = { ...order.billing, ...billing };
		if (shipping !== undefined) order.shipping = { ...this.shippingOf(order), ...shipping };
		if (customer_note !== undefined) order.customerNote = String(customer_note);
		for (const { key, value } of meta_data ?? []) this.setMeta(order, key, value);
		order.modified = this.now();
		const json = this.orderJson(order);
		if (wasDraft && order.status !== 'checkout-draft')
			return { order: json, deliveries: await this.deliverTopic('order.created', order.id, json) };
		return { order: json, deliveries: await this.deliverTopic('order.updated', order.id, json) };
	}

	/** Every product as GET /products/{id} answers it. */
	products(): Array<Record<string, unknown>> {
		return this.productList.map((product) => this.productJson(product));
	}

	/** The shop manager adds a product (or POST /products): `product.created` to each active webhook of that topic. */
	async createProduct(
		input: unknown,
	): Promise<{ product: Record<string, unknown>; deliveries: ShopDelivery[] }> {
		const now = this.now();
		const product: StoredProduct = {
			id: 0,
			created: now,
			modified: now,
			fields: { ...EMPTY_PRODUCT, images: [] },
		};
		this.setProductFields(product, input, true);
		product.id = this.nextProductId++;
		this.productList.push(product);
		const json = this.productJson(product);
		return {
			product: json,
			deliveries: await this.deliverTopic('product.created', product.id, json),
		};
	}

	/** The shop manager edits a product (or PUT /products/{id}): `product.updated` to each active webhook of that topic. */
	async updateProduct(
		id: number,
		changes: unknown,
	): Promise<{ product: Record<string, unknown>; deliveries: ShopDelivery[] }> {
		const product = this.productList.find((candidate) => candidate.id === id);
		if (!product) throw new Error(`No product ${id} in the shop`);
		this.setProductFields(product, changes, false);
		product.modified = this.now();
		const json = this.productJson(product);
		return {
			product: json,
			deliveries: await this.deliverTopic('product.updated', product.id, json),
		};
	}

	/** A request below the shop's site root, e.g. "/wp-json/wc/v3/orders". */
	async handle(request: VendorRequest): Promise<VendorReply> {
		if (!request.path.startsWith(`${REST_PREFIX}/`)) return restError(NO_ROUTE);
		const route = request.path.slice(REST_PREFIX.length);
		const denied = this.authenticate(request);
		if (denied) return denied;
		const method = request.method === 'PATCH' ? 'PUT' : request.method;
		const params = {
			...request.query,
			...(isJsonObject(request.body) ? request.body : formFields(request.body)),
		};

		if (route === '/webhooks' && method === 'GET') return this.listWebhooks(params);
		if (route === '/webhooks' && method === 'POST') return await this.createWebhook(params);
		const webhookId = /^\/webhooks\/(\d+)$/.exec(route)?.[1];
		if (webhookId !== undefined) {
			const id = Number(webhookId);
			if (method === 'GET') return this.readWebhook(id);
			if (method === 'PUT' || method === 'POST') return this.updateWebhook(id, params);
			if (method === 'DELETE') return this.deleteWebhook(id, params);
		}
		if (route === '/orders' && method === 'GET') return this.listOrders(params);
		const orderId = /^\/orders\/(\d+)$/.exec(route)?.[1];
		if (orderId !== undefined && method === 'GET') {
			const order = this.orderList.find((candidate) => candidate.id === Number(orderId));
			if (!order)
				return restError({
					code: 'woocommerce_rest_shop_order_invalid_id',
					message: 'Invalid ID.',
					status: 404,
				});
			return { status: 200, body: this.orderJson(order) };
		}
		// What the wooCommerceApi credential's Test calls.
		if (route === '/products/categories' && method === 'GET') return this.page([], params, route);
		if (route === '/products' && method === 'GET') {
			return this.page(
				[...this.productList]
					.sort((a, b) => b.created.getTime() - a.created.getTime() || b.id - a.id)
					.map((product) => this.productJson(product)),
				params,
				route,
			);
		}
		if (route === '/products' && method === 'POST')
			return await this.productWrite(201, () => this.createProduct(params));
		const productId = /^\/products\/(\d+)$/.exec(route)?.[1];
		if (productId !== undefined) {
			const product = this.productList.find((candidate) => candidate.id === Number(productId));
			if (!product)
				return restError({
					code: 'woocommerce_rest_product_invalid_id',
					message: 'Invalid ID.',
					status: 404,
				});
			if (method === 'GET') return { status: 200, body: this.productJson(product) };
			if (method === 'PUT' || method === 'POST')
				return await this.productWrite(200, () => this.updateProduct(product.id, params));
		}
		return restError(NO_ROUTE);
	}

	/**
	 * Consumer key and secret as WooCommerce takes them over https: HTTP Basic auth, else the
	 * `consumer_key` and `consumer_secret` query parameters. (Over plain http WooCommerce wants
	 * OAuth 1.0a signatures instead, which n8n's credential does not make: the shop stands for a
	 * site served over https, e.g. behind a TLS proxy.)
	 */
	private authenticate(request: VendorRequest): VendorReply | undefined {
		const basic = /^Basic\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
		let key: string | undefined;
		let secret: string | undefined;
		if (basic !== undefined) {
			const decoded = Buffer.from(basic, 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			[key, secret] =
				colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
		} else if (request.query.consumer_key !== undefined) {
			key = request.query.consumer_key;
			secret = request.query.consumer_secret ?? '';
		}
		const unauthorized = (code: string, message: string) =>
			restError(
				{ code, message, status: 401 },
				{ 'WWW-Authenticate': 'Basic realm="WooCommerce REST API"' },
			);
		if (key === undefined)
			return unauthorized('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
		if (key !== SANDBOX_WOOCOMMERCE_KEYS.consumerKey)
			return unauthorized('woocommerce_rest_authentication_error', 'Consumer key is invalid.');
		if (secret !== SANDBOX_WOOCOMMERCE_KEYS.consumerSecret) {
			return unauthorized('woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
		}
		return undefined;
	}

	// ---- webhooks -------------------------------------------------------------------------------

	private listWebhooks(params: Record<string, unknown>): VendorReply {
		const status = String(params.status ?? 'all');
		if (status !== 'all' && !WEBHOOK_STATUSES.includes(status)) return invalidParam('status');
		const chosen = this.webhookList
			.filter((webhook) => status === 'all' || webhook.status === status)
			.sort((a, b) => b.date_created.getTime() - a.date_created.getTime() || b.id - a.id);
		return this.page(
			chosen.map((webhook) => this.webhookJson(webhook, false)),
			params,
			'/webhooks',
		);
	}

	private async createWebhook(params: Record<string, unknown>): Promise<VendorReply> {
		if (params.id !== undefined && params.id !== '') {
			return restError({
				code: 'woocommerce_rest_shop_webhook_exists',
				message: 'Cannot create existing shop_webhook.',
				status: 400,
			});
		}
		const missing = ['topic', 'delivery_url'].filter((name) => params[name] === undefined);
		if (missing.length > 0) {
			return restError({
				code: 'rest_missing_callback_param',
				message: `Missing parameter(s): ${missing.join(', ')}`,
				status: 400,
			});
		}
		const topic = String(params.topic).toLowerCase();
		if (!isValidTopic(topic)) {
			return restError({
				code: 'woocommerce_rest_shop_webhook_invalid_topic',
				message: 'Webhook topic is required and must be valid.',
				status: 400,
			});
		}
		const deliveryUrl = String(params.delivery_url);
		if (!/^https?:\/\/[^\s]+$/i.test(deliveryUrl)) {
			return restError({
				code: 'woocommerce_rest_shop_webhook_invalid_delivery_url',
				message: 'Webhook delivery URL must be a valid URL starting with http:// or https://.',
				status: 400,
			});
		}
		const now = this.now();
		const [resource, event] = topic.split('.');
		const webhook: ShopWebhook = {
			id: this.nextWebhookId++,
			name:
				typeof params.name === 'string' && params.name !== ''
					? params.name
					: `Webhook created on ${now.toUTCString()}`,
			// The REST API creates webhooks active, whatever status the request names.
			status: 'active',
			topic,
			resource,
			event,
			delivery_url: deliveryUrl,
			secret:
				typeof params.secret === 'string' && params.secret !== ''
					? params.secret
					: randomBytes(38).toString('base64').slice(0, 50),
			failure_count: 0,
			date_created: now,
			date_modified: now,
		};
		this.webhookList.push(webhook);
		const reply: VendorReply = {
			status: 201,
			body: this.webhookJson(webhook, true),
			headers: { Location: `${this.siteUrl()}${REST_PREFIX}/webhooks/${webhook.id}` },
		};
		// WooCommerce pings after saving and before answering; the ping's outcome changes nothing.
		await this.ping(webhook);
		return reply;
	}

	private readWebhook(id: number): VendorReply {
		const webhook = this.webhookList.find((candidate) => candidate.id === id);
		if (!webhook)
			return restError({
				code: 'woocommerce_rest_shop_webhook_invalid_id',
				message: 'ID is invalid.',
				status: 400,
			});
		return { status: 200, body: this.webhookJson(webhook, false) };
	}

	private updateWebhook(id: number, params: Record<string, unknown>): VendorReply {
		const webhook = this.webhookList.find((candidate) => candidate.id === id);
		if (!webhook)
			return restError({
				code: 'woocommerce_rest_shop_webhook_invalid_id',
				message: 'ID is invalid.',
				status: 400,
			});
		if (params.topic !== undefined && params.topic !== '') {
			const topic = String(params.topic).toLowerCase();
			if (!isValidTopic(topic))
				return restError({
					code: 'woocommerce_rest_shop_webhook_invalid_topic',
					message: 'Webhook topic must be valid.',
					status: 400,
				});
			[webhook.resource, webhook.event] = topic.split('.');
			webhook.topic = topic;
		}
		if (params.delivery_url !== undefined && params.delivery_url !== '')
			webhook.delivery_url = String(params.delivery_url);
		if (params.secret !== undefined && params.secret !== '') webhook.secret = String(params.secret);
		if (params.name !== undefined && params.name !== '') webhook.name = String(params.name);
		if (params.status !== undefined && params.status !== '') {
			const status = String(params.status).toLowerCase();
			if (!WEBHOOK_STATUSES.includes(status)) {
				return restError({
					code: 'woocommerce_rest_shop_webhook_invalid_status',
					message: 'Webhook status must be valid.',
					status: 400,
				});
			}
			webhook.status = status;
		}
		webhook.date_modified = this.now();
		return { status: 200, body: this.webhookJson(webhook, true) };
	}

	private deleteWebhook(id: number, params: Record<string, unknown>): VendorReply {
		if (!['true', '1', true, 1].includes(params.force as string)) {
			return restError({
				code: 'woocommerce_rest_trash_not_supported',
				message: 'Webhooks do not support trashing.',
				status: 501,
			});
		}
		const index = this.webhookList.findIndex((candidate) => candidate.id === id);
		if (index < 0)
			return restError({
				code: 'woocommerce_rest_shop_webhook_invalid_id',
				message: 'Invalid ID.',
				status: 404,
			});
		const [webhook] = this.webhookList.splice(index, 1);
		return { status: 200, body: this.webhookJson(webhook, true) };
	}

	/** The v3 webhook shape; the secret only in the "edit" context (create, update, delete answers). */
	private webhookJson(webhook: ShopWebhook, editContext: boolean): Record<string, unknown> {
		const { id, name, status, topic, resource, event, delivery_url, secret } = webhook;
		return {
			id,
			name,
			status,
			topic,
			resource,
			event,
			hooks: [
				`woocommerce_${event === 'created' ? 'new' : event === 'updated' ? 'update' : event}_${resource}`,
			],
			delivery_url,
			...(editContext ? { secret } : {}),
			date_created: this.localDate(webhook.date_created),
			date_created_gmt: gmtDate(webhook.date_created),
			date_modified: this.localDate(webhook.date_modified),
			date_modified_gmt: gmtDate(webhook.date_modified),
			_links: {
				self: [{ href: `${this.siteUrl()}${REST_PREFIX}/webhooks/${id}` }],
				collection: [{ href: `${this.siteUrl()}${REST_PREFIX}/webhooks` }],
			},
		};
	}

	// ---- delivery -------------------------------------------------------------------------------

	/** WC_Webhook::deliver_ping: a form post `webhook_id=N`, no signature; only HTTP 200 counts as reached. */
	private async ping(webhook: ShopWebhook): Promise<void> {
		const body = `webhook_id=${webhook.id}`;
		const headers = {
			'Content-Type': 'application/x-www-form-urlencoded',
			'User-Agent': USER_AGENT,
		};
		const outcome = await this.post(webhook.delivery_url, headers, body, PING_TIMEOUT_MS);
		this.deliveryLog.push({
			webhookId: webhook.id,
			kind: 'ping',
			topic: webhook.topic,
			url: webhook.delivery_url,
			at: Date.now(),
			headers,
			body,
			...outcome,
			succeeded: outcome.status === 200,
		});
	}

	/** `resource` is what GET /{resource}s/{id} answers, which WC_Webhook::build_payload sends. */
	private async deliverTopic(
		topic: string,
		resourceId: number,
		resource: Record<string, unknown>,
	): Promise<ShopDelivery[]> {
		const webhooks = this.webhookList.filter(
			(webhook) => webhook.status === 'active' && webhook.topic === topic,
		);
		const deliveries: ShopDelivery[] = [];
		for (const webhook of webhooks)
			deliveries.push(await this.deliver(webhook, resourceId, resource));
		return deliveries;
	}

	/** WC_Webhook::deliver and log_delivery: one attempt, then the failure count. */
	private async deliver(
		webhook: ShopWebhook,
		resourceId: number,
		resource: Record<string, unknown>,
	): Promise<ShopDelivery> {
		const body = phpJsonEncode(resource);
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'User-Agent': USER_AGENT,
			'X-WC-Webhook-Source': `${this.siteUrl()}/`,
			'X-WC-Webhook-Topic': webhook.topic,
			'X-WC-Webhook-Resource': webhook.resource,
			'X-WC-Webhook-Event': webhook.event,
			'X-WC-Webhook-Signature': createHmac('sha256', webhook.secret).update(body).digest('base64'),
			'X-WC-Webhook-ID': String(webhook.id),
			'X-WC-Webhook-Delivery-ID': createHash('md5')
				.update(`${webhook.id}${Math.floor(Date.now() / 1000)}${randomBytes(4).toString('hex')}`)
				.digest('hex'),
		};
		const outcome = await this.post(webhook.delivery_url, headers, body, this.deliveryTimeoutMs);
		const succeeded = outcome.status >= 200 && outcome.status < 303;
		if (succeeded) webhook.failure_count = 0;
		else if (webhook.failure_count > MAX_DELIVERY_FAILURES) webhook.status = 'disabled';
		else webhook.failure_count++;
		const delivery: ShopDelivery = {
			webhookId: webhook.id,
			kind: 'delivery',
			topic: webhook.topic,
			resourceId,
			url: webhook.delivery_url,
			at: Date.now(),
			headers,
			body,
			...outcome,
			succeeded,
		};
		this.deliveryLog.push(delivery);
		return delivery;
	}

	private async post(
		url: string,
		headers: Record<string, string>,
		body: string,
		timeoutMs: number,
	): Promise<{ status: number; error?: string }> {
		if (this.safeUrlsOnly && !isSafeUrl(url))
			return { status: 0, error: 'A valid URL was not provided.' };
		try {
			// No redirect is followed ('redirection' => 0); a 301/302 is itself the answer.
			const response = await fetch(url, {
				method: 'POST',
				headers,
				body,
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
			});
			await response.arrayBuffer();
			return { status: response.status };
		} catch (error) {
			const cause = (error as { cause?: { code?: string } }).cause?.code;
			return { status: 0, error: cause ?? (error as Error).message };
		}
	}

	// ---- orders ---------------------------------------------------------------------------------

	private storeOrder(input: unknown): StoredOrder {
		if (!isJsonObject(input)) throw new Error('The order must be an object');
		const {
			status = 'processing',
			billing = {},
			shipping,
			payment_method = 'cod',
			line_items,
			shipping_total = 0,
			fee_lines = [],
			click_id,
			meta_data = [],
			customer_note = '',
		} = input as unknown as OrderInput;
		if (!Array.isArray(line_items) || line_items.length === 0)
			throw new Error('line_items must list at least one line');
		const lines = line_items.map((line, index) => {
			if (
				!isJsonObject(line) ||
				typeof line.sku !== 'string' ||
				!isCount(line.quantity) ||
				!isAmount(line.price)
			) {
				throw new Error(
					`line_items[${index}] needs sku (text), quantity (whole number > 0) and price (number >= 0)`,
				);
			}
			const discount = line.discount ?? 0;
			if (!isAmount(discount))
				throw new Error(`line_items[${index}].discount must be a number >= 0`);
			return {
				id: this.nextItemId++,
				sku: line.sku,
				name: line.name ?? line.sku,
				quantity: line.quantity,
				price: line.price,
				discount,
			};
		});
		if (!isAmount(shipping_total)) throw new Error('shipping_total must be a number >= 0');
		const fees = fee_lines.map(({ name, total }, index) => {
			if (typeof total !== 'number' || !Number.isFinite(total))
				throw new Error(`fee_lines[${index}].total must be a number`);
			return { id: this.nextItemId++, name: String(name), total };
		});
		const now = this.now();
		const order: StoredOrder = {
			id: this.nextOrderId++,
			orderKey: `wc_order_${randomBytes(7).toString('hex').slice(0, 13)}`,
			status: 'pending',
			created: now,
			modified: now,
			paid: null,
			completed: null,
			billing: { ...DEFAULT_BILLING, ...billing },
			shipping: shipping && { ...EMPTY_ADDRESS, ...shipping },
			paymentMethod: String(payment_method),
			lines,
			fees,
			refunds: [],
			shippingTotal: shipping_total,
			shippingLineId: this.nextItemId++,
			meta: [],
			customerNote: String(customer_note),
		};
		this.setStatus(order, status);
		for (const { key, value } of meta_data) this.setMeta(order, key, value);
		if (click_id !== undefined) this.setMeta(order, '_at_click_id', click_id);
		this.orderList.push(order);
		return order;
	}

	private setStatus(order: StoredOrder, status: string): void {
		const bare = status.replace(/^wc-/, '');
		if (!ORDER_STATUSES.includes(bare))
			throw new Error(`status must be one of ${ORDER_STATUSES.join(', ')}`);
		order.status = bare;
		const now = this.now();
		// As WC_Order::maybe_set_date_paid: also for cash on delivery, before any money changed hands.
		if (['processing', 'completed'].includes(bare)) order.paid ??= now;
		if (bare === 'completed') order.completed ??= now;
		// Marking an order refunded refunds what is left of it (wc_order_fully_refunded).
		if (bare === 'refunded') {
			const left =
				this.totalOf(order) - order.refunds.reduce((sum, refund) => sum + refund.total, 0);
			if (left > 0) order.refunds.push({ id: this.nextItemId++, reason: '', total: left });
		}
	}

	private totalOf(order: StoredOrder): number {
		const items = order.lines.reduce(
			(sum, line) => sum + line.price * line.quantity - line.discount,
			0,
		);
		return items + order.shippingTotal + order.fees.reduce((sum, fee) => sum + fee.total, 0);
	}

	/** The shipping address as the REST API shows it: the billing one copied when none was given. */
	private shippingOf(order: StoredOrder): Record<string, string> {
		if (order.shipping) return { ...order.shipping };
		const { first_name, last_name, company, address_1, address_2, city, state, postcode, country } =
			order.billing;
		return {
			first_name,
			last_name,
			company,
			address_1,
			address_2,
			city,
			state,
			postcode,
			country,
			phone: '',
		};
	}

	private setMeta(order: StoredOrder, key: string, value: unknown): void {
		const existing = order.meta.find((meta) => meta.key === key);
		if (existing) existing.value = value;
		else order.meta.push({ id: this.nextItemId++, key, value });
	}

	private listOrders(params: Record<string, unknown>): VendorReply {
		const gmt = ['true', '1', true].includes(params.dates_are_gmt as string);
		const bounds: Array<[param: string, field: 'created' | 'modified', after: boolean]> = [
			['after', 'created', true],
			['before', 'created', false],
			['modified_after', 'modified', true],
			['modified_before', 'modified', false],
		];
		const filters: Array<(order: StoredOrder) => boolean> = [];
		for (const [param, field, after] of bounds) {
			if (params[param] === undefined) continue;
			const wallTime = wallClock(String(params[param]));
			if (wallTime === undefined) return invalidParam(param);
			// WordPress compares the date's wall-clock time with the local (or, with
			// dates_are_gmt, the GMT) column, ignoring any offset in the string.
			const column = (order: StoredOrder) =>
				gmt ? gmtDate(order[field]) : this.localDate(order[field]);
			filters.push(
				after ? (order) => column(order) > wallTime : (order) => column(order) < wallTime,
			);
		}
		// `include`: only these ids (a list, or ids separated by commas as a query string gives them).
		if (params.include !== undefined && params.include !== '') {
			const ids = new Set(String(params.include).split(',').map(Number));
			filters.push((order) => ids.has(order.id));
		}
		const statuses =
			params.status === undefined || params.status === 'any'
				? undefined
				: String(params.status).split(',');
		const orderBy = String(params.orderby ?? 'date');
		const sortKey: Record<string, (order: StoredOrder) => number> = {
			date: (order) => order.created.getTime(),
			modified: (order) => order.modified.getTime(),
			id: (order) => order.id,
		};
		if (!sortKey[orderBy]) return invalidParam('orderby');
		const direction = String(params.order ?? 'desc');
		if (direction !== 'asc' && direction !== 'desc') return invalidParam('order');
		const sign = direction === 'asc' ? 1 : -1;
		const chosen = this.orderList
			.filter((order) =>
				statuses ? statuses.includes(order.status) : order.status !== 'checkout-draft',
			)
			.filter((order) => filters.every((keep) => keep(order)))
			.sort((a, b) => sign * (sortKey[orderBy](a) - sortKey[orderBy](b) || a.id - b.id));
		return this.page(
			chosen.map((order) => this.orderJson(order)),
			params,
			'/orders',
		);
	}

	/** One page of a collection, with WordPress's X-WP-Total, X-WP-TotalPages and Link headers. */
	private page(items: unknown[], params: Record<string, unknown>, route: string): VendorReply {
		const perPage = Number(params.per_page ?? 10);
		if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return invalidParam('per_page');
		const page = Number(params.page ?? 1);
		if (!Number.isInteger(page) || page < 1) return invalidParam('page');
		const totalPages = Math.ceil(items.length / perPage);
		if (page > Math.max(totalPages, 1)) {
			return restError({
				code: 'woocommerce_rest_invalid_page_number',
				message: 'The page number requested is larger than the number of pages available.',
				status: 400,
			});
		}
		const linkTo = (target: number) => {
			const query = new URLSearchParams(
				Object.entries(params).map(([name, value]): [string, string] => [name, String(value)]),
			);
			query.set('page', String(target));
			return `${this.siteUrl()}${REST_PREFIX}${route}?${query.toString()}`;
		};
		const links = [];
		if (page > 1) links.push(`<${linkTo(Math.min(page - 1, totalPages))}>; rel="prev"`);
		if (totalPages > page) links.push(`<${linkTo(page + 1)}>; rel="next"`);
		const headers: Record<string, string> = {
			'X-WP-Total': String(items.length),
			'X-WP-TotalPages': String(totalPages),
		};
		if (links.length > 0) headers.Link = links.join(', ');
		return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
	}

	/** GET /wp-json/wc/v3/orders/{id}, which is also what an order webhook delivers. */
	private orderJson(order: StoredOrder): Record<string, unknown> {
		const money = (amount: number) => String(Math.round(amount));
		const lineItems = order.lines.map((line) => {
			const subtotal = line.price * line.quantity;
			const total = subtotal - line.discount;
			return {
				id: line.id,
				name: line.name,
				product_id: 0,
				variation_id: 0,
				quantity: line.quantity,
				tax_class: '',
				subtotal: money(subtotal),
				subtotal_tax: '0',
				total: money(total),
				total_tax: '0',
				taxes: [],
				meta_data: [],
				sku: line.sku,
				price: total / line.quantity,
			};
		});
		const discount = order.lines.reduce((sum, line) => sum + line.discount, 0);
		const dateField = (name: string, date: Date | null) => ({
			[name]: date && this.localDate(date),
			[`${name}_gmt`]: date && gmtDate(date),
		});
		return {
			id: order.id,
			parent_id: 0,
			status: order.status,
			currency: 'VND',
			version: WC_VERSION,
			prices_include_tax: false,
			...dateField('date_created', order.created),
			...dateField('date_modified', order.modified),
			discount_total: money(discount),
			discount_tax: '0',
			shipping_total: money(order.shippingTotal),
			shipping_tax: '0',
			cart_tax: '0',
			total: money(this.totalOf(order)),
			total_tax: '0',
			customer_id: 0,
			order_key: order.orderKey,
			billing: { ...order.billing },
			shipping: this.shippingOf(order),
			payment_method: order.paymentMethod,
			payment_method_title: PAYMENT_TITLES[order.paymentMethod] ?? order.paymentMethod,
			transaction_id: '',
			customer_ip_address: '203.0.113.7',
			customer_user_agent: 'Mozilla/5.0',
			created_via: 'checkout',
			customer_note: order.customerNote,
			...dateField('date_completed', order.completed),
			...dateField('date_paid', order.paid),
			cart_hash: '',
			number: String(order.id),
			meta_data: order.meta.map((meta) => ({ ...meta })),
			line_items: lineItems,
			tax_lines: [],
			shipping_lines: [
				{
					id: order.shippingLineId,
					method_title: 'Flat rate',
					method_id: 'flat_rate',
					instance_id: '1',
					total: money(order.shippingTotal),
					total_tax: '0',
					taxes: [],
					meta_data: [],
				},
			],
			fee_lines: order.fees.map((fee) => ({
				id: fee.id,
				name: fee.name,
				tax_class: '',
				tax_status: 'taxable',
				amount: money(fee.total),
				total: money(fee.total),
				total_tax: '0',
				taxes: [],
				meta_data: [],
			})),
			coupon_lines: [],
			// As the order answer lists them: id, reason, and the amount as a negative total.
			refunds: order.refunds.map((refund) => ({
				id: refund.id,
				reason: refund.reason,
				total: `-${money(refund.total)}`,
			})),
			payment_url: `${this.siteUrl()}/checkout/order-pay/${order.id}/?pay_for_order=true&key=${order.orderKey}`,
			is_editable: ['pending', 'on-hold', 'auto-draft'].includes(order.status),
			needs_payment: order.status === 'pending',
			needs_processing: true,
			currency_symbol: '₫',
			_links: {
				self: [{ href: `${this.siteUrl()}${REST_PREFIX}/orders/${order.id}` }],
				collection: [{ href: `${this.siteUrl()}${REST_PREFIX}/orders` }],
			},
		};
	}

	// ---- products -------------------------------------------------------------------------------

	/** A REST create or update: the product as the answer, or the shop's 400 for a bad field. */
	private async productWrite(
		status: number,
		write: () => Promise<{ product: Record<string, unknown> }>,
	): Promise<VendorReply> {
		try {
			return { status, body: (await write()).product };
		} catch (error) {
			return restError({
				code: 'rest_invalid_param',
				message: (error as Error).message,
				status: 400,
			});
		}
	}

	/** On create a product needs a name; every field given replaces the stored one. */
	private setProductFields(product: StoredProduct, input: unknown, creating: boolean): void {
		if (!isJsonObject(input)) throw new Error('The product must be an object');
		const given = input as ProductInput;
		if (creating && (typeof given.name !== 'string' || given.name.trim() === ''))
			throw new Error('Invalid parameter(s): name');
		if (given.type !== undefined && !PRODUCT_TYPES.includes(given.type))
			throw new Error('Invalid parameter(s): type');
		if (given.status !== undefined && !PRODUCT_STATUSES.includes(given.status))
			throw new Error('Invalid parameter(s): status');
		for (const price of ['regular_price', 'sale_price'] as const) {
			const value = given[price];
			if (value !== undefined && value !== '' && !/^\d+(\.\d+)?$/.test(String(value)))
				throw new Error(`Invalid parameter(s): ${price}`);
		}
		const text = [
			'name',
			'type',
			'status',
			'sku',
			'regular_price',
			'sale_price',
			'description',
			'short_description',
			'weight',
			'slug',
		] as const;
		for (const field of text)
			if (given[field] !== undefined) product.fields[field] = String(given[field]);
		if (given.dimensions !== undefined)
			product.fields.dimensions = { ...product.fields.dimensions, ...given.dimensions };
		if (given.categories !== undefined)
			product.fields.categories = given.categories.map(({ id, name = '', slug = '' }) => ({
				id,
				name,
				slug,
			}));
		if (given.images !== undefined) {
			// WooCommerce sideloads each image into the media library: a new attachment id each.
			product.fields.images = given.images.map(({ src, alt = '' }) => ({
				id: this.nextItemId++,
				src,
				name:
					src
						.split('/')
						.pop()
						?.replace(/\.[^.]+$/, '') ?? '',
				alt,
			}));
		}
		if (product.fields.slug === '') product.fields.slug = slugOf(product.fields.name);
	}

	/** GET /wp-json/wc/v3/products/{id}, which is also what a product webhook delivers (the fields the shop keeps). */
	private productJson(product: StoredProduct): Record<string, unknown> {
		const { fields } = product;
		const onSale =
			fields.sale_price !== '' && Number(fields.sale_price) < Number(fields.regular_price);
		return {
			id: product.id,
			name: fields.name,
			slug: fields.slug,
			permalink: `${this.siteUrl()}/product/${fields.slug}/`,
			date_created: this.localDate(product.created),
			date_created_gmt: gmtDate(product.created),
			date_modified: this.localDate(product.modified),
			date_modified_gmt: gmtDate(product.modified),
			type: fields.type,
			status: fields.status,
			featured: false,
			catalog_visibility: 'visible',
			description: fields.description,
			short_description: fields.short_description,
			sku: fields.sku,
			price: onSale ? fields.sale_price : fields.regular_price,
			regular_price: fields.regular_price,
			sale_price: fields.sale_price,
			on_sale: onSale,
			virtual: false,
			downloadable: false,
			stock_status: 'instock',
			manage_stock: false,
			weight: fields.weight,
			dimensions: { ...fields.dimensions },
			categories: fields.categories.map((category) => ({ ...category })),
			tags: [],
			images: fields.images.map((image) => ({ ...image })),
			meta_data: [],
			_links: {
				self: [{ href: `${this.siteUrl()}${REST_PREFIX}/products/${product.id}` }],
				collection: [{ href: `${this.siteUrl()}${REST_PREFIX}/products` }],
			},
		};
	}

	/** Now, to the second: WordPress stores dates in MySQL DATETIME columns. */
	private now(): Date {
		return new Date(Math.floor(Date.now() / 1000) * 1000);
	}

	private localDate(date: Date): string {
		return gmtDate(new Date(date.getTime() + this.utcOffsetMinutes * 60_000));
	}
}

const DEFAULT_BILLING: Record<string, string> = {
	first_name: 'An',
	last_name: 'Nguyễn Văn',
	company: '',
	address_1: '12 Lý Thường Kiệt, Hoàn Kiếm',
	address_2: '',
	city: 'Hà Nội',
	state: '',
	postcode: '',
	country: 'VN',
	email: 'an.nguyen@example.com',
	phone: '0901234567',
};

const EMPTY_ADDRESS: Record<string, string> = {
	first_name: '',
	last_name: '',
	company: '',
	address_1: '',
	address_2: '',
	city: '',
	state: '',
	postcode: '',
	country: 'VN',
	phone: '',
};

const PAYMENT_TITLES: Record<string, string> = {
	cod: 'Cash on delivery',
	bacs: 'Direct bank transfer',
};

const EMPTY_PRODUCT: Omit<StoredProduct['fields'], 'images'> = {
	name: '',
	type: 'simple',
	status: 'publish',
	sku: '',
	regular_price: '',
	sale_price: '',
	description: '',
	short_description: '',
	weight: '',
	dimensions: { length: '', width: '', height: '' },
	categories: [],
	slug: '',
};

/** WordPress's sanitize_title, roughly: lower case, accents dropped, dashes between words. */
function slugOf(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/gi, 'd')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

function invalidParam(name: string): VendorReply {
	return restError({
		code: 'rest_invalid_param',
		message: `Invalid parameter(s): ${name}`,
		status: 400,
	});
}

/** wc_is_webhook_valid_topic for the core resources and events, and custom `action.*` topics. */
function isValidTopic(topic: string): boolean {
	const [resource, event, ...rest] = topic.split('.');
	if (rest.length > 0 || !event) return false;
	return (
		resource === 'action' ||
		(WEBHOOK_RESOURCES.includes(resource) && WEBHOOK_EVENTS.includes(event))
	);
}

/** "2024-05-01T03:30:00": WooCommerce's date format, without an offset. */
function gmtDate(date: Date): string {
	return date.toISOString().slice(0, 19);
}

/** The date's own wall-clock time, "YYYY-MM-DDTHH:MM:SS", any offset dropped; undefined when not ISO 8601. */
function wallClock(text: string): string | undefined {
	const match =
		/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(text);
	if (!match) return undefined;
	const time = match[2].length === 5 ? `${match[2]}:00` : match[2];
	return `${match[1]}T${time}`;
}

/** wp_http_validate_url: no loopback or private host, and only ports 80, 443 and 8080. */
function isSafeUrl(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
	const host = parsed.hostname;
	const privateHost =
		host === 'localhost' ||
		/^(127\.|10\.|0\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) ||
		host === '[::1]';
	return !privateHost && SAFE_PORTS.includes(port);
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function isAmount(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** A form body (`a=1&b=2`) as fields; WordPress reads those as well as JSON. */
function formFields(body: unknown): Record<string, unknown> {
	return typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : {};
}

/** PHP's json_encode as wp_json_encode calls it: "/" as "\/" and every non-ASCII character as \uXXXX. */
export function phpJsonEncode(value: unknown): string {
	return JSON.stringify(value)
		.replace(/\//g, '\\/')
		.replace(
			/[\u0080-\uffff]/g,
			(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
		);
}
