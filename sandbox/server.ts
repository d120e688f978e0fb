import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AccessTradeSimulator } from './accessTrade';
import type { SandboxConversion } from './accessTradeSeeds';
import { describeFault, FaultPlan, validateFaultRules, type Fault, type FaultRule } from './faults';
import {
	SalekitSimulator,
	SalekitTokenCheck,
	type SandboxOrder,
	type SandboxRecord,
} from './salekit';
import {
	isJsonObject,
	type VendorName,
	type VendorReply,
	type VendorRequest,
	type VendorSimulator,
} from './vendor';
import { WooCommerceShop } from './wooCommerce';

export type { ConversionPart, ConversionStatus, SandboxConversion } from './accessTradeSeeds';
export { seedConversions } from './accessTradeSeeds';
export type { Fault, FaultRule } from './faults';
export {
	SANDBOX_SHOP,
	type SalekitProduct,
	type SandboxOrder,
	type SandboxRecord,
} from './salekit';
export {
	MAX_DELIVERY_FAILURES,
	SANDBOX_WOOCOMMERCE_KEYS,
	type OrderInput,
	type ProductInput,
	type ShopDelivery,
	type ShopWebhook,
	type WooCommerceShop,
} from './wooCommerce';

export const SANDBOX_TOKENS = {
	salekit: 'sandbox-salekit-token',
	accessTrade: 'sandbox-accesstrade-token',
} as const;
/** The one campaign the AccessTrade token belongs to. */
export const SANDBOX_CAMPAIGN_ID = 1001;

export interface LoggedRequest {
	/** Epoch ms when the request arrived. */
	at: number;
	/** 'control' marks the control requests that change the sandbox's behaviour (faults, latency). */
	vendor: VendorName | 'wooCommerce' | 'control';
	method: string;
	/** As received, before any trailing-slash tolerance. */
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
	body: unknown;
	/** The HTTP status sent; 0 when the socket was dropped instead. */
	status: number;
	/** The injected fault, e.g. "status 429, Retry-After 2s", "drop after", "slow 300ms". */
	fault?: string;
}

/**
 * A test's own answer to vendor requests, in place of the simulated vendors: a reply the real
 * vendor could give but the simulation does not (odd envelopes, slow answers, an HTML page).
 * The status defaults to 200; a string body is sent as it is, not as JSON.
 */
export type Responder = (request: LoggedRequest) => ResponderReply | Promise<ResponderReply>;
export type ResponderReply = Partial<VendorReply>;

export interface SandboxOptions {
	/** 0 (the default) picks a free port. */
	port?: number;
	/** Added before every vendor reply. */
	latencyMs?: number;
	/** Seed for probabilistic faults; the same seed replays the same faults. Default 1. */
	seed?: number;
	/** Do not print a line per vendor request. */
	quiet?: boolean;
}

export interface Sandbox {
	/** http://127.0.0.1:PORT */
	url: string;
	/** The Salekit credential's base URL: http://127.0.0.1:PORT/salekit/api/v1 */
	salekitBaseUrl: string;
	/** The AccessTrade credential's base URL (host): http://127.0.0.1:PORT/accesstrade */
	accessTradeBaseUrl: string;
	/** The fake WooCommerce shop's site URL (the wooCommerceApi credential's URL): http://127.0.0.1:PORT/woocommerce */
	wooCommerceUrl: string;
	/** The fake shop: its orders, products, webhooks and deliveries; createOrder/updateOrder and createProduct/updateProduct deliver webhooks. */
	shop: WooCommerceShop;
	/** A second fake shop (an agency's other client), at http://127.0.0.1:PORT/woocommerce-2: its order ids start where the first one's do. */
	secondShop: WooCommerceShop;
	secondWooCommerceUrl: string;
	/** Live: every vendor request so far, in arrival order, faulted ones included. */
	log: LoggedRequest[];
	setFaults(rules: FaultRule[]): void;
	setLatency(ms: number): void;
	/** Answers every vendor request with the responder from now on (faults still apply first). */
	respondWith(responder: Responder): void;
	/** Clears the log, faults, responder, orders and the shop; restores the seeded conversions. Latency is kept. */
	reset(): void;
	/** Copies: changing them does not change the sandbox. */
	orders(): SandboxOrder[];
	/** Salekit products and combos created since the last reset, as received. */
	products(): SandboxRecord[];
	combos(): SandboxRecord[];
	conversion(id: string): SandboxConversion | undefined;
	conversions(): SandboxConversion[];
	/** Adds conversions to campaign 1001 until the next reset. */
	addConversions(conversions: SandboxConversion[]): void;
	stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_SEED = 1;
const CONTROL_PREFIX = '/__sandbox';
const SALEKIT_PREFIX = '/salekit';
const ACCESS_TRADE_PREFIX = '/accesstrade';
const WOOCOMMERCE_PREFIX = '/woocommerce';
const SECOND_WOOCOMMERCE_PREFIX = '/woocommerce-2';
/** Salekit's token check sits on its site root, beside (not under) the API's base URL. */
const SALEKIT_TOKEN_CHECK_PREFIX = '/wordpress';

/** A reply to anything that is neither a vendor nor a control path. */
const UNKNOWN_PATH: VendorReply = {
	status: 404,
	body: {
		error: `Not found: the sandbox serves ${SALEKIT_PREFIX}, ${SALEKIT_TOKEN_CHECK_PREFIX}, ${ACCESS_TRADE_PREFIX}, ${WOOCOMMERCE_PREFIX} and ${CONTROL_PREFIX}`,
	},
};

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new SandboxServer(options);
	await sandbox.listen(options.port ?? 0);
	return sandbox;
}

