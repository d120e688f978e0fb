/**
 * The example workflows and the sandbox credentials they use: what the demo, the editor and
 * the end-to-end tests all set up the same way.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { SANDBOX_CAMPAIGN_ID, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../sandbox/server';
import type { Cleanup } from './lifecycle';
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

/** A fresh n8n with the package loaded, the sandbox credentials and the examples imported. */
export async function createSandboxInstance(
	host: N8nHost,
	loading: PackageLoading,
	sandbox: SandboxUrls,
	workflows: WorkflowFile[],
	moreCredentials: CredentialFile[] = [],
): Promise<N8nInstance> {
	const instance = await N8nInstance.create(host, loading);
	try {
		await instance.importCredentials([...sandboxCredentials(sandbox), ...moreCredentials]);
		await instance.importWorkflows(workflows);
	} catch (error) {
		await instance.remove();
		throw error;
	}
	return instance;
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

export interface ExamplesEditor {
	editor: RunningEditor;
	sandbox: Sandbox;
	instance: N8nInstance;
	examples: WorkflowFile[];
	/** The owner's session, logged in. */
	cookie: string;
}

/**
 * What `npm run n8n` and the browser tests look at: the sandbox, a fresh instance with the
 * package installed as a community package, the examples and their credentials imported, its
 * editor started, the owner account set up and the examples' data table made. Each piece is
 * handed to `cleanup` as soon as it exists.
 */
export async function startExamplesEditor(
	host: N8nHost,
	cleanup: Cleanup,
	options: { port: number; quiet?: boolean },
): Promise<ExamplesEditor> {
	const sandbox = await startSandbox({ quiet: options.quiet });
	cleanup.add(() => sandbox.stop());

	const examples = await readExamples();
	const instance = await createSandboxInstance(host, 'communityPackage', sandbox, examples);
	cleanup.add(() => instance.remove());

	console.log(`Starting n8n ${host.version} (user folder ${instance.userFolder})…`);
	const editor = await instance.startEditor(options);
	cleanup.add(() => editor.stop());
	const cookie = await setUpOwner(editor.url);
	await createExampleDataTable(editor.url, cookie);
	return { editor, sandbox, instance, examples, cookie };
}
