/**
 * Real n8n for the demo, the editor, the end-to-end tests and benchmarks: the pinned host
 * install (shared by every checkout, keyed by version), throwaway instances with this package
 * loaded the way users load it, and the CLI calls that import and run workflows in them.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import {
	describeFailure,
	freePort,
	npmEnvironment,
	runCommand,
	runNpm,
	spawnGroup,
	stopProcess,
	waitForHttp,
	type CommandResult,
	type RunOptions,
} from './processes';

/** The n8n version the package is developed against; bump it here and every script follows. */
export const N8N_VERSION = '2.8.4';

/**
 * The n8n versions `npm run test:compat` proves, each with the Node.js it runs on: none means
 * the machine's own (the engines minimum), others come from npm's `node` package.
 */
export const COMPAT_HOSTS: HostSpec[] = [
	{ n8n: N8N_VERSION },
	// The newest 2.x that installs (2.41.3 names an unpublished @n8n/agents); it needs Node 24.
	{ n8n: '2.40.7', node: '24.21.0' },
	// The newest 1.x; its isolated-vm does not build on Node 20.
	{ n8n: '1.123.81', node: '22.23.3' },
];

export interface HostSpec {
	n8n: string;
	node?: string;
}

/** The host the end-to-end suite runs on: N8N_HOST_VERSION names one of COMPAT_HOSTS. */
export function selectedHostSpec(): HostSpec {
	const version = process.env.N8N_HOST_VERSION ?? N8N_VERSION;
	const spec = COMPAT_HOSTS.find((host) => host.n8n === version);
	if (!spec)
		throw new Error(
			`N8N_HOST_VERSION=${version} is not one of ${COMPAT_HOSTS.map((h) => h.n8n).join(', ')}`,
		);
	return spec;
}

export const PACKAGE_NAME = 'n8n-nodes-accesstrade-salekit';

/** How nodes name each other in saved workflows when the package is installed from npm. */
export const COMMUNITY_TYPE_PREFIX = `${PACKAGE_NAME}.`;

export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
	// Walks up because this file runs both from test/harness/ (ts-jest) and compiled from .build/test/harness/.
	for (let dir = start; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME)
			return dir;
		if (path.dirname(dir) === dir)
			throw new Error(`No ${PACKAGE_NAME} package.json above ${start}`);
	}
}

/** `npm run build`, quiet unless it fails: dist/ is what both loading modes load. */
export async function buildPackage(): Promise<void> {
	const result = await runNpm(['run', 'build'], { cwd: REPO_ROOT });
	if (result.code !== 0) throw new Error(describeFailure('npm run build', result));
}

/** What every script does first: the pinned n8n (installed on first use) and a fresh build. */
export async function hostAndFreshBuild(): Promise<N8nHost> {
	const host = await ensureN8nHost();
	console.log(`n8n ${host.version}: ${host.directory}`);
	process.stdout.write('Building the package (npm run build)… ');
	await buildPackage();
	console.log('done');
	return host;
}

// ---------------------------------------------------------------------------------------------
// The host install

export interface N8nHost {
	version: string;
	directory: string;
	/** n8n's CLI script, run with `node`. */
	bin: string;
	/** The Node.js that runs it. */
	node: string;
}

type Log = (line: string) => void;

/** Outside the repository so that every clone and worktree shares one 2 GB install. */
export function hostDirectory(version = N8N_VERSION): string {
	return path.join(cacheDirectory(), `n8n-${version}`);
}

export function cacheDirectory(): string {
	const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(cacheHome, PACKAGE_NAME);
}

function hostAt(directory: string, version: string, node: string): N8nHost {
	return { version, directory, bin: path.join(directory, 'node_modules', '.bin', 'n8n'), node };
}

/** That Node first on PATH, so that whatever n8n or npm start runs on it too. */
export function hostEnvironment(host: Pick<N8nHost, 'node'>): NodeJS.ProcessEnv {
	const env = npmEnvironment();
	return { ...env, PATH: `${path.dirname(host.node)}${path.delimiter}${env.PATH ?? ''}` };
}

async function installedVersion(host: N8nHost): Promise<string | undefined> {
	if (!existsSync(host.bin)) return undefined;
	const result = await runCommand(host.node, [host.bin, '--version'], {
		env: hostEnvironment(host),
		timeoutMs: 60_000,
	});
	return result.code === 0 ? result.stdout.trim() : undefined;
}

/**
 * A Node.js from npm's `node` package, installed on first use: its runnable binary, and the
 * folder with its C headers that native modules build against.
 */