class SandboxServer implements Sandbox {
	readonly log: LoggedRequest[] = [];
	private readonly salekit = new SalekitSimulator(SANDBOX_TOKENS.salekit);
	private readonly accessTrade = new AccessTradeSimulator(
		SANDBOX_TOKENS.accessTrade,
		SANDBOX_CAMPAIGN_ID,
	);
	private readonly mounts: ReadonlyArray<{ prefix: string; vendor: VendorSimulator }> = [
		{ prefix: SALEKIT_PREFIX, vendor: this.salekit },
		{ prefix: ACCESS_TRADE_PREFIX, vendor: this.accessTrade },
		{ prefix: SALEKIT_TOKEN_CHECK_PREFIX, vendor: new SalekitTokenCheck(SANDBOX_TOKENS.salekit) },
	];
	readonly shop = new WooCommerceShop(() => this.wooCommerceUrl);
	readonly secondShop = new WooCommerceShop(() => this.secondWooCommerceUrl);
	private readonly shops = [
		{ prefix: WOOCOMMERCE_PREFIX, shop: this.shop },
		{ prefix: SECOND_WOOCOMMERCE_PREFIX, shop: this.secondShop },
	];
	private readonly faults: FaultPlan;
	private readonly quiet: boolean;
	private latencyMs = 0;
	private responder?: Responder;
	/** Timers of replies still waiting out latency or a slow fault, cancelled on stop. */
	private readonly pendingDelays = new Set<NodeJS.Timeout>();
	private readonly server = createServer((req, res) => {
		this.serve(req, res).catch((error: unknown) => {
			// A bug in the sandbox must not crash the process the tests run in.
			if (!res.headersSent)
				send(res, { status: 500, body: { error: `sandbox error: ${String(error)}` } });
		});
	});
	private port = 0;

	constructor(options: SandboxOptions) {
		this.faults = new FaultPlan(options.seed ?? DEFAULT_SEED);
		this.quiet = options.quiet ?? false;
		this.setLatency(options.latencyMs ?? 0);
	}

	get url(): string {
		return `http://${HOST}:${this.port}`;
	}

	get salekitBaseUrl(): string {
		return `${this.url}${SALEKIT_PREFIX}/api/v1`;
	}

	get accessTradeBaseUrl(): string {
		return `${this.url}${ACCESS_TRADE_PREFIX}`;
	}

	get wooCommerceUrl(): string {
		return `${this.url}${WOOCOMMERCE_PREFIX}`;
	}

	get secondWooCommerceUrl(): string {
		return `${this.url}${SECOND_WOOCOMMERCE_PREFIX}`;
	}

	async listen(port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, HOST, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.port = (this.server.address() as AddressInfo).port;
	}

	// setFaults and setLatency take `unknown` because the control endpoints hand them raw JSON;
	// both validate at run time, which TypeScript callers need too (a probability of 5 type-checks).
	setFaults(rules: unknown): void {
		this.faults.set(validateFaultRules(rules));
	}

