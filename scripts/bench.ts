/**
 * `npm run bench`: AccessTrade conversion status updates in real n8n against the local sandbox
 * (20 ms per request), through our node at two concurrencies, through n8n's HTTP Request node set
 * up for the same endpoint, and through a bare HTTP client loop (the floor). Throughput comes
 * from each node's own `executionTime` in n8n's run data, so n8n's start-up is not counted.
 * Prints one Markdown table per size and whether each target holds. Exits non-zero only when a
 * configuration failed to run; a missed target is a result, not a failure.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_TOKENS,
	seedConversions,
	startSandbox,
	type Sandbox,
} from '../sandbox/server';
import { sandboxCredentials, SANDBOX_CREDENTIALS } from './examples';
import { runScript, type Cleanup } from './lifecycle';
import {
	COMMUNITY_TYPE_PREFIX,
	hostAndFreshBuild,
	N8nInstance,
	outputItems,
	type Execution,
	type N8nHost,
	type NodeRun,
	type WorkflowFile,
	type WorkflowNode,
} from './n8n-host';

const LATENCY_MS = 20;
const SIZES = [1_000, 10_000];
const CONCURRENCIES = [10, 100] as const;
/** Target: our node at concurrency 10 within this factor of items × latency / 10. */
const IDEAL_TOLERANCE = 1.2;
/** Often enough to see the RSS of a node run that lasts a fifth of a second. */
const SAMPLE_INTERVAL_MS = 20;

/** What n8n 2.8.4's editor puts on a new HTTP Request node. */
const HTTP_REQUEST_VERSION = 4.4;
const HEADER_AUTH_CREDENTIAL = { id: 'accessTradeHeaderAuth', name: 'AccessTrade token (Header Auth)' } as const;
const TOKEN_HEADER = 'x-at-user-access-token';
const STATUS = 'pre_approved';
const CONVERSION_PATH = `/api/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`;
const CONVERSION_IDS = seedConversions().map((conversion) => conversion.conversion_id);
const UNDER_TEST = 'Update status';

// ---------------------------------------------------------------------------------------------
// What is measured

type Subject =
	| { kind: 'ours'; concurrency: number }
	| { kind: 'httpRequest' }
	| { kind: 'bare'; concurrency: number };

/** The rows of each size's table, in this order. */
const SUBJECTS: Subject[] = [
	...CONCURRENCIES.map((concurrency): Subject => ({ kind: 'ours', concurrency })),
	{ kind: 'httpRequest' },
	...CONCURRENCIES.map((concurrency): Subject => ({ kind: 'bare', concurrency })),
];

interface Measurement {
	seconds: number;
	/** Only for n8n runs: the bench process's memory says nothing about n8n. */
	memory?: { peakDuringNodeMb: number; peakWholeRunMb: number };
}

interface Row {
	subject: Subject;
	items: number;
	result: Measurement | { failure: string };
}

function label(subject: Subject): string {
	switch (subject.kind) {
		case 'ours':
			return `AccessTrade node, concurrency ${subject.concurrency}`;
		case 'httpRequest':
			return 'HTTP Request node';
		case 'bare':
			return `bare Node http loop, concurrency ${subject.concurrency}`;
	}
}

function concurrencyOf(subject: Subject): number | undefined {
	return subject.kind === 'httpRequest' ? undefined : subject.concurrency;
}

/** Items × latency / concurrency: every request slot busy all the time, no other cost. */
function idealSeconds(items: number, concurrency: number): number {
	return (items * LATENCY_MS) / concurrency / 1000;
}

// ---------------------------------------------------------------------------------------------
// Workflows: Manual Trigger → Code node making the items → the node under test

/**
 * Item i updates seeded conversion i mod 5 with reason `bench-i`. The Code node and the bare
 * loop both build items this way; the nodes map both fields by expression, as a user would.
 */
function itemsCode(items: number): string {
	return [
		`const ids = ${JSON.stringify(CONVERSION_IDS)};`,
		`return Array.from({ length: ${items} }, (_, i) => ({ json: { conversionId: ids[i % ids.length], reason: 'bench-' + i } }));`,
	].join('\n');
}

function benchInput(index: number): { conversionId: string; reason: string } {
	return { conversionId: CONVERSION_IDS[index % CONVERSION_IDS.length], reason: `bench-${index}` };
}

