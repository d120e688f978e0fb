/**
 * `npm run test:queue`: the examples in n8n's queue mode — Redis, Postgres, one main process and
 * two workers, each with the package installed as a community package in its own user folder.
 * 200 new orders arrive by webhook while one worker is killed with SIGKILL, then the shop
 * redelivers all 200; likewise 200 order-status changes. Checks that no order was created twice
 * and none was lost without a word, and prints the counts. Exits non-zero on a failed check.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import type { SandboxConversion } from '../sandbox/server';
import {
	deliverShopEvent,
	EXAMPLE_DATA_TABLE,
	EXAMPLE_IDS,
	sampleShopEvents,
	startExampleStack,
} from '../test/harness/examples';
import { runScript, type Cleanup } from '../test/harness/lifecycle';
import { hostAndFreshBuild, N8nInstance, type N8nHost } from '../test/harness/n8n-host';
import {
	freePort,
	runCommand,
	spawnGroup,
	stopProcess,
	waitForHttp,
} from '../test/harness/processes';
// The other-shop variants (a Webhook node with a header secret, answering when the run is over,
// so a shop can redeliver): they run the same steps as the WooCommerce Trigger examples.
import {
	notesShopOrder,
	NEW_ORDER_EXAMPLE as NEW_ORDER_WORKFLOW,
	runExampleScenario,
	scenarioProblems,
	STATUS_EXAMPLE as ORDER_STATUS_WORKFLOW,
} from '../test/harness/scenario';

const SHOP_ORDERS = 200;
const AT_ONCE = 20;
const RACE_KEYS = 20;
const DELIVERY_TIMEOUT_MS = 120_000;
const STATUS_WEBHOOK = 'shop/order-status';
/** The example's two create nodes, and the field their output carries the created id in. */
const SALEKIT = ['Create Salekit order', 'id'] as const;
const CONVERSION = ['Create AccessTrade conversion', 'conversion_id'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isRoot = process.getuid?.() === 0;

// ---------------------------------------------------------------------------------------------
// Redis and Postgres, from Debian packages, on loopback ports

function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	return versions
		.map((version) => path.join(root, version, 'bin'))
		.find((bin) => existsSync(path.join(bin, 'postgres')));
}

async function ensureDebianPackages(): Promise<void> {
	if (postgresBin() && (await runCommand('sh', ['-c', 'command -v redis-server'])).code === 0)
		return;
	if (!isRoot)
		throw new Error(
			'Needs redis-server and postgresql: sudo apt-get install -y redis-server postgresql',
		);
	console.log('Installing redis-server and postgresql (apt-get)…');
	for (const args of [['update'], ['install', '-y', 'redis-server', 'postgresql']]) {
		const result = await runCommand('apt-get', args, { output: 'show' });
		if (result.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
	}
}

async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	timeoutMs = 60_000,
): Promise<void> {
	for (const deadline = Date.now() + timeoutMs; !(await check()); await sleep(300)) {
		if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
	}
}

async function startRedis(cleanup: Cleanup): Promise<number> {
	const port = await freePort();
	const redis = spawnGroup(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{
			output: 'discard',
		},
	);
	cleanup.add(() => stopProcess(redis));
	await waitFor('Redis', async () =>
		(await runCommand('redis-cli', ['-p', String(port), 'ping'])).stdout.includes('PONG'),
	);
	return port;
}

interface Postgres {
	port: number;
	/** One row per line, as psql prints it unaligned. */
	query(sql: string): Promise<string[]>;
}