async function ensureNode(version: string, log: Log): Promise<{ node: string; headers: string }> {
	const directory = path.join(cacheDirectory(), `node-${version}`);
	const installed = path.join(directory, 'node_modules', 'node');
	const node = path.join(installed, 'bin', 'node');
	const headers = path.join(installed, 'node_modules', `node-${process.platform}-${process.arch}`);
	const check = await runCommand(node, ['--version']).catch(() => undefined);
	if (check?.stdout.trim() === `v${version}`) return { node, headers };

	log(`Installing Node.js ${version} from npm into ${directory}`);
	await mkdir(directory, { recursive: true });
	await writeFile(path.join(directory, 'package.json'), '{ "private": true }\n');
	const result = await runNpm(['install', '--no-audit', '--no-fund', `node@${version}`], {
		cwd: directory,
	});
	if (result.code !== 0) throw new Error(describeFailure(`npm install node@${version}`, result));
	return { node, headers };
}

const STAGING_SUFFIX = '.installing-';

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The processes staging an install into this host folder right now. */
async function stagingInstalls(directory: string): Promise<Array<{ pid: number; folder: string }>> {
	const parent = path.dirname(directory);
	const prefix = `${path.basename(directory)}${STAGING_SUFFIX}`;
	const entries = (await readdir(parent).catch(() => [])).filter((entry) =>
		entry.startsWith(prefix),
	);
	return entries.map((entry) => ({
		pid: Number(entry.slice(prefix.length)),
		folder: path.join(parent, entry),
	}));
}

/** Staging folders of installs killed midway (their process is gone) hold up to 2 GB each. */
async function removeAbandonedStaging(directory: string): Promise<void> {
	for (const { pid, folder } of await stagingInstalls(directory)) {
		if (!isRunning(pid)) await rm(folder, { recursive: true, force: true });
	}
}

/** Longer than a slow install takes; past it the other install is taken for stalled. */
const OTHER_INSTALL_WAIT_MS = 30 * 60_000;

/**
 * Waits while another process installs this host (CI starts the installs early, beside the
 * suites): a second 2 GB install at once would only slow both down.
 */
async function awaitOtherInstall(directory: string, log: Log): Promise<void> {
	const others = () =>
		stagingInstalls(directory).then((found) =>
			found.filter(({ pid }) => pid !== process.pid && isRunning(pid)),
		);
	let waiting = await others();
	if (waiting.length === 0) return;
	log(
		`Waiting for process ${waiting.map(({ pid }) => pid).join(', ')}, which is installing ${path.basename(directory)}…`,
	);
	const giveUpAt = Date.now() + OTHER_INSTALL_WAIT_MS;
	while (waiting.length > 0) {
		if (Date.now() > giveUpAt) {
			log(
				`Still not done after ${OTHER_INSTALL_WAIT_MS / 60_000} minutes: installing it here as well`,
			);
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		waiting = await others();
	}
}

/**
 * An n8n host, installed on first use (by default the pinned one, on the machine's Node). It is
 * installed into a staging folder and renamed into place only when complete, so an interrupted
 * install is never mistaken for a good one and two first runs at once cannot mix their files.
 */
export async function ensureN8nHost(
	spec: HostSpec = { n8n: N8N_VERSION },
	log: Log = console.log,
): Promise<N8nHost> {
	const { n8n: version } = spec;
	const nodeFromNpm = spec.node === undefined ? undefined : await ensureNode(spec.node, log);
	const host = hostAt(hostDirectory(version), version, nodeFromNpm?.node ?? process.execPath);
	if ((await installedVersion(host)) === version) return host;
	await awaitOtherInstall(host.directory, log);
	if ((await installedVersion(host)) === version) return host;

	await removeAbandonedStaging(host.directory);
	const staging = `${host.directory}${STAGING_SUFFIX}${process.pid}`;
	await mkdir(staging, { recursive: true });
	const manifest = {
		name: 'n8n-host',
		private: true,
		dependencies: { n8n: version },
		// n8n-nodes-base takes xlsx from a tarball on cdn.sheetjs.com; without this override npm
		// hangs resolving it. The registry's 0.18.5 stands in.
		overrides: { xlsx: '0.18.5' },
	};
	await writeFile(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

	log(`Installing n8n ${version} into ${host.directory}`);
	log(
		'This happens once per n8n version and takes a few minutes (about 2 GB); npm output follows.',
	);
	const started = Date.now();
	const heartbeat = setInterval(
		() => log(`… still installing n8n (${Math.round((Date.now() - started) / 1000)} s)`),
		30_000,
	);
	try {
		const install = ['install', '--no-audit', '--no-fund'];
		const staged = hostAt(staging, version, host.node);
		if (nodeFromNpm) {
			// Newer n8n pulls native modules whose install scripts download sources (kafka), which
			// fails offline: skip every script, then build the two n8n needs against that Node.
			await runNpmOrThrow([...install, '--ignore-scripts'], staging, npmEnvironment());
			const env = { ...hostEnvironment(staged), npm_config_nodedir: nodeFromNpm.headers };
			await runNpmOrThrow(['rebuild', 'sqlite3', 'isolated-vm'], staging, env);
		} else {
			await runNpmOrThrow(install, staging, npmEnvironment());
		}
		const got = await installedVersion(staged);
		if (got !== version)
			throw new Error(`Installed n8n reports version ${got ?? '(none)'}, expected ${version}`);
		await rm(host.directory, { recursive: true, force: true });
		try {
			await rename(staging, host.directory);
		} catch (error) {
			// Another first run finished at the same moment: use its copy if it works.
			if ((await installedVersion(host)) !== version) throw error;
		}
	} finally {
		clearInterval(heartbeat);
		await rm(staging, { recursive: true, force: true });
	}
	log(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return host;
}

async function runNpmOrThrow(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
	const result = await runCommand('npm', args, { cwd, env, output: 'show' });
	if (result.code !== 0)
		throw new Error(`npm ${args.join(' ')} in ${cwd} failed (exit ${result.code})`);
}

// ---------------------------------------------------------------------------------------------
// Workflow and credential files

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[setting: string]: unknown;
}

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[field: string]: unknown;
}

/** What `n8n import:credentials` takes; plain `data` is encrypted with the instance key on import. */
export interface CredentialFile {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

export async function readWorkflowFile(file: string): Promise<WorkflowFile> {
	return JSON.parse(await readFile(file, 'utf8')) as WorkflowFile;
}

/** The same workflow with this package's node types under another loader's prefix. */
export function withNodeTypePrefix(workflow: WorkflowFile, prefix: string): WorkflowFile {
	if (prefix === COMMUNITY_TYPE_PREFIX) return workflow;
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.type.startsWith(COMMUNITY_TYPE_PREFIX)
				? { ...node, type: prefix + node.type.slice(COMMUNITY_TYPE_PREFIX.length) }
				: node,
		),
	};
}