	setLatency(ms: unknown): void {
		if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
			throw new Error('latency must be a number of ms >= 0');
		this.latencyMs = ms;
	}

	respondWith(responder: Responder): void {
		this.responder = responder;
	}

	reset(): void {
		this.log.length = 0;
		this.faults.set([]);
		this.responder = undefined;
		this.salekit.reset();
		this.accessTrade.reset();
		this.shop.reset();
		this.secondShop.reset();
	}

	orders(): SandboxOrder[] {
		return this.salekit.orders();
	}

	products(): SandboxRecord[] {
		return this.salekit.products();
	}

	combos(): SandboxRecord[] {
		return this.salekit.combos();
	}

	conversion(id: string): SandboxConversion | undefined {
		return this.accessTrade.conversion(id);
	}

	conversions(): SandboxConversion[] {
		return this.accessTrade.conversions();
	}

	addConversions(conversions: SandboxConversion[]): void {
		this.accessTrade.add(conversions);
	}

	async stop(): Promise<void> {
		if (!this.server.listening) return;
		for (const timer of this.pendingDelays) clearTimeout(timer);
		this.pendingDelays.clear();
		const closed = new Promise<void>((resolve, reject) =>
			this.server.close((error) => (error ? reject(error) : resolve())),
		);
		// Keep-alive sockets would otherwise hold close() open until they time out.
		this.server.closeAllConnections();
		await closed;
	}

	private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const at = Date.now();
		const url = new URL(req.url ?? '/', this.url);
		const body = parseBody(await readBody(req));
		const entry: LoggedRequest = {
			at,
			vendor: 'control',
			method: req.method ?? '',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			body,
			status: 0,
		};

