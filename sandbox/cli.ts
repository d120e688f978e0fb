import { parseArgs } from 'node:util';

import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_TOKENS,
	SANDBOX_WOOCOMMERCE_KEYS,
	seedConversions,
	startSandbox,
	type Sandbox,
	type SandboxOptions,
} from './server';

/** A fixed port, so credentials saved in a local n8n keep working across restarts. */
const DEFAULT_PORT = 8787;

const USAGE = `Usage: npm run sandbox -- [--port N] [--latency MS] [--seed N] [--quiet]
  --port     port on 127.0.0.1 (default: env SANDBOX_PORT, else ${DEFAULT_PORT})
  --latency  ms added before every vendor reply (default 0)
  --seed     seed for probabilistic faults (default 1)
  --quiet    do not print a line per vendor request`;

const CONTROL_ENDPOINTS: ReadonlyArray<[method: string, path: string, what: string]> = [
	['GET', 'log', 'every vendor request (JSON array)'],
	['GET', 'state', '{orders, products, combos, conversions}'],
	[
		'POST',
		'faults',
		'body: FaultRule[], e.g. [{"vendor":"salekit","fault":{"kind":"status","status":429,"retryAfterSeconds":2},"first":1}]',
	],
	['POST', 'latency', 'body: {"ms": 200}'],
	['POST', 'reset', 'clear log, faults, orders and the shop; restore the conversions'],
	['GET', 'woocommerce', 'the fake shop: {orders, webhooks, deliveries}'],
	[
		'POST',
		'woocommerce/orders',
		'a checkout, delivered to order.created webhooks; body e.g. {"line_items":[{"sku":"AO-THUN-DO-M","quantity":2,"price":180000}],"click_id":"abc"}',
	],
	[
		'POST',
		'woocommerce/orders/ID',
		'change an order, delivered to order.updated webhooks; body e.g. {"status":"completed"}',
	],
];

function readOptions(): SandboxOptions {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			latency: { type: 'string' },
			seed: { type: 'string' },
			quiet: { type: 'boolean', default: false },
		},
	});
	return {
		port: toWholeNumber(values.port ?? process.env.SANDBOX_PORT ?? String(DEFAULT_PORT), '--port'),
		latencyMs: toWholeNumber(values.latency ?? '0', '--latency'),
		seed: values.seed === undefined ? undefined : toWholeNumber(values.seed, '--seed'),
		quiet: values.quiet,
	};
}

function toWholeNumber(text: string, option: string): number {
	if (!/^\d+$/.test(text)) throw new Error(`${option} must be a whole number, got "${text}"`);
	return Number(text);
}

function describe(sandbox: Sandbox, options: SandboxOptions): string {
	const conversions = seedConversions().map(
		({ conversion_id, order_id, conversion_parts }) =>
			`  ${conversion_id}  order ${order_id}  SKUs ${conversion_parts.map((part) => part.sku).join(', ')}`,
	);
	const control = CONTROL_ENDPOINTS.map(
		([method, path, what]) =>
			`  ${method.padEnd(4)} ${sandbox.url}/__sandbox/${path.padEnd(21)}  ${what}`,
	);
	return [
		`Salekit + AccessTrade sandbox on ${sandbox.url}`,
		'',
		'Salekit credential (salekitApi)',
		`  Base URL      ${sandbox.salekitBaseUrl}`,
		`  Token         ${SANDBOX_TOKENS.salekit}`,
		'',
		'AccessTrade credential (accessTradeApi)',
		`  Base URL      ${sandbox.accessTradeBaseUrl}`,
		`  Access token  ${SANDBOX_TOKENS.accessTrade}`,
		`  Campaign id   ${SANDBOX_CAMPAIGN_ID}`,
		'',
		"Fake WooCommerce shop (n8n's wooCommerceApi credential)",
		`  WooCommerce URL  ${sandbox.wooCommerceUrl}`,
		`  Consumer Key     ${SANDBOX_WOOCOMMERCE_KEYS.consumerKey}`,
		`  Consumer Secret  ${SANDBOX_WOOCOMMERCE_KEYS.consumerSecret}`,
		'',
		`Seeded conversions (campaign ${SANDBOX_CAMPAIGN_ID}, all parts pending)`,
		...conversions,
		'',
		'Control endpoints',
		...control,
		'',
		`Latency ${options.latencyMs} ms, fault seed ${options.seed ?? 'default'}. Ctrl-C to stop.`,
	].join('\n');
}

async function main(): Promise<void> {
	let options: SandboxOptions;
	try {
		options = readOptions();
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const sandbox = await startSandbox(options);
	console.log(describe(sandbox, options));
	const shutDown = (signal: NodeJS.Signals) => {
		console.log(`\n${signal}: stopping the sandbox`);
		// With the server closed nothing keeps the event loop alive, so the process ends by itself.
		sandbox.stop().catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
	};
	process.once('SIGINT', shutDown);
	process.once('SIGTERM', shutDown);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
