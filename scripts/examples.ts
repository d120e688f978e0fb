/**
 * The example workflows and the sandbox credentials they use: what the demo, the editor and
 * the end-to-end tests all set up the same way.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { SANDBOX_CAMPAIGN_ID, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import type { Cleanup } from './lifecycle';
import {
	N8nInstance,
	readWorkflowFile,
	REPO_ROOT,
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

export interface ExamplesEditor {
	editor: RunningEditor;
	sandbox: Sandbox;
	instance: N8nInstance;
	examples: WorkflowFile[];
}

/**
 * What `npm run n8n` and the browser tests look at: the sandbox, a fresh instance with the
 * package installed as a community package, the examples and their credentials imported, and
 * its editor started. Each piece is handed to `cleanup` as soon as it exists.
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
	return { editor, sandbox, instance, examples };
}
