/**
 * The example workflows and the sandbox credentials they use: what the demo, the editor and
 * the end-to-end tests all set up the same way.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_TOKENS,
	SANDBOX_WOOCOMMERCE_KEYS,
	startSandbox,
	type Sandbox,
	type SandboxOptions,
} from '../../sandbox/server';
import type { Cleanup } from './lifecycle';
import { freePort } from './processes';
import {
	N8nInstance,
	readWorkflowFile,
	REPO_ROOT,
	setUpOwner,
	type CredentialFile,
	type N8nHost,
	type PackageLoading,
	type RunningEditor,
	type WorkflowFile,
} from './n8n-host';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The credentials the examples reference, by credential type; ids and names must match theirs. */
export const SANDBOX_CREDENTIALS = {
	salekitApi: { id: 'salekitSandbox', name: 'Salekit sandbox' },
	accessTradeApi: { id: 'accessTradeSandbox', name: 'AccessTrade sandbox' },
} as const;

/** The shop's side: the fake WooCommerce (n8n's own credential type) and the other-shop webhooks' header secret. */
export const SHOP_CREDENTIALS = {
	wooCommerceApi: { id: 'wooCommerceSandbox', name: 'WooCommerce sandbox' },
	httpHeaderAuth: { id: 'shopSecretSandbox', name: 'Shop webhook secret (sandbox)' },
} as const;

/** The header the other-shop webhooks check before anything runs. */
export const SANDBOX_SHOP_SECRET = {
	name: 'X-Shop-Secret',
	value: 'sandbox-shop-secret-0123456789',
} as const;

type SandboxUrls = Pick<Sandbox, 'salekitBaseUrl' | 'accessTradeBaseUrl' | 'wooCommerceUrl'>;

export function sandboxCredentials(sandbox: SandboxUrls): CredentialFile[] {
	return [
		{
			...SANDBOX_CREDENTIALS.salekitApi,
			type: 'salekitApi',
			data: { token: SANDBOX_TOKENS.salekit, baseUrl: sandbox.salekitBaseUrl },
		},
		{
			...SANDBOX_CREDENTIALS.accessTradeApi,
			type: 'accessTradeApi',
			data: {
				accessToken: SANDBOX_TOKENS.accessTrade,
				baseUrl: sandbox.accessTradeBaseUrl,
				campaignId: String(SANDBOX_CAMPAIGN_ID),
			},
		},
		{
			...SHOP_CREDENTIALS.wooCommerceApi,
			type: 'wooCommerceApi',
			data: { url: sandbox.wooCommerceUrl, ...SANDBOX_WOOCOMMERCE_KEYS },
		},
		{
			...SHOP_CREDENTIALS.httpHeaderAuth,
			type: 'httpHeaderAuth',
			data: { ...SANDBOX_SHOP_SECRET },
		},
	];
}

/**
 * The examples as a user imports them; `sandbox` puts the sandbox's shop in place of the
 * placeholder address the catch-ups name (`SHOP_URL` in their *Since the last catch-up* code).
 */
export async function readExamples(
	sandbox?: Pick<Sandbox, 'wooCommerceUrl'>,
): Promise<WorkflowFile[]> {
	const files = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith('.json')).sort();
	const workflows = await Promise.all(
		files.map((file) => readWorkflowFile(path.join(EXAMPLES_DIR, file))),
	);
	if (!sandbox) return workflows;
	for (const node of workflows.flatMap((workflow) => workflow.nodes)) {
		if (node.type === 'n8n-nodes-base.code' && typeof node.parameters.jsCode === 'string')
			node.parameters.jsCode = node.parameters.jsCode.replaceAll(
				`'${EXAMPLE_SHOP_URL}'`,
				`'${sandbox.wooCommerceUrl}'`,
			);
	}
	return workflows;
}

/** The shop address the examples carry until the user puts in theirs. */
export const EXAMPLE_SHOP_URL = 'https://shop.example.vn';

/**
 * The examples' ids: what the tests, the demo and the queue test publish and drive. At most 21
 * characters: n8n (2.8.4 measured) silently skips saving the static data of a workflow with a
 * longer id, and the WooCommerce Trigger keeps its secret there.
 */