/** Postgres refuses to run as root: as root, the server runs as the `postgres` user. */
async function startPostgres(cleanup: Cleanup): Promise<Postgres> {
	const bin = postgresBin()!;
	const folder = await mkdtemp(path.join(os.tmpdir(), 'queue-postgres-'));
	cleanup.add(() => rm(folder, { recursive: true, force: true }));
	const asPostgres = (command: string, args: string[]): [string, string[]] =>
		isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
	if (isRoot) {
		const { uid, gid } = await uidOf('postgres');
		await chown(folder, uid, gid);
	}
	const data = path.join(folder, 'data');
	const initdb = await runCommand(
		...asPostgres(path.join(bin, 'initdb'), [
			'-D',
			data,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
		]),
	);
	if (initdb.code !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
	const port = await freePort();
	const settings = [
		'-p',
		String(port),
		'-k',
		folder,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=200',
	];
	const server = spawnGroup(...asPostgres(path.join(bin, 'postgres'), ['-D', data, ...settings]), {
		output: 'discard',
	});
	cleanup.add(() => stopProcess(server));
	const psql = (database: string, sql: string) =>
		runCommand('psql', [
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			'postgres',
			'-d',
			database,
			'-At',
			'-v',
			'ON_ERROR_STOP=1',
			'-c',
			sql,
		]);
	await waitFor('Postgres', async () => (await psql('postgres', 'select 1')).code === 0);
	await psql('postgres', 'create database n8n');
	return {
		port,
		async query(sql) {
			const result = await psql('n8n', sql);
			if (result.code !== 0) throw new Error(`psql: ${result.stderr}`);
			return result.stdout.split('\n').filter(Boolean);
		},
	};
}

async function uidOf(user: string): Promise<{ uid: number; gid: number }> {
	const [uid, gid] = await Promise.all(
		['-u', '-g'].map(async (flag) => Number((await runCommand('id', [flag, user])).stdout)),
	);
	return { uid, gid };
}

// ---------------------------------------------------------------------------------------------
// n8n: main and workers

interface Worker {
	name: string;
	process: ChildProcess;
	log: string;
}

async function startWorker(
	host: N8nHost,
	settings: NodeJS.ProcessEnv,
	name: string,
	cleanup: Cleanup,
): Promise<Worker> {
	const instance = await N8nInstance.create(host, 'communityPackage', settings);
	cleanup.add(() => instance.remove());
	const log = path.join(instance.userFolder, 'worker.log');
	const healthPort = await freePort();
	const env = {
		...instance.env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
	};
	const child = spawnGroup(host.bin, ['worker', '--concurrency=10'], { env }, openSync(log, 'w'));
	child.stderr?.resume();
	cleanup.add(() => stopProcess(child));
	await waitForHttp(`http://127.0.0.1:${healthPort}/healthz`, 180_000);
	return { name, process: child, log };
}

function executionsLogged(worker: Worker, what: 'started' | 'finished'): Set<string> {
	const lines = readFileSync(worker.log, 'utf8').matchAll(
		new RegExp(`Worker ${what} execution (\\d+)`, 'g'),
	);
	return new Set([...lines].map((match) => match[1]));
}

/**
 * Delivers the bodies to a webhook, AT_ONCE at a time. A non-2xx answer or no answer within
 * DELIVERY_TIMEOUT_MS is what makes a shop redeliver: counted, not thrown.
 */
async function deliver(editorUrl: string, webhookPath: string, bodies: object[]): Promise<number> {
	let unanswered = 0;
	for (let start = 0; start < bodies.length; start += AT_ONCE) {
		await Promise.all(
			bodies
				.slice(start, start + AT_ONCE)
				.map((body) =>
					deliverShopEvent(
						editorUrl,
						{ webhookPath, body: body as Record<string, unknown> },
						DELIVERY_TIMEOUT_MS,
					).catch(() => unanswered++),
				),
		);
	}
	return unanswered;
}

interface ExecutionRow {
	id: string;
	status: string;
	workflowId: string;
	/** What the webhook received; kept also when a crash left no run data. */
	body?: { id: number };
	/** The execution's own error and the node it stopped at, when it failed. */
	error?: string;
	runData: Record<
		string,
		Array<{
			error?: { message: string };
			data?: { main: Array<Array<{ json: Record<string, unknown> }>> };
		}>
	>;
}

/** Every execution in n8n's database, its run data decoded as n8n stores it (flatted). */
async function executions(db: Postgres, host: N8nHost): Promise<ExecutionRow[]> {
	const { parse } = createRequire(path.join(host.directory, 'node_modules', 'n8n', 'package.json'))(
		'flatted',
	);
	const rows = await db.query(
		`select json_build_object('id', e.id, 'status', e.status, 'workflowId', e."workflowId", 'data', d.data)::text
		 from execution_entity e left join execution_data d on d."executionId" = e.id order by e.id`,
	);
	return rows.map((line) => {
		const row = JSON.parse(line);
		const data = row.data ? parse(row.data) : {};
		const runData = data.resultData?.runData ?? {};
		const input =
			runData[Object.keys(runData)[0]]?.[0]?.data?.main[0][0] ??
			data.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0];
		return {
			id: String(row.id),
			status: row.status,
			workflowId: row.workflowId,
			body: input?.json?.body,
			error:
				data.resultData?.error &&
				`${data.resultData.lastNodeExecuted ?? 'no node'}: ${data.resultData.error.message}`,
			runData,
		};
	});
}

