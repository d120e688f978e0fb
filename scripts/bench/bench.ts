/**
 * `npm run bench [sizes…]`: AccessTrade conversion status updates in real n8n against the
 * sandbox (20 ms per request), 1,000 and 10,000 items unless sizes are given. Each row of a table
 * is its own `n8n execute` of Manual Trigger → Code node (the items) → the node under test, and
 * its time is that node's `executionTime` from the run data, so n8n's start-up is not counted.
 * Prints the tables and the targets; exits non-zero only when a configuration failed to run.
 * BENCH_ROWS and BENCH_CPU_PROFILE (below) pick rows and profile them.
 */
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_TOKENS,
	seedConversions,
	startSandbox,
	type Sandbox,
} from '../../sandbox/server';
import { sandboxCredentials, SANDBOX_CREDENTIALS } from '../../test/harness/examples';
import { runScript, type Cleanup } from '../../test/harness/lifecycle';
import {
	COMMUNITY_TYPE_PREFIX,
	hostAndFreshBuild,
	N8nInstance,
	outputItems,
	type N8nHost,
	type NodeRun,
	type WorkflowNode,
} from '../../test/harness/n8n-host';

const LATENCY_MS = 20;
/** `npm run bench -- --one-order`: only the Shop Order Key row. */
const ONE_ORDER_ONLY = process.argv.includes('--one-order');
const SIZE_ARGS = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const SIZES = ONE_ORDER_ONLY ? [] : SIZE_ARGS.length > 0 ? SIZE_ARGS.map(Number) : [1_000, 10_000];
/** The webhook case: runs of the Salekit create node with one order each, per configuration. */
const ONE_ORDER_RUNS = 20;
const CREATE_UNDER_TEST = 'Create order';
const UNDER_TEST = 'Update status';
const STATUS = 'pre_approved';
const TOKEN_HEADER = 'x-at-user-access-token';
const HEADER_AUTH_CREDENTIAL = { id: 'benchHeaderAuth', name: 'AccessTrade token (Header Auth)' };
/** The two per-item fields, mapped by the same expressions in every row. */
const FIELD_EXPRESSIONS = {
	conversionId: '={{ $json.conversionId }}',
	reason: '={{ $json.reason }}',
};
const CONVERSION_IDS = seedConversions().map((conversion) => conversion.conversion_id);

/** One row of a table: the node under test, set up for the same update of every item. */
interface Setup {
	kind: 'ours' | 'floor' | 'peer' | 'plainPeer';
	label: string;
	/** Undefined for the HTTP Request node, which sends every item at once. */
	concurrency?: number;
	node(endpoint: string): Pick<WorkflowNode, 'type' | 'typeVersion' | 'parameters' | 'credentials'>;
}

const ACCESS_TRADE_CREDENTIAL = { accessTradeApi: SANDBOX_CREDENTIALS.accessTradeApi };

const ours = (concurrency: number): Setup => ({
	kind: 'ours',
	label: `AccessTrade node, concurrency ${concurrency}`,
	concurrency,
	node: () => ({
		type: `${COMMUNITY_TYPE_PREFIX}accessTrade`,
		typeVersion: 1,
		parameters: {
			resource: 'conversion',
			operation: 'updateStatus',
			campaignId: String(SANDBOX_CAMPAIGN_ID),
			conversionId: FIELD_EXPRESSIONS.conversionId,
			status: STATUS,
			reason: FIELD_EXPRESSIONS.reason,
			options: { concurrency },
		},
		credentials: ACCESS_TRADE_CREDENTIAL,
	}),
});

/** BenchFloor.node.ts (beside this file): n8n's request helper with our credential, and nothing else. */
const floor = (concurrency: number): Setup => ({
	kind: 'floor',
	label: `floor: request helper only, concurrency ${concurrency}`,
	concurrency,
	node: (endpoint) => ({
		type: 'CUSTOM.benchFloor',
		typeVersion: 1,
		parameters: {
			url: endpoint,
			concurrency,
			conversionId: FIELD_EXPRESSIONS.conversionId,
			reason: FIELD_EXPRESSIONS.reason,
		},
		credentials: ACCESS_TRADE_CREDENTIAL,
	}),
});