// ---------------------------------------------------------------------------------------------
// Execution results

export interface ExecutionItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }>;
}

export interface NodeRun {
	executionStatus?: string;
	data?: { main?: Array<ExecutionItem[] | null> };
	error?: { message: string; description?: string };
}

export interface ExecutionError {
	message: string;
	description?: string | null;
	node?: { name: string; type: string };
}

export interface Execution {
	ok: boolean;
	runData: Record<string, NodeRun[]>;
	error?: ExecutionError;
	/** Everything the CLI printed, for checks that look for what must never appear. */
	stdout: string;
	stderr: string;
}

/**
 * `n8n execute --rawOutput` prints log lines, then the run as indented JSON (also when the run
 * failed, then followed by more log lines): the JSON starts at the first line that starts with
 * `{` and, being indented, ends at the first line that is exactly `}`.
 */
export function parseExecuteOutput(
	stdout: string,
): Omit<Execution, 'stdout' | 'stderr'> | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	const end = lines.findIndex((line, index) => index >= start && line.trimEnd() === '}');
	if (end === -1) return undefined;
	const run = JSON.parse(lines.slice(start, end + 1).join('\n')) as {
		data: { resultData: { runData?: Record<string, NodeRun[]>; error?: ExecutionError } };
	};
	const { runData = {}, error } = run.data.resultData;
	return { ok: error === undefined, runData, error };
}

/** The items a node sent out of one output in its (first) run. */
export function outputItems(execution: Execution, nodeName: string, output = 0): ExecutionItem[] {
	const runs = execution.runData[nodeName];
	if (!runs)
		throw new Error(
			`Node "${nodeName}" did not run; ran: ${Object.keys(execution.runData).join(', ')}`,
		);
	return runs[0]?.data?.main?.[output] ?? [];
}

// ---------------------------------------------------------------------------------------------
// Instances

/**
 * How n8n finds the package: installed from npm as a community package (what users do), or
 * from a folder named in N8N_CUSTOM_EXTENSIONS (what developers do). Node types are named
 * `n8n-nodes-accesstrade-salekit.salekit` in the first case and `CUSTOM.salekit` in the second.
 */
export type PackageLoading = 'communityPackage' | 'customExtensions';