type NodeUnderTest = Pick<WorkflowNode, 'type' | 'typeVersion' | 'parameters' | 'credentials'>;

function nodeUnderTest(subject: Subject, sandbox: Sandbox): NodeUnderTest {
	if (subject.kind === 'ours') {
		return {
			type: `${COMMUNITY_TYPE_PREFIX}accessTrade`,
			typeVersion: 1,
			parameters: {
				resource: 'conversion',
				operation: 'updateStatus',
				campaignId: String(SANDBOX_CAMPAIGN_ID),
				conversionId: '={{ $json.conversionId }}',
				status: STATUS,
				reason: '={{ $json.reason }}',
				options: { concurrency: subject.concurrency },
			},
			credentials: { accessTradeApi: SANDBOX_CREDENTIALS.accessTradeApi },
		};
	}
	// Authenticated through a Header Auth credential, as ours is through its credential: a literal
	// header in the node would skip n8n's per-item credential work and flatter the peer.
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: HTTP_REQUEST_VERSION,
		parameters: {
			method: 'POST',
			url: `${sandbox.accessTradeBaseUrl}${CONVERSION_PATH}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'conversion_id', value: '={{ $json.conversionId }}' },
					{ name: 'status', value: STATUS },
					{ name: 'reason', value: '={{ $json.reason }}' },
				],
			},
			// No batching: the node sends every item at once, its fastest setting.
			options: {},
		},
		credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL },
	};
}

function workflowId(subject: Subject, items: number): string {
	return `bench${subject.kind}C${concurrencyOf(subject) ?? 0}N${items}`;
}

function benchWorkflow(subject: Subject, items: number, sandbox: Sandbox): WorkflowFile {
	const nodes: WorkflowNode[] = [
		{ type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {}, name: 'Start' },
		{ type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: itemsCode(items) }, name: 'Items' },
		{ ...nodeUnderTest(subject, sandbox), name: UNDER_TEST },
	].map((node, column) => ({ ...node, id: `${workflowId(subject, items)}-${column}`, position: [column * 240, 0] }));
	const feeds = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		id: workflowId(subject, items),
		name: `Bench: ${label(subject)}, ${items} items`,
		nodes,
		connections: { Start: feeds('Items'), Items: feeds(UNDER_TEST) },
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------
// Memory of the n8n process

interface RssSample {
	at: number;
	rssKb: number;
}

function statusField(status: string, field: string): number | undefined {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) : undefined;
}

/**
 * Polls /proc/<pid>/status of the n8n main process (the task runner it starts is another process
 * and is not counted).
 * VmRSS samples give the peak while the node under test ran. VmHWM is the kernel's own peak over
 * the whole process life, start-up and printing the run included, as last seen before it ended.
 */
class MemoryProbe {
	pid: number | undefined;
	private readonly samples: RssSample[] = [];
	private hwmKb = 0;
	private readonly timer: NodeJS.Timeout;

	constructor() {
		this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
	}

	stop(): void {
		clearInterval(this.timer);
	}

	peakDuringMb(from: number, to: number): number | undefined {
		const inside = this.samples.filter((sample) => sample.at >= from && sample.at <= to);
		return inside.length === 0 ? undefined : Math.max(...inside.map((sample) => sample.rssKb)) / 1024;
	}

	get peakWholeRunMb(): number {
		return this.hwmKb / 1024;
	}

	private sample(): void {
		if (this.pid === undefined) return;
		let status: string;
		try {
			status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
		} catch {
			return;
		}
		// A process that has exited but is not yet reaped has no memory lines.
		const rssKb = statusField(status, 'VmRSS');
		if (rssKb !== undefined) this.samples.push({ at: Date.now(), rssKb });
		this.hwmKb = Math.max(this.hwmKb, statusField(status, 'VmHWM') ?? 0);
	}
}

// ---------------------------------------------------------------------------------------------
// n8n

/** One n8n user folder for every configuration, with the package, the credentials and all workflows. */
async function setUpN8n(host: N8nHost, sandbox: Sandbox, cleanup: Cleanup): Promise<N8nInstance> {
	const instance = await N8nInstance.create(host, 'communityPackage');
	cleanup.add(() => instance.remove());
	await instance.importCredentials([
		...sandboxCredentials(sandbox),
		{ ...HEADER_AUTH_CREDENTIAL, type: 'httpHeaderAuth', data: { name: TOKEN_HEADER, value: SANDBOX_TOKENS.accessTrade } },
	]);
	const inN8n = SUBJECTS.filter((subject) => subject.kind !== 'bare');
	await instance.importWorkflows(SIZES.flatMap((items) => inN8n.map((subject) => benchWorkflow(subject, items, sandbox))));
	return instance;
}

// ---------------------------------------------------------------------------------------------
// Running one configuration

/** Every request reached the sandbox once, succeeded, and carried its own item's reason. */
function checkSandboxLog(sandbox: Sandbox, items: number): void {
	const requests = sandbox.log.filter((entry) => entry.vendor === 'accessTrade');
	const failed = requests.filter((entry) => entry.status !== 200);
	const reasons = new Set(
		requests.map((entry) => (entry.body as { reason?: unknown } | undefined)?.reason).filter((reason) => reason !== undefined),
	);
	if (requests.length !== items || failed.length > 0 || reasons.size !== items) {
		throw new Error(
			`the sandbox got ${requests.length} requests (${failed.length} not HTTP 200, ${reasons.size} distinct reasons), expected ${items}`,
		);
	}
}

/** Our node outputs the conversion; the HTTP Request node AccessTrade's whole envelope. */
function isSuccessfulOutput(subject: Subject, json: Record<string, unknown>): boolean {
	if (subject.kind === 'ours') return typeof json.conversion_id === 'string';
	const inner = json.data as { status?: unknown; code?: unknown } | undefined;
	return json.status === 'success' && inner?.status === 'success' && inner.code === 0;
}

function checkExecution(subject: Subject, execution: Execution, items: number): NodeRun & TimedRun {
	if (!execution.ok) {
		const where = execution.error?.node ? ` in "${execution.error.node.name}"` : '';
		throw new Error(`the run failed${where}: ${execution.error?.message ?? 'unknown error'}`);
	}
	const output = outputItems(execution, UNDER_TEST);
	const bad = output.filter((item) => !isSuccessfulOutput(subject, item.json));
	if (output.length !== items || bad.length > 0) {
		const example = bad[0] ? `, e.g. ${JSON.stringify(bad[0].json).slice(0, 200)}` : '';
		throw new Error(`the node output ${output.length} items (${bad.length} not a successful update${example}), expected ${items}`);
	}
	const run = execution.runData[UNDER_TEST][0] as NodeRun & Partial<TimedRun>;
	if (typeof run.startTime !== 'number' || typeof run.executionTime !== 'number') {
		throw new Error('the run data has no startTime/executionTime for the node');
	}
	return run as NodeRun & TimedRun;
}

/** The fields of n8n's task data (ITaskData) that say when a node ran and for how long. */
interface TimedRun {
	startTime: number;
	executionTime: number;
}

async function measureInN8n(n8n: N8nInstance, subject: Subject, items: number): Promise<Measurement> {
	const id = workflowId(subject, items);
	const probe = new MemoryProbe();
	let execution: Execution;
	try {
		execution = await n8n.execute(id, (child) => (probe.pid = child.pid));
	} finally {
		probe.stop();
	}
	const run = checkExecution(subject, execution, items);
	const peakDuringNodeMb = probe.peakDuringMb(run.startTime, run.startTime + run.executionTime);
	if (peakDuringNodeMb === undefined) throw new Error(`no memory sample of the n8n process for ${id}`);
	return { seconds: run.executionTime / 1000, memory: { peakDuringNodeMb, peakWholeRunMb: probe.peakWholeRunMb } };
}

/** One update with Node's own client: a fresh connection each time, as n8n's requests have. */
function postUpdate(endpoint: URL, index: number): Promise<void> {
	const { conversionId, reason } = benchInput(index);
	const body = JSON.stringify({ conversion_id: conversionId, status: STATUS, reason });
	return new Promise((resolve, reject) => {
		const request = http.request(
			endpoint,
			{
				method: 'POST',
				agent: false,
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': Buffer.byteLength(body),
					[TOKEN_HEADER]: SANDBOX_TOKENS.accessTrade,
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('error', reject);
				response.on('end', () => {
					// Parsed and checked like the nodes do, so the floor does the same work per reply.
					const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
					if (response.statusCode === 200 && isSuccessfulOutput({ kind: 'httpRequest' }, reply)) resolve();
					else reject(new Error(`item ${index}: HTTP ${response.statusCode} ${JSON.stringify(reply).slice(0, 200)}`));
				});
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

interface BareLoopJob {
	endpoint: string;
	concurrency: number;
	items: number;
}

/** The worker thread's side: a pool of `concurrency` loops over the items; resolves to seconds. */
async function bareLoop({ endpoint, concurrency, items }: BareLoopJob): Promise<number> {
	const url = new URL(endpoint);
	let next = 0;
	const worker = async () => {
		while (next < items) await postUpdate(url, next++);
	};
	const started = performance.now();
	await Promise.all(Array.from({ length: Math.min(concurrency, items) }, worker));
	return (performance.now() - started) / 1000;
}

/**
 * The floor: the same requests from plain Node http. Run in a worker thread so that the client
 * does not share an event loop with the sandbox, just as n8n's client does not.
 */
async function measureBareLoop(sandbox: Sandbox, concurrency: number, items: number): Promise<Measurement> {
	const job: BareLoopJob = { endpoint: `${sandbox.accessTradeBaseUrl}${CONVERSION_PATH}`, concurrency, items };
	const worker = new Worker(__filename, { workerData: job });
	const seconds = await new Promise<number>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', (code) => reject(new Error(`the client thread exited with ${code} before reporting`)));
	});
	return { seconds };
}

async function measure(n8n: N8nInstance, sandbox: Sandbox, subject: Subject, items: number): Promise<Measurement> {
	sandbox.reset();
	const measurement =
		subject.kind === 'bare'
			? await measureBareLoop(sandbox, subject.concurrency, items)
			: await measureInN8n(n8n, subject, items);
	checkSandboxLog(sandbox, items);
	return measurement;
}

// ---------------------------------------------------------------------------------------------
// Report

const number = (value: number, digits = 0) =>
	value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function measured(row: Row | undefined): Measurement | undefined {
	return row && 'seconds' in row.result ? row.result : undefined;
}

function perSecond(items: number, result: Measurement): number {
	return items / result.seconds;
}

function formatRow(row: Row, peer: Row | undefined): string {
	if (!('seconds' in row.result)) return `| ${label(row.subject)} | FAILED: ${row.result.failure} | | | | | |`;
	const result = row.result;
	const peerResult = measured(peer);
	const concurrency = concurrencyOf(row.subject);
	const cells = [
		label(row.subject),
		number(perSecond(row.items, result)),
		number(result.seconds, 2),
		result.memory ? number(result.memory.peakDuringNodeMb) : 'n/a',
		result.memory ? number(result.memory.peakWholeRunMb) : 'n/a',
		peer && peerResult ? `${number(perSecond(row.items, result) / perSecond(peer.items, peerResult), 2)}×` : '–',
		concurrency === undefined
			? '–'
			: `${number(result.seconds / idealSeconds(row.items, concurrency), 2)}× of ${number(idealSeconds(row.items, concurrency), 2)} s`,
	];
	return `| ${cells.join(' | ')} |`;
}

function printTable(items: number, rows: Row[]): void {
	const peer = rows.find((row) => row.subject.kind === 'httpRequest');
	console.log(`\n${number(items)} status updates, ${LATENCY_MS} ms latency per request:\n`);
	console.log(
		'| configuration | items/s | seconds | peak RSS MB, node running | peak RSS MB, whole run | speed vs HTTP Request node | time vs ideal |',
	);
	console.log('|---|--:|--:|--:|--:|--:|--:|');
	for (const row of rows) console.log(formatRow(row, peer));
}

interface Verdict {
	pass: boolean;
	text: string;
}

/** The targets for one size, each only where the configurations it compares ran. */
function verdicts(items: number, rows: Row[]): Verdict[] {
	const find = (kind: Subject['kind'], concurrency?: number) =>
		measured(rows.find((row) => row.subject.kind === kind && concurrencyOf(row.subject) === concurrency));
	const [ours10, ours100, peer] = [find('ours', 10), find('ours', 100), find('httpRequest')];
	const size = `${number(items)} items`;
	const out: Verdict[] = [];
	if (ours10) {
		const ideal = idealSeconds(items, 10);
		out.push({
			pass: ours10.seconds <= ideal * IDEAL_TOLERANCE,
			text: `${size}: ours at c=10 within ${number((IDEAL_TOLERANCE - 1) * 100)}% of ideal: ${number(ours10.seconds, 2)} s vs ${number(ideal, 2)} s (${number(ours10.seconds / ideal, 2)}×)`,
		});
	}
	if (ours100 && peer) {
		const [ours, theirs] = [perSecond(items, ours100), perSecond(items, peer)];
		out.push({
			pass: ours > theirs,
			text: `${size}: ours at c=100 faster than the HTTP Request node: ${number(ours)} vs ${number(theirs)} items/s`,
		});
	}
	const [mb10, mb100, peerMb] = [ours10, ours100, peer].map((result) => result?.memory?.peakDuringNodeMb);
	if (mb10 !== undefined && mb100 !== undefined && peerMb !== undefined) {
		out.push({
			pass: Math.max(mb10, mb100) <= peerMb,
			text: `${size}: ours peak RSS while running no more than the HTTP Request node's: c=10 ${number(mb10)} MB, c=100 ${number(mb100)} MB vs ${number(peerMb)} MB`,
		});
	}
	return out;
}