/** Waits until n8n holds `count` executions and none of them is still queued or running. */
async function executionsEnd(db: Postgres, count: number): Promise<void> {
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		const [total, open] = (
			await db.query(
				`select count(*), count(*) filter (where status in ('new', 'running', 'waiting')) from execution_entity`,
			)
		)[0]
			.split('|')
			.map(Number);
		if (total >= count && open === 0) return;
		if (Date.now() > deadline)
			throw new Error(`Executions did not end: ${total} of ${count}, ${open} open`);
		await sleep(2_000);
	}
}

// ---------------------------------------------------------------------------------------------
// The shop's events: the new-order example's first sample order (it has a click id), renumbered

type ShopOrder = Record<string, unknown> & { id: number };

function wooCommerceOrders(
	sample: Record<string, unknown>,
	firstId: number,
	count: number,
): ShopOrder[] {
	return Array.from({ length: count }, (_, index) => {
		const id = firstId + index;
		const order = structuredClone(sample) as Record<string, unknown> & {
			meta_data: Array<{ key: string; value: string }>;
		};
		const clickId = order.meta_data.find((meta) => meta.key === '_at_click_id')!;
		clickId.value = `queue-click-${id}`;
		return {
			...order,
			id,
			number: String(id),
			order_key: `wc_order_queue_${id}`,
			customer_note: '',
		};
	});
}

/** One order.updated body per order, cycling through the statuses the status example acts on. */
const STATUS_CHANGES = {
	completed: 'pre_approved',
	cancelled: 'rejected',
	refunded: 'rejected',
	// A failed payment sends nothing: the customer may pay again on the same order.
	failed: 'pending',
} as const;
function orderUpdates(orders: ShopOrder[]) {
	const statuses = Object.keys(STATUS_CHANGES) as Array<keyof typeof STATUS_CHANGES>;
	return orders.map((order, index) => ({ ...order, status: statuses[index % statuses.length] }));
}

const histogram = (values: string[]) =>
	Object.entries(
		values.reduce<Record<string, number>>(
			(counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }),
			{},
		),
	)
		.map(([value, count]) => `${count} ${value}`)
		.join(', ') || 'none';

const partStatuses = (conversion: SandboxConversion) =>
	conversion.conversion_parts.map((part) => `${part.sku}:${part.status}`).join(' ');

// ---------------------------------------------------------------------------------------------