/** n8n's HTTP Request node as the editor makes it (4.4), body fields mapped like ours, no batching. */
const httpRequest = (tokenAs: 'credential' | 'parameter'): Setup => ({
	kind: tokenAs === 'credential' ? 'peer' : 'plainPeer',
	label: `HTTP Request node, ${tokenAs === 'credential' ? 'Header Auth credential' : 'token as header parameter'}`,
	node: (endpoint) => ({
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.4,
		parameters: {
			method: 'POST',
			url: endpoint,
			...(tokenAs === 'credential'
				? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }
				: {
						sendHeaders: true,
						headerParameters: {
							parameters: [{ name: TOKEN_HEADER, value: SANDBOX_TOKENS.accessTrade }],
						},
					}),
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'conversion_id', value: FIELD_EXPRESSIONS.conversionId },
					{ name: 'status', value: STATUS },
					{ name: 'reason', value: FIELD_EXPRESSIONS.reason },
				],
			},
			options: {},
		},
		credentials: tokenAs === 'credential' ? { httpHeaderAuth: HEADER_AUTH_CREDENTIAL } : undefined,
	}),
});

const ALL_SETUPS = [
	ours(10),
	ours(100),
	floor(10),
	floor(100),
	httpRequest('credential'),
	httpRequest('parameter'),
];
/** BENCH_ROWS=ours100,floor100 runs only those rows (kind and concurrency), e.g. to profile them. */
const SETUPS = process.env.BENCH_ROWS
	? ALL_SETUPS.filter((setup) =>
			process.env.BENCH_ROWS!.split(',').includes(`${setup.kind}${setup.concurrency ?? ''}`),
		)
	: ALL_SETUPS;
/**
 * BENCH_CPU_PROFILE=<folder>: every n8n command writes a V8 CPU profile there. Node refuses
 * --cpu-prof in NODE_OPTIONS, so n8n runs through a wrapper that passes it.
 */
async function profiled(host: N8nHost): Promise<N8nHost> {
	const folder = process.env.BENCH_CPU_PROFILE;
	if (!folder) return host;
	const wrapper = path.join(folder, 'node');
	await mkdir(folder, { recursive: true });
	await writeFile(
		wrapper,
		`#!/bin/sh\nexec ${host.node} --cpu-prof --cpu-prof-dir=${folder} "$@"\n`,
		{ mode: 0o755 },
	);
	return { ...host, node: wrapper };
}

const workflowId = (setup: Setup, items: number) =>
	`bench-${setup.kind}${setup.concurrency ?? ''}-${items}`;

/** Item i updates seeded conversion i mod 5 with its own reason, `bench-i`. */
function benchWorkflow(setup: Setup, items: number, endpoint: string) {
	const id = workflowId(setup, items);
	const itemsCode = [
		`const ids = ${JSON.stringify(CONVERSION_IDS)};`,
		`return Array.from({ length: ${items} }, (_, i) => ({ json: { conversionId: ids[i % ids.length], reason: 'bench-' + i } }));`,
	].join('\n');
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: { jsCode: itemsCode },
		},
		{ name: UNDER_TEST, ...setup.node(endpoint) },
	].map((node, column): WorkflowNode => ({
		...node,
		id: `${id}-${column}`,
		position: [column * 240, 0],
	}));
	const feeds = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	const connections = { Start: feeds('Items'), Items: feeds(UNDER_TEST) };
	return { id, name: `Bench: ${setup.label}, ${items} items`, nodes, connections };
}

/** VmRSS of the n8n main process (its task runner is another process), sampled every 20 ms. */
class RssSamples {
	pid?: number;
	private readonly samples: Array<{ at: number; mb: number }> = [];
	private readonly timer = setInterval(() => {
		try {
			const status = this.pid === undefined ? '' : readFileSync(`/proc/${this.pid}/status`, 'utf8');
			const kb = /^VmRSS:\s+(\d+)/m.exec(status)?.[1];
			if (kb) this.samples.push({ at: Date.now(), mb: Number(kb) / 1024 });
		} catch {
			// The process has just ended.
		}
	}, 20);

	stop(): void {
		clearInterval(this.timer);
	}

	peakMb(from: number, to: number): number {
		const inside = this.samples.filter(({ at }) => at >= from && at <= to);
		if (inside.length === 0) throw new Error('no memory sample while the node ran');
		return Math.max(...inside.map(({ mb }) => mb));
	}
}

type Result = { seconds: number; peakMb: number };

async function measure(
	n8n: N8nInstance,
	sandbox: Sandbox,
	setup: Setup,
	items: number,
): Promise<Result> {
	sandbox.reset();
	const rss = new RssSamples();
	const execution = await n8n
		.execute(workflowId(setup, items), (child) => (rss.pid = child.pid))
		.finally(() => rss.stop());
	if (!execution.ok) throw new Error(`the run failed: ${execution.error?.message}`);
	// One output item per input, and every item's own update reached the sandbox once and succeeded.
	const output = outputItems(execution, UNDER_TEST).length;
	const updated = sandbox.log.filter(
		(entry) => entry.vendor === 'accessTrade' && entry.status === 200,
	);
	const reasons = new Set(
		updated.map((entry) => (entry.body as Record<string, unknown> | undefined)?.reason),
	);
	if (output !== items || updated.length !== items || reasons.size !== items) {
		throw new Error(
			`${output} items out; the sandbox updated ${updated.length}, ${reasons.size} of them distinct`,
		);
	}
	const { startTime, executionTime } = execution.runData[UNDER_TEST][0] as NodeRun &
		Record<string, number>;
	return {
		seconds: executionTime / 1000,
		peakMb: rss.peakMb(startTime, startTime + executionTime),
	};
}