		const controlPath = pathBelow(url.pathname, CONTROL_PREFIX);
		if (controlPath !== undefined) {
			send(res, await this.control(`${entry.method} ${controlPath}`, entry));
			return;
		}
		for (const { prefix, shop } of this.shops) {
			const shopPath = pathBelow(url.pathname, prefix);
			if (shopPath === undefined) continue;
			// A shop is not a vendor our nodes call: no faults or latency, only the log.
			entry.vendor = 'wooCommerce';
			this.log.push(entry);
			const reply = await shop.handle({
				method: entry.method,
				path: shopPath,
				query: entry.query,
				headers: req.headers,
				body,
			});
			entry.status = reply.status;
			send(res, reply);
			return;
		}
		for (const { prefix, vendor } of this.mounts) {
			const vendorPath = pathBelow(url.pathname, prefix);
			if (vendorPath === undefined) continue;
			entry.vendor = vendor.name;
			const request: VendorRequest = {
				method: entry.method,
				path: vendorPath,
				query: entry.query,
				headers: req.headers,
				body,
			};
			await this.serveVendor(vendor, request, entry, req, res);
			return;
		}
		send(res, UNKNOWN_PATH);
	}

	private async serveVendor(
		vendor: VendorSimulator,
		request: VendorRequest,
		entry: LoggedRequest,
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<void> {
		const fault = this.faults.next(vendor.name);
		if (fault) entry.fault = describeFault(fault);
		this.log.push(entry);

		const reply = await this.answer(fault, vendor, request, entry);
		entry.status = reply?.status ?? 0;
		await this.delay(this.latencyMs + (fault?.kind === 'slow' ? fault.delayMs : 0));
		if (reply) send(res, reply);
		else req.socket.destroy();
		if (!this.quiet) {
			console.log(
				`[sandbox] ${entry.method} ${entry.path} -> ${entry.status || 'dropped'}${entry.fault ? ` (${entry.fault})` : ''}`,
			);
		}
	}

	/** The test's responder answers in the vendor's place, unless a fault replaces the answer. */
	private async answer(
		fault: Fault | undefined,
		vendor: VendorSimulator,
		request: VendorRequest,
		entry: LoggedRequest,
	): Promise<VendorReply | undefined> {
		if (!this.responder || (fault !== undefined && fault.kind !== 'slow'))
			return replyUnder(fault, vendor, request);
		const { status = 200, body = {}, headers } = await this.responder(entry);
		return { status, body, headers };
	}

	/** Control requests get plain JSON; the ones that change behaviour are logged as 'control'. */
	private async control(route: string, entry: LoggedRequest): Promise<VendorReply> {
		if (/^POST \/woocommerce\/(orders|products)\b/.test(route))
			return await this.controlShop(route, entry.body);
		const changeBehaviour = (apply: () => void): VendorReply => {
			try {
				apply();
			} catch (error) {
				return { status: 400, body: { ok: false, error: (error as Error).message } };
			}
			entry.status = 200;
			this.log.push(entry);
			return { status: 200, body: { ok: true } };
		};
		switch (route) {
			case 'GET /log':
				return { status: 200, body: this.log };
			case 'GET /state':
				return {
					status: 200,
					body: {
						orders: this.orders(),
						products: this.products(),
						combos: this.combos(),
						conversions: this.conversions(),
					},
				};
			case 'GET /woocommerce':
				return {
					status: 200,
					body: {
						orders: this.shop.orders(),
						products: this.shop.products(),
						webhooks: this.shop.webhooks(),
						deliveries: this.shop.deliveries(),
					},
				};
			case 'POST /faults':
				return changeBehaviour(() => this.setFaults(entry.body));
			case 'POST /latency':
				return changeBehaviour(() =>
					this.setLatency(isJsonObject(entry.body) ? entry.body.ms : undefined),
				);
			case 'POST /reset':
				this.reset();
				return { status: 200, body: { ok: true } };
			default:
				return { status: 404, body: { ok: false, error: `Unknown control endpoint: ${route}` } };
		}
	}

	/**
	 * POST /woocommerce/orders creates an order, POST /woocommerce/orders/{id} changes one; the same
	 * for /woocommerce/products. Each answers once the webhooks are delivered.
	 */
	private async controlShop(route: string, body: unknown): Promise<VendorReply> {
		const target = /^POST \/woocommerce\/(orders|products)(?:\/(\d+))?$/.exec(route);
		if (!target)
			return { status: 404, body: { ok: false, error: `Unknown control endpoint: ${route}` } };
		const [, collection, id] = target;
		try {
			if (collection === 'products') {
				return {
					status: 200,
					body:
						id === undefined
							? await this.shop.createProduct(body)
							: await this.shop.updateProduct(Number(id), body),
				};
			}
			return {
				status: 200,
				body:
					id === undefined
						? await this.shop.createOrder(body)
						: await this.shop.updateOrder(Number(id), body),
			};
		} catch (error) {
			return { status: 400, body: { ok: false, error: (error as Error).message } };
		}
	}

	private delay(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pendingDelays.delete(timer);
				resolve();
			}, ms);
			this.pendingDelays.add(timer);
		});
	}
}

/** What the vendor answers under a fault; undefined when the socket is to be dropped instead. */
function replyUnder(
	fault: Fault | undefined,
	vendor: VendorSimulator,
	request: VendorRequest,
): VendorReply | undefined {
	switch (fault?.kind) {
		case 'status': {
			const reply = vendor.errorReply(
				fault.status,
				`Sandbox fault: HTTP ${fault.status} ${STATUS_CODES[fault.status] ?? ''}`.trim(),
			);
			if (fault.retryAfterSeconds !== undefined)
				reply.headers = { 'Retry-After': String(fault.retryAfterSeconds) };
			return reply;
		}
		case 'drop':
			// 'after': the state changes, only the answer is lost, as when a connection dies mid-reply.
			if (fault.when === 'after') vendor.handle(request);
			return undefined;
		default:
			return vendor.handle(request);
	}
}

/** The path under a prefix ("/salekit/api/v1/x/" under "/salekit" is "/api/v1/x"); undefined when not under it. */
function pathBelow(path: string, prefix: string): string | undefined {
	if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
	// Trailing slashes are tolerated everywhere, as Salekit's own doc writes /order/update/?id=.
	return path.slice(prefix.length).replace(/\/+$/, '');
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		// Not JSON: keep the raw text so the log shows what arrived.
		return text;
	}
}

function send(res: ServerResponse, reply: VendorReply): void {
	// A string is a page, as a proxy in front of a vendor sends one; anything else is JSON.
	const isPage = typeof reply.body === 'string';
	res.writeHead(reply.status, {
		'Content-Type': isPage ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
		...reply.headers,
	});
	res.end(isPage ? reply.body : JSON.stringify(reply.body));
}