runScript(async (cleanup) => {
	const host = await hostAndFreshBuild();
	await ensureDebianPackages();
	const redisPort = await startRedis(cleanup);
	const db = await startPostgres(cleanup);
	const settings: NodeJS.ProcessEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(db.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		// A killed worker's jobs are given up after 10 s and its executions marked crashed within a minute.
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
	};
	// Only the two workflows under load: the WooCommerce ones would add their catch-up's runs.
	const stack = await startExampleStack(host, cleanup, {
		settings,
		sandbox: { latencyMs: 50 },
		publish: [NEW_ORDER_WORKFLOW, ORDER_STATUS_WORKFLOW, EXAMPLE_IDS.product],
	});
	const { sandbox, editor, examples } = stack;
	const workers = [
		await startWorker(host, settings, 'worker 1', cleanup),
		await startWorker(host, settings, 'worker 2', cleanup),
	];
	console.log(
		`Redis on 127.0.0.1:${redisPort}, Postgres on 127.0.0.1:${db.port}, sandbox ${sandbox.url}`,
	);
	console.log(
		`n8n main ${editor.url} (owner and data table ${EXAMPLE_DATA_TABLE.name} set up), two workers; each has the package installed as a community package`,
	);

	// The examples' scenario first, as the demo runs it: it must hold in queue mode too.
	const scenario = await runExampleScenario(stack);
	const scenarioRuns = Number((await db.query('select count(*) from execution_entity'))[0]);
	await executionsEnd(db, scenarioRuns);

	// New orders: 200, one worker killed midway, then all 200 again.
	const [newOrderSample] = sampleShopEvents(examples, 'orders');
	const orders = wooCommerceOrders(newOrderSample.body, 20001, SHOP_ORDERS);
	const [killed, survivor] = workers;
	const delivery = deliver(editor.url, newOrderSample.webhookPath, orders);
	await waitFor(
		'a third of the orders',
		async () => sandbox.orders().length >= scenario.orders.length + SHOP_ORDERS / 3,
		600_000,
	);
	process.kill(-killed.process.pid!, 'SIGKILL');
	console.log(`Killed ${killed.name} (kill -9) with ${sandbox.orders().length} orders created`);
	let unanswered = await delivery;
	await executionsEnd(db, scenarioRuns + SHOP_ORDERS);
	unanswered += await deliver(editor.url, newOrderSample.webhookPath, orders);
	await executionsEnd(db, scenarioRuns + 2 * SHOP_ORDERS);

	// Two executions of one key at the same instant: one creates, the other waits for it and skips.
	const raceOrders = wooCommerceOrders(newOrderSample.body, 29001, RACE_KEYS);
	await deliver(
		editor.url,
		newOrderSample.webhookPath,
		raceOrders.flatMap((order) => [order, order]),
	);
	await executionsEnd(db, scenarioRuns + 2 * SHOP_ORDERS + 2 * RACE_KEYS);

	// Status changes: 200 order.updated bodies, then all 200 again.
	const updates = orderUpdates(orders);
	for (let round = 0; round < 2; round++) await deliver(editor.url, STATUS_WEBHOOK, updates);
	await executionsEnd(db, scenarioRuns + 4 * SHOP_ORDERS + 2 * RACE_KEYS);

	// What became of each shop order. An execution lost with the killed worker keeps no run data
	// (n8n stores only the error), so its shop order id is unknown: those are told apart by their
	// execution ids, from the worker's log.
	const all = await executions(db, host);
	const byWorker = workers.map((worker) => executionsLogged(worker, 'started'));
	const finishedOnKilled = executionsLogged(killed, 'finished');
	const inFlightOnKilled = new Set([...byWorker[0]].filter((id) => !finishedOnKilled.has(id)));
	// An execution the worker started just before kill -9 may be missing from its log; n8n marks
	// it crashed (seen once in CI, with the webhook's input kept and no run data).
	const lostWithKilledWorker = (row: ExecutionRow) =>
		inFlightOnKilled.has(row.id) || row.status === 'crashed';
	const outcome = (row: ExecutionRow, [node, idField]: readonly [string, string]): string => {
		const run = row.runData[node]?.[0];
		const json = run?.data?.main[0]?.[0]?.json;
		// A failed order leaves by the node's error output (On Error: Continue using error output).
		const failed = run?.data?.main[1]?.[0]?.json;
		const message = run?.error?.message ?? String(failed?.error ?? '');
		if (json?.skipped === true) return 'skipped';
		// An order the data table already has stops before the creates.
		if (!run && row.runData['Not handled yet']?.[0]?.data?.main[0]?.length === 0) return 'skipped';
		if (json?.[idField] !== undefined) return 'created';
		if (/may exist/.test(message)) return 'may exist';
		if (/Nothing was sent/.test(message)) return 'not sent';
		// Executions lost with the killed worker are left out before this (runsOf).
		if (!run) return 'not run';
		return `${row.status}: ${message}`;
	};
	const runsOf = (ids: number[]) =>
		all.filter(
			(row) =>
				row.workflowId === NEW_ORDER_WORKFLOW &&
				!lostWithKilledWorker(row) &&
				ids.includes(row.body?.id ?? -1),
		);
	const shopRuns = runsOf(orders.map(({ id }) => id));
	const lostRuns = all.filter(lostWithKilledWorker);
	const salekitOrdersOf = (id: number) =>
		sandbox.orders().filter((order) => notesShopOrder(order, id)).length;
	const conversionsOf = (id: number) =>
		sandbox.conversions().filter((conversion) => conversion.order_id === String(id));
	const [tableName] = await db.query(
		`select table_name from information_schema.tables where table_name like '%data_table_user_%'`,
	);
	const tableRows = new Map(
		(
			await db.query(
				`select shop_order_id || '|' || coalesce(conversion_id, '') from "${tableName}"`,
			)
		).map((line) => line.split('|') as [string, string]),
	);

	const problems: string[] = [];
	const check = (ok: boolean, problem: string) => (ok ? undefined : problems.push(problem));
	for (const problem of scenarioProblems(scenario)) problems.push(`examples scenario: ${problem}`);
	check(
		byWorker.every((started) => started.size > 0),
		'a worker executed nothing',
	);
	// The two webhook workflows the load posts to carry the shop's body; the product example's
	// runs start from the fake shop's WooCommerce Trigger and have none.
	const loadWorkflows = new Set<string>([NEW_ORDER_WORKFLOW, ORDER_STATUS_WORKFLOW]);
	const loadRuns = all.filter((row) => loadWorkflows.has(row.workflowId));
	check(
		loadRuns.every((row) => row.body !== undefined || lostWithKilledWorker(row)),
		'an execution lost its input outside the killed worker',
	);
	const allowed = ['created', 'skipped', 'may exist', 'not sent', 'not run'];
	let withoutTableRow = 0;
	updates.forEach((update, index) => {
		const id = update.id;
		const salekitOrders = salekitOrdersOf(id);
		const conversions = conversionsOf(id);
		const runs = runsOf([id]);
		const outcomes = runs.flatMap((row) => [SALEKIT, CONVERSION].map((node) => outcome(row, node)));
		// A run that did not survive the killed worker is the one missing here (each id was sent twice).
		const touchedByCrash = runs.length < 2;
		check(
			salekitOrders <= 1 && conversions.length <= 1,
			`shop order ${id}: ${salekitOrders} Salekit orders, ${conversions.length} conversions`,
		);
		check(
			(salekitOrders === 1 && conversions.length === 1) || outcomes.includes('may exist'),
			`shop order ${id}: ${salekitOrders} Salekit orders, ${conversions.length} conversions and no error saying one may exist`,
		);
		check(
			!outcomes.includes('may exist') || touchedByCrash,
			`shop order ${id}: "may exist" though no crash touched it (${outcomes.join(', ')})`,
		);
		check(
			runs.every((row) => outcome(row, SALEKIT) !== 'not run') &&
				outcomes.every((result) => allowed.includes(result)),
			`shop order ${id}: ${outcomes.join(', ')} (${runs.map((row) => `execution ${row.id} ${row.status}${row.error ? `, ${row.error}` : ''}`).join('; ')})`,
		);
		// The status example finds a conversion by its data-table row; a crash between the create
		// and the insert leaves the conversion without one (the redelivery skips both).
		// Every order has a row now; one whose create failed has no conversion id in it.
		const conversionId = tableRows.get(String(id)) || undefined;
		if (conversions.length === 1 && conversionId === undefined) {
			withoutTableRow++;
			check(
				touchedByCrash,
				`shop order ${id}: conversion ${conversions[0].conversion_id} has no row in ${EXAMPLE_DATA_TABLE.name}`,
			);
		}
		if (conversionId === undefined) return;
		const conversion = sandbox.conversion(conversionId);
		const expected = STATUS_CHANGES[update.status];
		check(
			conversion !== undefined &&
				conversion.conversion_parts.every((part) => part.status === expected),
			`shop order ${id} (${update.status}, change ${index}): conversion ${conversionId} is ${conversion && partStatuses(conversion)}, expected ${expected}`,
		);
	});
	// The scenario's own status runs are checked by scenarioProblems: these are the load's.
	const loadIds = new Set(orders.map(({ id }) => id));
	const statusRuns = all.filter(
		(row) => row.workflowId === ORDER_STATUS_WORKFLOW && loadIds.has(row.body?.id ?? -1),
	);
	check(
		statusRuns.every((row) => row.status === 'success'),
		'a status change failed',
	);
	const raceRuns = runsOf(raceOrders.map(({ id }) => id));
	for (const { id } of raceOrders) {
		check(
			salekitOrdersOf(id) <= 1 && conversionsOf(id).length <= 1,
			`same-instant shop order ${id}: ${salekitOrdersOf(id)} Salekit orders, ${conversionsOf(id).length} conversions`,
		);
		// "May exist" only when the outcome is truly unknown: not when the other execution created it.
		for (const node of [SALEKIT, CONVERSION]) {
			const results = runsOf([id]).map((row) => outcome(row, node));
			check(
				!(results.includes('created') && results.includes('may exist')),
				`same-instant shop order ${id}: ${node[0]} ${results.join(' and ')}`,
			);
		}
	}
	const repairs = workers.map((worker) =>
		[
			...readFileSync(worker.log, 'utf8').matchAll(
				/lost to a concurrent store write.*pause (\d+) ms/g,
			),
		].map((match) => Number(match[1])),
	);
	const count = (node: readonly [string, string], result: string) =>
		shopRuns.filter((row) => outcome(row, node) === result).length;
	const both = (result: string) =>
		`${count(SALEKIT, result)} Salekit, ${count(CONVERSION, result)} conversion`;
	const shopOrdersWith = (test: (id: number) => boolean) =>
		orders.filter(({ id }) => test(id)).length;
	const finalStatusesDiffer = problems.some((problem) => problem.includes(', expected '));

	console.log(`
New orders: ${SHOP_ORDERS} WooCommerce orders with a click id, ${killed.name} killed midway, then all ${SHOP_ORDERS} redelivered
  executions:             ${shopRuns.length + lostRuns.length} (${histogram([...shopRuns, ...lostRuns].map((row) => row.status))}); webhook answers non-2xx or none within ${DELIVERY_TIMEOUT_MS / 1000} s (the shop would redeliver): ${unanswered}
  created:                ${both('created')}
  skipped as duplicates:  ${both('skipped')}
  reported unknown:       ${both('may exist')} ("may exist", after ${lostRuns.length} executions were lost in flight with ${killed.name})
  failed before sending:  ${both('not sent')} (the key could not be stored; "Nothing was sent")
  per shop order:         ${shopOrdersWith((id) => salekitOrdersOf(id) === 1 && conversionsOf(id).length === 1)} with one Salekit order and one conversion, ${shopOrdersWith((id) => salekitOrdersOf(id) === 0)} without a Salekit order, ${shopOrdersWith((id) => conversionsOf(id).length === 0)} without a conversion, ${shopOrdersWith((id) => salekitOrdersOf(id) > 1 || conversionsOf(id).length > 1)} with more than one; ${withoutTableRow} conversions without a data-table row
  executions by worker:   ${workers.map((worker, index) => `${worker.name} ${byWorker[index].size}`).join(', ')} (all workflows; ${survivor.name} survived)
  Shop Order Key claims lost or removals undone by a concurrent store write: ${repairs.map((pauses) => pauses.length).join(' + ')} times (longest pause before the check ${Math.max(0, ...repairs.flat())} ms)
Same Shop Order Key twice at the same instant, ${RACE_KEYS} keys: ${raceOrders.filter(({ id }) => salekitOrdersOf(id) > 1).length} Salekit orders and ${raceOrders.filter(({ id }) => conversionsOf(id).length > 1).length} conversions created twice; outcomes of the ${2 * RACE_KEYS} executions: Salekit ${histogram(raceRuns.map((row) => outcome(row, SALEKIT)))}, conversion ${histogram(raceRuns.map((row) => outcome(row, CONVERSION)))}
Status changes: ${statusRuns.length} executions (${SHOP_ORDERS} order.updated bodies, each delivered twice): ${histogram(statusRuns.map((row) => row.status))}; final statuses ${finalStatusesDiffer ? 'DIFFER' : `all equal the change sent (${tableRows.size} conversions found in ${EXAMPLE_DATA_TABLE.name})`}
`);
	await editor.stop();
	if (problems.length > 0) {
		console.log(`Queue test FAILED:\n  ${problems.slice(0, 30).join('\n  ')}`);
		return 1;
	}
	console.log('Queue test passed.');
	return 0;
});