export interface RunningEditor {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/** n8n settings that keep an instance to itself: no calls home, no banners, no templates. */
const OFFLINE_SETTINGS: NodeJS.ProcessEnv = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
	// The list of verified community nodes comes from n8n's servers; installed packages still load.
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_AI_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	// The rawOutput JSON of a failed run is printed through the logger, at level info.
	N8N_LOG_LEVEL: 'info',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
};

/**
 * Inherited settings that would make runs differ between a shell and a test runner or between
 * machines: a developer's N8N_PORT, say, or Jest's NODE_ENV=test, under which n8n loads no
 * nodes and logs nothing.
 */
function isHostSpecific(variableName: string): boolean {
	return variableName.startsWith('N8N_') || variableName === 'NODE_ENV';
}

/** One throwaway n8n: its own user folder (database, settings, installed packages) under the temp dir. */
export class N8nInstance {
	private constructor(
		readonly host: N8nHost,
		readonly loading: PackageLoading,
		readonly userFolder: string,
		/** The prefix this instance knows our node types by, dot included. */
		readonly nodeTypePrefix: string,
		/** What its n8n commands run with; `n8n worker` processes of one setup start from it too. */
		readonly env: NodeJS.ProcessEnv,
	) {}

	/** Loads dist/ as it is: build first. `settings` (n8n environment variables) come last and win. */
	static async create(
		host: N8nHost,
		loading: PackageLoading,
		settings: NodeJS.ProcessEnv = {},
	): Promise<N8nInstance> {
		const userFolder = await mkdtemp(path.join(os.tmpdir(), `n8n-${loading}-`));
		const env: NodeJS.ProcessEnv = {
			...Object.fromEntries(
				Object.entries(hostEnvironment(host)).filter(([name]) => !isHostSpecific(name)),
			),
			...OFFLINE_SETTINGS,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			...settings,
		};
		let prefix = COMMUNITY_TYPE_PREFIX;
		if (loading === 'communityPackage') {
			await installAsCommunityPackage(userFolder);
		} else {
			// dist/ itself, not the package root: the custom-extensions loader globs for *.node.js
			// and would also pick up whatever node_modules holds.
			env.N8N_CUSTOM_EXTENSIONS = path.join(REPO_ROOT, 'dist');
			prefix = 'CUSTOM.';
		}
		return new N8nInstance(host, loading, userFolder, prefix, env);
	}