const format = (value: number, digits = 0) =>
	value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (ratio: number) => `${format(ratio, 2)}×`;

/** The table and the targets of one size, every ratio from this run's rows. */
function report(items: number, results: Map<Setup, Result>): string[] {
	const ideal = (concurrency: number) => (items * LATENCY_MS) / concurrency / 1000;
	const find = (kind: Setup['kind'], concurrency?: number) =>
		[...results].find(([setup]) => setup.kind === kind && setup.concurrency === concurrency)?.[1];
	const plainPeer = find('plainPeer');
	const lines = [
		`${format(items)} status updates, ${LATENCY_MS} ms latency per request:`,
		'',
		'| configuration | seconds | items/s | speed vs HTTP Request, header parameter | time vs floor ' +
			'| time vs ideal | peak RSS MB |',
		'|---|--:|--:|--:|--:|--:|--:|',
	];
	for (const [setup, { seconds, peakMb }] of results) {
		const floorResult = setup.concurrency && find('floor', setup.concurrency);
		lines.push(
			`| ${[
				setup.label,
				format(seconds, 2),
				format(items / seconds),
				plainPeer ? times(plainPeer.seconds / seconds) : '–',
				floorResult ? times(seconds / floorResult.seconds) : '–',
				setup.concurrency
					? `${times(seconds / ideal(setup.concurrency))} of ${format(ideal(setup.concurrency), 2)}`
					: '–',
				format(peakMb),
			].join(' | ')} |`,
		);
	}

	const targets: Array<[boolean, string]> = [];
	const vsFloor = (concurrency: number, limit: number) => {
		const [ourRun, floorRun] = [find('ours', concurrency), find('floor', concurrency)];
		if (!ourRun || !floorRun) return;
		const ratio = ourRun.seconds / floorRun.seconds;
		targets.push([
			ratio <= limit,
			`concurrency ${concurrency}: ${times(ratio)} the floor's time; target ${times(limit)} at most`,
		]);
	};
	vsFloor(100, 1.15);
	vsFloor(10, 1);
	const [ours10, ours100] = [find('ours', 10), find('ours', 100)];
	if (ours10 && ours100 && plainPeer) {
		targets.push([
			Math.max(ours10.peakMb, ours100.peakMb) <= plainPeer.peakMb,
			`peak RSS ${format(ours10.peakMb)} MB (c=10), ${format(ours100.peakMb)} MB (c=100); ` +
				`the HTTP Request node's (header parameter) ${format(plainPeer.peakMb)} MB`,
		]);
	}
	return [
		...lines,
		'',
		...targets.map(([pass, text]) => `${pass ? 'PASS' : 'MISS'}  ${format(items)} items, ${text}`),
	];
}

/**
 * Salekit Create with one order per run of the node, ONE_ORDER_RUNS runs in one execution (Loop
 * Over Items, batch size 1), each with a new shop order id: with the Shop Order Key or without.
 */
function oneOrderWorkflow(guarded: boolean) {
	const id = `bench-one-order-${guarded ? 'guarded' : 'unguarded'}`;
	const itemsCode = `return Array.from({ length: ${ONE_ORDER_RUNS} }, (_, i) => ({ json: { shopOrderId: 'bench-' + $execution.id + '-' + i } }));`;
	const nodes = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: { jsCode: itemsCode },
		},
		{
			name: 'Loop',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			parameters: { batchSize: 1, options: {} },
		},
		{
			name: CREATE_UNDER_TEST,
			type: `${COMMUNITY_TYPE_PREFIX}salekit`,
			typeVersion: 1,
			parameters: {
				resource: 'order',
				operation: 'create',
				fullName: 'Bench',
				phone: '0900000000',
				totalPrice: 10,
				totalPay: 10,
				status: 0,
				products: { product: [{ productId: 1, quantity: 1 }] },
				options: guarded ? { orderKey: '={{ $json.shopOrderId }}' } : {},
			},
			credentials: { salekitApi: SANDBOX_CREDENTIALS.salekitApi },
		},
	].map((node, column): WorkflowNode => ({
		...node,
		id: `${id}-${column}`,
		position: [column * 240, 0],
	}));
	const connections = {
		Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
		Items: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
		Loop: { main: [[], [{ node: CREATE_UNDER_TEST, type: 'main', index: 0 }]] },
		[CREATE_UNDER_TEST]: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
	};
	return {
		id,
		name: `Bench: one order per run, ${guarded ? 'guarded' : 'unguarded'}`,
		nodes,
		connections,
	};
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The median executionTime (ms) of the create node's runs, each of which created its order. */
async function measureOneOrder(
	n8n: N8nInstance,
	sandbox: Sandbox,
	guarded: boolean,
): Promise<number> {
	sandbox.reset();
	const execution = await n8n.execute(oneOrderWorkflow(guarded).id);
	if (!execution.ok) throw new Error(`the run failed: ${execution.error?.message}`);
	const runs = execution.runData[CREATE_UNDER_TEST] as Array<NodeRun & Record<string, number>>;
	const created = sandbox.log.filter(
		(entry) => entry.vendor === 'salekit' && entry.status === 200,
	).length;
	if (runs.length !== ONE_ORDER_RUNS || created !== ONE_ORDER_RUNS) {
		throw new Error(
			`${runs.length} runs of the node, ${created} orders created; expected ${ONE_ORDER_RUNS} of each`,
		);
	}
	return median(runs.map((run) => run.executionTime));
}

