/**
 * The example workflows and the sandbox credentials they use: what the demo, the editor and
 * the end-to-end tests all set up the same way.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { SANDBOX_CAMPAIGN_ID, SANDBOX_TOKENS, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';
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

type SandboxUrls = Pick<Sandbox, 'salekitBaseUrl' | 'accessTradeBaseUrl'>;

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
	];
}

export async function readExamples(): Promise<WorkflowFile[]> {
	const files = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith('.json')).sort();
	return await Promise.all(files.map((file) => readWorkflowFile(path.join(EXAMPLES_DIR, file))));
}

/**
 * The n8n data table the examples keep their ids in. `n8n execute` does not load n8n's
 * data-table module, so the examples run in a started n8n (`n8n start`), fed through their
 * webhooks as a shop feeds them; the table is made through the REST API first, as a user
 * makes it once in the editor.
 */
export const EXAMPLE_DATA_TABLE = {
	name: 'affiliate_orders',
	columns: ['shop_order_id', 'salekit_order_id', 'conversion_id'].map((name) => ({ name, type: 'string' })),
} as const;

async function restCall(editorUrl: string, cookie: string, method: string, path: string, body?: unknown): Promise<unknown> {
	const response = await fetch(`${editorUrl}/rest/${path}`, {
		method,
		headers: { cookie, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} /rest/${path} answered HTTP ${response.status}: ${await response.text()}`);
	return ((await response.json()) as { data: unknown }).data;
}

/** Creates the table; what it returns reads the table's rows back. */
export async function createExampleDataTable(
	editorUrl: string,
	cookie: string,
): Promise<() => Promise<Array<Record<string, unknown>>>> {
	const project = (await restCall(editorUrl, cookie, 'GET', 'projects/personal')) as { id: string };
	const tablePath = `projects/${project.id}/data-tables`;
	const table = (await restCall(editorUrl, cookie, 'POST', tablePath, EXAMPLE_DATA_TABLE)) as { id: string };
	return async () => {
		const rows = (await restCall(editorUrl, cookie, 'GET', `${tablePath}/${table.id}/rows`)) as { data: unknown };
		return rows.data as Array<Record<string, unknown>>;
	};
}

export interface ShopEvent {
	webhookPath: string;
	body: Record<string, unknown>;
}

/**
 * The sample events an example's sample Code node holds, each addressed to the example's
 * webhook that takes its shape: a refund (`{ order_id, refund }`) goes to the refund webhook.
 * Read from the workflow itself, so the demo and the tests send exactly what a user sees.
 */
export function sampleShopEvents(workflow: WorkflowFile): ShopEvent[] {
	const sample = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.code' && node.name.startsWith('Sample'));
	if (!sample) throw new Error(`${workflow.name} has no sample Code node`);
	const items = new Function(String(sample.parameters.jsCode))() as Array<{ json: { body: Record<string, unknown> } }>;
	const webhookPaths = workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.webhook')
		.map((node) => String(node.parameters.path));
	const refundPath = webhookPaths.find((webhookPath) => webhookPath.endsWith('refund'));
	return items.map(({ json: { body } }) => ({
		webhookPath: body.refund !== undefined && refundPath ? refundPath : webhookPaths[0],
		body,
	}));
}

/**
 * Posts an event to a published workflow's webhook; the examples answer once their run is over.
 * With `timeoutMs`, a run that takes longer is given up as a shop gives up (and redelivers).
 */
export async function deliverShopEvent(editorUrl: string, event: ShopEvent, timeoutMs?: number): Promise<void> {
	const response = await fetch(`${editorUrl}/webhook/${event.webhookPath}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(event.body),
		signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
	});
	if (!response.ok) throw new Error(`${event.webhookPath} answered HTTP ${response.status}: ${await response.text()}`);
}

export interface ExampleStackOptions {
	/** How n8n loads the package; by default as a community package, as users install it. */
	loading?: PackageLoading;
	/** n8n environment variables for this instance (queue mode, say); they win over the defaults. */
	settings?: NodeJS.ProcessEnv;
	sandbox?: SandboxOptions;
	/** False: no examples, no data table (the custom-extensions run checks the nodes only). */
	examples?: boolean;
	/** Published examples answer on their production webhooks; the editor views leave them drafts. */
	publish?: boolean;
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
	/** The rows of the examples' data table (none without examples). */
	readDataTable(): Promise<Array<Record<string, unknown>>>;
}

/**
 * The one way every script and suite sets the examples up: the sandbox, a fresh n8n with the
 * package loaded, the sandbox credentials, the examples (published unless told not to), n8n
 * started, the owner account, the examples' data table. Each piece is handed to `cleanup` as soon
 * as it exists.
 */
export async function startExampleStack(host: N8nHost, cleanup: Cleanup, options: ExampleStackOptions = {}): Promise<ExampleStack> {
	const { examples: withExamples = true, publish = true, quiet = true } = options;
	const sandbox = await startSandbox({ quiet, ...options.sandbox });
	cleanup.add(() => sandbox.stop());

	const instance = await N8nInstance.create(host, options.loading ?? 'communityPackage', options.settings);
	cleanup.add(() => instance.remove());
	const examples = withExamples ? await readExamples() : [];
	await instance.importCredentials([...sandboxCredentials(sandbox), ...(options.moreCredentials?.(sandbox) ?? [])]);
	await instance.importWorkflows([...(options.moreWorkflows ?? []), ...examples]);
	await options.beforeStart?.(instance, sandbox);
	if (publish) for (const workflow of examples) await instance.publishWorkflow(workflow.id);

	if (!quiet) console.log(`Starting n8n ${host.version} (user folder ${instance.userFolder})…`);
	const editor = await instance.startEditor({ port: options.port ?? (await freePort()), quiet });
	cleanup.add(() => editor.stop());
	const cookie = await setUpOwner(editor.url);
	const readDataTable = withExamples ? await createExampleDataTable(editor.url, cookie) : async () => [];
	return { sandbox, instance, editor, cookie, examples, readDataTable };
}