	/** One n8n CLI command. Each gets its own task-broker port, so instances can run side by side. */
	async cli(
		args: string[],
		options: Pick<RunOptions, 'timeoutMs' | 'onSpawn'> = {},
	): Promise<CommandResult> {
		const env = { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		return await runCommand(this.host.node, [this.host.bin, ...args], {
			env,
			timeoutMs: 180_000,
			...options,
		});
	}

	private async cliOrThrow(args: string[]): Promise<CommandResult> {
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(describeFailure(`n8n ${args.join(' ')}`, result));
		return result;
	}

	async importCredentials(credentials: CredentialFile[]): Promise<void> {
		const file = await this.writeScratchFile('credentials.json', credentials);
		await this.cliOrThrow(['import:credentials', `--input=${file}`]);
	}

	/** Imports (or replaces, by id) all workflows in one CLI call, with node types as this instance names them. */
	async importWorkflows(workflows: WorkflowFile[]): Promise<void> {
		const adapted = workflows.map((workflow) => withNodeTypePrefix(workflow, this.nodeTypePrefix));
		const file = await this.writeScratchFile('workflows.json', adapted);
		await this.cliOrThrow(['import:workflow', `--input=${file}`]);
	}

	/**
	 * Makes its Webhook nodes answer on /webhook/… once the instance runs `n8n start`. n8n 1.x
	 * has no publishing: a workflow is activated there.
	 */
	async publishWorkflow(workflowId: string): Promise<void> {
		const v1 = this.host.version.startsWith('1.');
		await this.cliOrThrow(
			v1
				? ['update:workflow', `--id=${workflowId}`, '--active=true']
				: ['publish:workflow', `--id=${workflowId}`],
		);
	}

	/** Runs a workflow from its Manual Trigger. A failed run is a result, not an exception. */
	async execute(workflowId: string, onSpawn?: RunOptions['onSpawn']): Promise<Execution> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { onSpawn });
		const parsed = parseExecuteOutput(result.stdout);
		if (!parsed)
			throw new Error(describeFailure(`n8n execute --id=${workflowId} printed no run`, result));
		return { ...parsed, stdout: result.stdout, stderr: result.stderr };
	}

	/**
	 * `n8n start`, resolved once its REST API answers. Its log goes to our stdout unless `quiet`.
	 * Listens on loopback only: the instance has sandbox credentials and no hardening.
	 */
	async startEditor(options: { port: number; quiet?: boolean }): Promise<RunningEditor> {
		const url = `http://127.0.0.1:${options.port}`;
		const env = {
			...this.env,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_PORT: String(options.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${url}/`,
			// Served over plain http: a Secure session cookie would not come back.
			N8N_SECURE_COOKIE: 'false',
		};
		// Quiet keeps n8n's log in the user folder, so that a start that fails can say why.
		const logFile = path.join(this.userFolder, 'n8n-start.log');
		const logFd = options.quiet ? openSync(logFile, 'a') : undefined;
		const child = spawnGroup(
			this.host.node,
			[this.host.bin, 'start'],
			{ env, output: options.quiet ? 'log' : 'show' },
			logFd,
		);
		if (logFd !== undefined) closeSync(logFd);
		const exited = new Promise<never>((_, reject) =>
			child.once('exit', (code) => {
				const tail =
					logFd === undefined
						? ''
						: `; the end of its log (${logFile}):\n${lastLines(logFile, 40)}`;
				reject(new Error(`n8n start exited with ${code} before it was ready${tail}`));
			}),
		);
		exited.catch(() => undefined);
		// Not /healthz/readiness: that answers before the REST API is mounted, and until then every
		// path answers 200 with the text "n8n is starting up".
		const restIsUp = (response: Response) =>
			(response.headers.get('content-type') ?? '').includes('application/json');
		await Promise.race([waitForHttp(`${url}/rest/settings`, 120_000, restIsUp), exited]);
		return { url, process: child, stop: () => stopProcess(child) };
	}

	async remove(): Promise<void> {
		await rm(this.userFolder, { recursive: true, force: true });
	}

	private async writeScratchFile(name: string, content: unknown): Promise<string> {
		const file = path.join(this.userFolder, name);
		await writeFile(file, JSON.stringify(content, null, 2));
		return file;
	}
}

/**
 * What n8n itself does when a user installs the package from the Community Nodes settings:
 * `npm pack`, unpack into <user folder>/.n8n/nodes/node_modules/<name>, drop the dev, peer and
 * optional dependencies from its package.json, and record it in nodes/package.json. Packing
 * (rather than linking the repository) ships exactly the published files, and n8n-workflow
 * then resolves to the host's copy, as it does for users.
 */
async function installAsCommunityPackage(userFolder: string): Promise<void> {
	const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
	const packageFolder = path.join(nodesFolder, 'node_modules', PACKAGE_NAME);
	await mkdir(packageFolder, { recursive: true });

	const packed = await runNpm(
		['pack', '--ignore-scripts', '--json', `--pack-destination=${userFolder}`],
		{
			cwd: REPO_ROOT,
		},
	);
	if (packed.code !== 0) throw new Error(describeFailure('npm pack', packed));
	const [{ filename }] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
	const tarball = path.join(userFolder, filename);
	const unpacked = await runCommand('tar', [
		'-xzf',
		tarball,
		'-C',
		packageFolder,
		'--strip-components=1',
	]);
	if (unpacked.code !== 0) throw new Error(describeFailure('tar', unpacked));
	await rm(tarball);

	const manifestPath = path.join(packageFolder, 'package.json');
	const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
	if (Object.keys(manifest.dependencies ?? {}).length > 0) {
		throw new Error(
			'The package now has runtime dependencies, which n8n npm-installs after unpacking: ' +
				'teach installAsCommunityPackage to do the same.',
		);
	}
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
	const installed = {
		name: 'installed-nodes',
		private: true,
		dependencies: { [PACKAGE_NAME]: manifest.version },
	};
	await writeFile(path.join(nodesFolder, 'package.json'), JSON.stringify(installed, null, 2));
}

/** The owner of a throwaway instance; printed by `npm run n8n`. n8n wants a capital and a digit. */
export const SANDBOX_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Sandbox-demo-1',
} as const;

/** Creates the owner account (what the editor's first page asks for) and returns its session cookie. */
export async function setUpOwner(editorUrl: string, owner = SANDBOX_OWNER): Promise<string> {
	const response = await fetch(`${editorUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(`Owner setup answered HTTP ${response.status}: ${await response.text()}`);
	return response.headers
		.getSetCookie()
		.map((cookie) => cookie.split(';')[0])
		.join('; ');
}

function lastLines(file: string, count: number): string {
	return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
}