async function oneOrderReport(n8n: N8nInstance, sandbox: Sandbox): Promise<string[]> {
	const [unguarded, guarded] = [
		await measureOneOrder(n8n, sandbox, false),
		await measureOneOrder(n8n, sandbox, true),
	];
	const overhead = guarded - unguarded;
	return [
		`Salekit Create, one order per run (the webhook case), median of ${ONE_ORDER_RUNS} runs, ${LATENCY_MS} ms latency:`,
		'',
		'| configuration | median ms |',
		'|---|--:|',
		`| without Shop Order Key | ${format(unguarded)} |`,
		`| with Shop Order Key | ${format(guarded)} |`,
		'',
		`${overhead <= 300 ? 'PASS' : 'MISS'}  Shop Order Key adds ${format(overhead)} ms (${times(guarded / unguarded)}) per order; target 300 ms at most, given up for the 1 s margin: the pause before sending is the margin (docs/queue-mode.md, What it costs)`,
	];
}

async function main(cleanup: Cleanup): Promise<number> {
	const host = await hostAndFreshBuild();
	const sandbox = await startSandbox({ latencyMs: LATENCY_MS, quiet: true });
	cleanup.add(() => sandbox.stop());
	const endpoint = `${sandbox.accessTradeBaseUrl}/api/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`;

	// Our package as users install it; the floor node from the instance's own custom-nodes folder.
	const n8n = await N8nInstance.create(await profiled(host), 'communityPackage');
	cleanup.add(() => n8n.remove());
	const customNodes = path.join(n8n.userFolder, '.n8n', 'custom');
	await mkdir(customNodes, { recursive: true });
	await copyFile(
		path.join(__dirname, 'BenchFloor.node.js'),
		path.join(customNodes, 'BenchFloor.node.js'),
	);
	await n8n.importCredentials([
		...sandboxCredentials(sandbox),
		{
			...HEADER_AUTH_CREDENTIAL,
			type: 'httpHeaderAuth',
			data: { name: TOKEN_HEADER, value: SANDBOX_TOKENS.accessTrade },
		},
	]);
	await n8n.importWorkflows([
		...SIZES.flatMap((items) => SETUPS.map((setup) => benchWorkflow(setup, items, endpoint))),
		oneOrderWorkflow(false),
		oneOrderWorkflow(true),
	]);

	const output: string[] = [];
	let failures = 0;
	for (const items of SIZES) {
		const results = new Map<Setup, Result>();
		for (const setup of SETUPS) {
			process.stdout.write(`${format(items)} items, ${setup.label}: `);
			try {
				const result = await measure(n8n, sandbox, setup, items);
				results.set(setup, result);
				console.log(`${format(result.seconds, 2)} s, ${format(result.peakMb)} MB`);
			} catch (error) {
				failures++;
				console.log(`FAILED: ${(error as Error).message}`);
			}
		}
		output.push('', ...report(items, results));
	}
	try {
		output.push('', ...(await oneOrderReport(n8n, sandbox)));
	} catch (error) {
		failures++;
		console.log(`One order per run: FAILED: ${(error as Error).message}`);
	}
	console.log(
		[
			'',
			`seconds: the node's executionTime in n8n ${host.version}. Floor: at the same concurrency. ` +
				`Ideal: items × ${LATENCY_MS} ms / concurrency, in seconds.`,
			'peak RSS: the n8n main process (not its task runner) while the node ran, sampled every 20 ms.',
			...output,
		].join('\n'),
	);
	return failures === 0 ? 0 : 1;
}

runScript(main);