export const EXAMPLE_IDS = {
	/** WooCommerce Trigger (order.created) and the catch-up (Schedule Trigger). */
	newOrder: 'exNewOrderToSalekit',
	/** WooCommerce Trigger (order.updated) and the refund Webhook. */
	orderStatus: 'exOrderStatus',
	/** Webhook node with a header secret, for other shops. */
	shopWebhookNewOrder: 'exShopWebhookOrder',
	shopWebhookOrderStatus: 'exShopWebhookStatus',
	/** Manual Trigger, sample data, sandbox credentials only. */
	tryIt: 'exTryItSampleOrders',
	/** WooCommerce Triggers (product.created, product.updated) → Salekit product. */
	product: 'exProductToSalekit',
} as const;

/** The other-shop webhooks' paths, under /webhook/. */
export const SHOP_WEBHOOK_PATHS = {
	newOrder: 'shop/new-order',
	orderStatus: 'shop/order-status',
} as const;

/**
 * The n8n data table the examples keep their ids in. `n8n execute` does not load n8n's
 * data-table module, so the examples run in a started n8n (`n8n start`), fed through their
 * webhooks as a shop feeds them; the table is made through the REST API first, as a user
 * makes it once in the editor.
 */
export const EXAMPLE_DATA_TABLE = {
	name: 'affiliate_orders',
	columns: [
		'shop',
		'shop_order_id',
		'salekit_order_id',
		'conversion_id',
		'conversion_status',
		'salekit_sent',
		'error',
	].map((name) => ({ name, type: 'string' })),
} as const;

/** The try-it workflow's own table, so that sample ids never reach the live one. */
export const TRY_IT_DATA_TABLE = { ...EXAMPLE_DATA_TABLE, name: 'try_it_orders' } as const;