// ---------------------------------------------------------------------------------------------

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function runRow(n8n: N8nInstance, sandbox: Sandbox, subject: Subject, items: number, prefix: string): Promise<Row> {
	const started = Date.now();
	try {
		const result = await measure(n8n, sandbox, subject, items);
		const memory = result.memory ? `, peak RSS ${number(result.memory.peakDuringNodeMb)} MB` : '';
		console.log(
			`${prefix} ${number(perSecond(items, result))} items/s, ${number(result.seconds, 2)} s${memory} (wall ${seconds(started)})`,
		);
		return { subject, items, result };
	} catch (error) {
		const message = (error as Error).message;
		console.log(`${prefix} FAILED after ${seconds(started)}\n${message}`);
		return { subject, items, result: { failure: message.split('\n')[0] } };
	}
}

async function main(cleanup: Cleanup): Promise<number> {
	const started = Date.now();
	const host = await hostAndFreshBuild();

	const sandbox = await startSandbox({ latencyMs: LATENCY_MS, quiet: true });
	cleanup.add(() => sandbox.stop());
	console.log(`Sandbox: ${sandbox.url}, ${LATENCY_MS} ms latency per request`);

	const n8n = await setUpN8n(host, sandbox, cleanup);
	console.log(`n8n user folder: ${n8n.userFolder} (package installed as a community package)`);
	console.log("Each n8n configuration is its own `n8n execute`; times are the node's executionTime in the run data.\n");

	const rows: Row[] = [];
	const total = SIZES.length * SUBJECTS.length;
	for (const items of SIZES) {
		for (const subject of SUBJECTS) {
			const prefix = `[${rows.length + 1}/${total}] ${number(items)} items, ${label(subject)}:`;
			rows.push(await runRow(n8n, sandbox, subject, items, prefix));
		}
	}

	console.log(
		`\nitems/s and seconds: the node's executionTime (bare loop: its own clock). Ideal: items × ${LATENCY_MS} ms / concurrency.` +
			`\nPeak RSS of the n8n main process (not its task runner): "node running" is the highest VmRSS sampled every` +
			` ${SAMPLE_INTERVAL_MS} ms while the node ran; "whole run" is its VmHWM over the whole \`n8n execute\`` +
			' (start-up and printing the run included). The bare loop runs in the bench process: n/a.',
	);
	for (const items of SIZES) printTable(items, rows.filter((row) => row.items === items));

	console.log('\nTargets:');
	for (const verdict of SIZES.flatMap((items) => verdicts(items, rows.filter((row) => row.items === items)))) {
		console.log(`  ${verdict.pass ? 'PASS' : 'MISS'}  ${verdict.text}`);
	}

	const failures = rows.filter((row) => !('seconds' in row.result)).length;
	if (failures > 0) {
		console.log(`\nBench FAILED: ${failures} configuration(s) did not run cleanly (${seconds(started)}).`);
		return 1;
	}
	console.log(`\nBench finished in ${seconds(started)}.`);
	return 0;
}

// This file is also the bare loop's client thread (see measureBareLoop). A failure there is an
// unhandled rejection, which ends the thread with an 'error' event that measureBareLoop rejects on.
if (isMainThread) {
	runScript(main);
} else {
	void bareLoop(workerData as BareLoopJob).then((seconds) => parentPort?.postMessage(seconds));
}