/** A call to n8n's REST API with the owner's session; answers the reply's `data`. */
export async function n8nRest(
	editorUrl: string,
	cookie: string,
	method: string,
	path: string,
	body?: unknown,
): Promise<unknown> {
	const response = await fetch(`${editorUrl}/rest/${path}`, {
		method,
		headers: { cookie, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok)
		throw new Error(
			`${method} /rest/${path} answered HTTP ${response.status}: ${await response.text()}`,
		);
	return ((await response.json()) as { data: unknown }).data;
}

/** Creates both tables; what it returns reads a table's rows back (the live one unless named). */
export async function createExampleDataTable(
	editorUrl: string,
	cookie: string,
): Promise<(tableName?: string) => Promise<Array<Record<string, unknown>>>> {
	const project = (await n8nRest(editorUrl, cookie, 'GET', 'projects/personal')) as { id: string };
	const tablePath = `projects/${project.id}/data-tables`;
	const ids: Record<string, string> = {};
	for (const table of [EXAMPLE_DATA_TABLE, TRY_IT_DATA_TABLE]) {
		ids[table.name] = (
			(await n8nRest(editorUrl, cookie, 'POST', tablePath, table)) as { id: string }
		).id;
	}
	return async (tableName = EXAMPLE_DATA_TABLE.name) => {
		const rows = (await n8nRest(
			editorUrl,
			cookie,
			'GET',
			`${tablePath}/${ids[tableName]}/rows`,
		)) as { data: unknown };
		return rows.data as Array<Record<string, unknown>>;
	};
}

export interface ShopEvent {
	/** The path under /webhook/ it is posted to; for what the fake shop delivers, the topic (product.created). */
	webhookPath: string;
	body: Record<string, unknown>;
}

/**
 * The try-it workflow's sample orders or status changes, each addressed to the other-shop
 * webhook that takes it, or its sample products (which the scenario has the fake shop deliver).
 * Read from the workflow itself, so the demo and the tests send exactly what a user sees.
 */
export function sampleShopEvents(
	examples: WorkflowFile[],
	which: 'orders' | 'statusChanges' | 'products',
): ShopEvent[] {
	const workflow = examples.find((candidate) => candidate.id === EXAMPLE_IDS.tryIt);
	const nodeName = {
		orders: 'Sample orders',
		statusChanges: 'Sample status changes',
		products: 'Sample products',
	}[which];
	const sample = workflow?.nodes.find((node) => node.name === nodeName);
	if (!sample) throw new Error(`No "${nodeName}" node in the example ${EXAMPLE_IDS.tryIt}`);
	// Orders and status changes as the Webhook node outputs them ({ body }); products as the WooCommerce Trigger does.
	const items = new Function(String(sample.parameters.jsCode))() as Array<{
		json: Record<string, unknown>;
	}>;
	if (which === 'products')
		return items.map(({ json }) => ({ webhookPath: 'product', body: json }));
	const webhookPath =
		which === 'orders' ? SHOP_WEBHOOK_PATHS.newOrder : SHOP_WEBHOOK_PATHS.orderStatus;
	return items.map(({ json }) => ({ webhookPath, body: json.body as Record<string, unknown> }));
}

export interface ExecutionSummary {
	id: string;
	mode: string;
	status: string;
	workflowId: string;
}

/** The newest executions (up to 250), as the editor's list shows them. */
export async function listExecutions(
	editorUrl: string,
	cookie: string,
): Promise<ExecutionSummary[]> {
	const data = (await n8nRest(editorUrl, cookie, 'GET', 'executions?limit=250')) as {
		results: ExecutionSummary[];
	};
	return data.results;
}

/**
 * Posts an event to a published other-shop webhook, with the header secret; the examples answer
 * once their run is over. With `timeoutMs`, a run that takes longer is given up as a shop gives
 * up (and redelivers).
 */
export async function deliverShopEvent(
	editorUrl: string,
	event: ShopEvent,
	timeoutMs?: number,
): Promise<void> {
	const response = await fetch(`${editorUrl}/webhook/${event.webhookPath}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			[SANDBOX_SHOP_SECRET.name]: SANDBOX_SHOP_SECRET.value,
		},
		body: JSON.stringify(event.body),
		signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
	});
	if (!response.ok)
		throw new Error(
			`${event.webhookPath} answered HTTP ${response.status}: ${await response.text()}`,
		);
}

export interface ExampleStackOptions {
	/** How n8n loads the package; by default as a community package, as users install it. */
	loading?: PackageLoading;
	/** n8n environment variables for this instance (queue mode, say); they win over the defaults. */
	settings?: NodeJS.ProcessEnv;
	sandbox?: SandboxOptions;
	/** False: no examples, no data table (the custom-extensions run checks the nodes only). */
	examples?: boolean;
	/**
	 * Published examples answer on their production webhooks (the WooCommerce ones register at the
	 * sandbox's shop); the editor views leave them drafts. The try-it example, which starts from a
	 * Manual Trigger only, is never published. A list publishes only those ids.
	 */
	publish?: boolean | readonly string[];
	/** Imported beside the examples: a suite's own workflows and credentials. */
	moreWorkflows?: WorkflowFile[];
	moreCredentials?: (sandbox: Sandbox) => CredentialFile[];
	/** Runs on the stopped instance once it holds everything (`n8n execute` runs need no server). */
	beforeStart?: (instance: N8nInstance, sandbox: Sandbox) => Promise<void>;
	port?: number;
	quiet?: boolean;
}

export interface ExampleStack {
	sandbox: Sandbox;
	instance: N8nInstance;
	editor: RunningEditor;
	/** The owner's session, logged in. */
	cookie: string;
	examples: WorkflowFile[];
	/** The rows of the examples' data table, or of the named one (none without examples). */
	readDataTable(tableName?: string): Promise<Array<Record<string, unknown>>>;
	/** How long after n8n's REST API answered its last published webhook did (see waitForWebhooks). */
	webhooksAnsweredAfterMs: number;
	/** Of that, how long the builder waited for them once everything else was set up. */
	webhooksWaitedMs: number;
}

/**
 * The one way every script and suite sets the examples up: the sandbox, a fresh n8n with the
 * package loaded, the sandbox credentials, the examples (published unless told not to), n8n
 * started, the owner account, the examples' data table. Each piece is handed to `cleanup` as soon
 * as it exists.
 */
export async function startExampleStack(
	host: N8nHost,
	cleanup: Cleanup,
	options: ExampleStackOptions = {},
): Promise<ExampleStack> {
	const { examples: withExamples = true, publish = true, quiet = true } = options;
	const sandbox = await startSandbox({ quiet, ...options.sandbox });
	cleanup.add(() => sandbox.stop());

	const instance = await N8nInstance.create(
		host,
		options.loading ?? 'communityPackage',
		options.settings,
	);
	cleanup.add(() => instance.remove());
	const examples = withExamples ? await readExamples(sandbox) : [];
	await instance.importCredentials([
		...sandboxCredentials(sandbox),
		...(options.moreCredentials?.(sandbox) ?? []),
	]);
	await instance.importWorkflows([...(options.moreWorkflows ?? []), ...examples]);
	await options.beforeStart?.(instance, sandbox);
	const published = examples.filter((example) =>
		Array.isArray(publish)
			? publish.includes(example.id)
			: publish === true && example.id !== EXAMPLE_IDS.tryIt,
	);
	for (const workflow of published) await instance.publishWorkflow(workflow.id);

	if (!quiet) console.log(`Starting n8n ${host.version} (user folder ${instance.userFolder})…`);
	const editor = await instance.startEditor({ port: options.port ?? (await freePort()), quiet });
	cleanup.add(() => editor.stop());
	const restUp = Date.now();
	const cookie = await setUpOwner(editor.url);
	const readDataTable = withExamples
		? await createExampleDataTable(editor.url, cookie)
		: async () => [];
	const webhooksWaitedMs = await waitForWebhooks(editor.url, published);
	const webhooksAnsweredAfterMs = Date.now() - restUp;
	return {
		sandbox,
		instance,
		editor,
		cookie,
		examples,
		readDataTable,
		webhooksAnsweredAfterMs,
		webhooksWaitedMs,
	};
}

/** A production webhook a published workflow serves: its path under /webhook/ and its methods. */
export interface PublishedWebhook {
	workflowId: string;
	node: string;
	path: string;
	methods: string[];
}

/**
 * The webhooks n8n registers for these workflows when they are published: each enabled Webhook
 * node's path and methods, each WooCommerce Trigger's `<webhookId>/webhook` (POST). A disabled
 * node registers nothing.
 */
export function publishedWebhooks(workflows: WorkflowFile[]): PublishedWebhook[] {
	return workflows.flatMap((workflow) =>
		workflow.nodes
			.filter((node) => node.disabled !== true)
			.flatMap((node): PublishedWebhook[] => {
				const at = { workflowId: workflow.id, node: node.name };
				if (node.type === 'n8n-nodes-base.webhook') {
					const method = node.parameters.httpMethod ?? 'GET';
					const methods = (Array.isArray(method) ? method : [method]).map(String);
					return [{ ...at, path: String(node.parameters.path), methods }];
				}
				if (node.type === 'n8n-nodes-base.wooCommerceTrigger')
					return [{ ...at, path: `${String(node.webhookId)}/webhook`, methods: ['POST'] }];
				return [];
			}),
	);
}

/**
 * Waits until n8n serves every webhook of the published workflows. n8n's REST API answers
 * before n8n has registered them (on a loaded machine a demo's first order got 404 "The
 * requested webhook … is not registered"). Each is asked with a method it does not take, so
 * that nothing runs: n8n then answers 404 "This webhook is not registered for PATCH requests.
 * Did you mean to make a POST request?" once the path is registered, and "The requested webhook
 * … is not registered." before. Answers how long it waited.
 */
export async function waitForWebhooks(
	editorUrl: string,
	workflows: WorkflowFile[],
	timeoutMs = 120_000,
): Promise<number> {
	const started = Date.now();
	const deadline = started + timeoutMs;
	let waiting = publishedWebhooks(workflows);
	let lastAnswer = '';
	for (;;) {
		const answers = await Promise.all(waiting.map((webhook) => askWebhook(editorUrl, webhook)));
		lastAnswer = answers.find((answer) => answer !== undefined) ?? '';
		waiting = waiting.filter((_, index) => answers[index] !== undefined);
		if (waiting.length === 0) return Date.now() - started;
		if (Date.now() > deadline) {
			const names = waiting.map(
				(webhook) => `${webhook.workflowId} "${webhook.node}" (${webhook.path})`,
			);
			throw new Error(
				`n8n did not serve these webhooks within ${timeoutMs / 1000} s: ${names.join(', ')}; it answered ${lastAnswer}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Undefined once n8n serves the webhook; otherwise what it answered. */
async function askWebhook(
	editorUrl: string,
	webhook: PublishedWebhook,
): Promise<string | undefined> {
	const method = ['PATCH', 'PUT', 'DELETE', 'GET'].find(
		(candidate) => !webhook.methods.includes(candidate),
	)!;
	try {
		const response = await fetch(`${editorUrl}/webhook/${webhook.path}`, { method });
		const text = await response.text();
		if (response.status !== 404) return undefined;
		const { message } = JSON.parse(text) as { message?: string };
		return message?.includes('Did you mean to make a') ? undefined : `404 ${message ?? text}`;
	} catch (error) {
		return (error as Error).message;
	}
}
