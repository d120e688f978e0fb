/**
 * What the example workflows promise a user, checked on the files as shipped: live workflows
 * hold no sample data, the try-it workflow only reaches the sandbox, every variant runs the same
 * steps, and every way in is checked before anything runs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import {
	EXAMPLE_DATA_TABLE,
	EXAMPLE_IDS,
	publishedWebhooks,
	sampleShopEvents,
	TRY_IT_DATA_TABLE,
} from './harness/examples';
import type { WorkflowFile, WorkflowNode } from './harness/n8n-host';

const DIR = path.join(__dirname, '..', 'examples');
const workflows: WorkflowFile[] = readdirSync(DIR)
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as WorkflowFile);
const byId = (id: string) => workflows.find((workflow) => workflow.id === id)!;
const LIVE = [
	EXAMPLE_IDS.newOrder,
	EXAMPLE_IDS.orderStatus,
	EXAMPLE_IDS.shopWebhookNewOrder,
	EXAMPLE_IDS.shopWebhookOrderStatus,
	EXAMPLE_IDS.product,
];
const node = (workflow: WorkflowFile, name: string) =>
	workflow.nodes.find((candidate) => candidate.name === name)!;
const ofType = (workflow: WorkflowFile, type: string) =>
	workflow.nodes.filter((candidate) => candidate.type === `n8n-nodes-base.${type}`);
const tableName = (dataTableNode: WorkflowNode) =>
	(dataTableNode.parameters.dataTableId as { value: string }).value;

test('the examples are the six workflows, each once', () => {
	expect(workflows.map((workflow) => workflow.id).sort()).toEqual(
		Object.values(EXAMPLE_IDS).sort(),
	);
});

// n8n skips saving static data for longer ids (utils isWorkflowIdValid), where the WooCommerce
// Trigger keeps its secret: imported with the CLI, such a workflow fails every delivery.
test.each(workflows.map((workflow) => workflow.id))(
	'workflow id %s has at most 21 characters',
	(id) => {
		expect(id.length).toBeLessThanOrEqual(21);
	},
);

test.each(LIVE)('live workflow %s cannot be run by hand on sample data', (id) => {
	const workflow = byId(id);
	expect(ofType(workflow, 'manualTrigger')).toEqual([]);
	expect(workflow.nodes.filter((candidate) => /sample/i.test(candidate.name))).toEqual([]);
	for (const table of ofType(workflow, 'dataTable'))
		expect(tableName(table)).toBe(EXAMPLE_DATA_TABLE.name);
});

// n8n's Data table node finds a table by a name that contains the one given (LIKE %name%).
test('neither data table name contains the other, so n8n cannot mistake one for the other', () => {
	expect(TRY_IT_DATA_TABLE.name).not.toContain(EXAMPLE_DATA_TABLE.name);
	expect(EXAMPLE_DATA_TABLE.name).not.toContain(TRY_IT_DATA_TABLE.name);
});

test('the try-it workflow reaches only the sandbox, and keeps its ids in its own table', () => {
	const tryIt = byId(EXAMPLE_IDS.tryIt);
	const credentials = tryIt.nodes.flatMap((candidate) =>
		Object.values(candidate.credentials ?? {}).map(({ id }) => id),
	);
	expect([...new Set(credentials)].sort()).toEqual(['accessTradeSandbox', 'salekitSandbox']);
	expect(new Set(ofType(tryIt, 'dataTable').map(tableName))).toEqual(
		new Set([TRY_IT_DATA_TABLE.name]),
	);
	expect(ofType(tryIt, 'manualTrigger')).toHaveLength(1);
	expect(ofType(tryIt, 'webhook')).toEqual([]);
});

test("the WooCommerce workflows start from n8n's WooCommerce Trigger", () => {
	expect(
		ofType(byId(EXAMPLE_IDS.newOrder), 'wooCommerceTrigger').map(
			(trigger) => trigger.parameters.event,
		),
	).toEqual(['order.created']);
	expect(
		ofType(byId(EXAMPLE_IDS.orderStatus), 'wooCommerceTrigger').map(
			(trigger) => trigger.parameters.event,
		),
	).toEqual(['order.updated']);
	// New products only: an edit of a product Salekit already has would create a copy (Salekit
	// has no product lookup). product.updated is there, off, as an opt-in.
	const productTriggers = ofType(byId(EXAMPLE_IDS.product), 'wooCommerceTrigger');
	expect(
		productTriggers.map(
			(trigger) => `${String(trigger.parameters.event)} ${trigger.disabled ? 'off' : 'on'}`,
		),
	).toEqual(['product.created on', 'product.updated off']);
	// The same shop credential as the order workflows, so one REST API key serves all.
	const credentialIds = [EXAMPLE_IDS.newOrder, EXAMPLE_IDS.product].flatMap((id) =>
		ofType(byId(id), 'wooCommerceTrigger').map((trigger) => trigger.credentials?.wooCommerceApi.id),
	);
	expect(new Set(credentialIds)).toEqual(new Set(['wooCommerceSandbox']));
});

test('every Webhook node checks a header secret before anything runs', () => {
	const webhooks = workflows.flatMap((workflow) => ofType(workflow, 'webhook'));
	expect(webhooks).toHaveLength(3);
	for (const webhook of webhooks) {
		expect(webhook.parameters.authentication).toBe('headerAuth');
		expect(Object.keys(webhook.credentials as object)).toEqual(['httpHeaderAuth']);
	}
});

/** The names a node's outputs lead to, output by output. */
const into = (workflow: WorkflowFile, from: string, output = 0) =>
	(
		(workflow.connections[from] as { main: Array<Array<{ node: string }>> } | undefined)?.main[
			output
		] ?? []
	).map((link) => link.node);

/** A Code node's code, run as n8n's Code node runs it (a function body) with the given globals. */
function runCode(workflow: WorkflowFile, name: string, globals: Record<string, unknown>): unknown {
	const code = node(workflow, name).parameters.jsCode as string;
	const names = Object.keys(globals);
	return new Function(...names, code)(...names.map((global) => globals[global])) as unknown;
}

/** An n8n expression (`={{ … }}`) evaluated with the given globals. */
function evaluate(expression: string, globals: Record<string, unknown>): unknown {
	const names = Object.keys(globals);
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function(...names, `return (${body});`)(...names.map((global) => globals[global]));
}

const THIS_N8N = 'https://n8n.example.vn/';
/** A time as WooCommerce writes its GMT dates: to the second, without offset. */
const gmtDate = (time: number) => new Date(time).toISOString().slice(0, 19);
/** The catch-up's first step, run at `now` with the given static data; what it outputs. */
function sinceTheLastCatchUp(workflow: WorkflowFile, state: Record<string, unknown>) {
	const [{ json }] = runCode(workflow, 'Since the last catch-up', {
		$execution: { resumeUrl: `${THIS_N8N}webhook-waiting/4711` },
		$getWorkflowStaticData: () => state,
	}) as Array<{ json: Record<string, string> }>;
	return json;
}

test.each([
	[EXAMPLE_IDS.newOrder, 'Orders created since', 'Order', 'WooCommerce: order created'],
	[EXAMPLE_IDS.orderStatus, 'Orders changed since', 'Event', 'WooCommerce: order updated'],
])(
	'%s: the catch-up runs the orders through the trigger’s steps, and moves its window in a fixed order once the shop answered',
	(id, request, firstStep, trigger) => {
		const workflow = byId(id);
		expect(node(workflow, request).parameters).toMatchObject({
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'wooCommerceApi',
		});
		// Without orders the request still hands one (empty) item on, so the window moves.
		expect(node(workflow, request).alwaysOutputData).toBe(true);
		const query = Object.fromEntries(
			(
				node(workflow, request).parameters.queryParameters as {
					parameters: Array<{ name: string; value: string }>;
				}
			).parameters.map(({ name, value }) => [name, value]),
		);
		// Drafts and trash are never orders to send.
		expect(query).toMatchObject({
			dates_are_gmt: 'true',
			status: 'pending,processing,on-hold,completed,cancelled,refunded,failed',
		});
		// The window is remembered by a step in the request's own line, not by canvas position.
		expect(into(workflow, request)).toEqual(['Remember this catch-up']);
		expect(into(workflow, 'Remember this catch-up')).toEqual([firstStep]);
		expect(into(workflow, trigger)).toEqual([firstStep]);
		// The shop's address is written once, in the first step's code.
		expect(node(workflow, 'Since the last catch-up').parameters.jsCode).toContain(
			"const SHOP_URL = 'https://shop.example.vn';",
		);
		// Every step that runs after the window moved is per order, with its own error path.
		for (const step of workflow.nodes.filter((candidate) =>
			candidate.type.startsWith('n8n-nodes-accesstrade-salekit.'),
		))
			expect([step.name, step.onError]).toEqual([step.name, 'continueErrorOutput']);
	},
);

test('the status catch-up leaves an order changed in the last 5 minutes to its webhook run, and takes it the next time', () => {
	const workflow = byId(EXAMPLE_IDS.orderStatus);
	const state: Record<string, unknown> = {};
	const since = sinceTheLastCatchUp(workflow, state);
	const startedAt = Date.parse(since.startedAt);
	expect(startedAt - Date.parse(since.settledBefore)).toBe(5 * 60_000);
	// WooCommerce's GMT dates carry no offset; one with a Z is read the same.
	const gmt = (minutesAgo: number) => gmtDate(startedAt - minutesAgo * 60_000);
	const orders = [
		{ id: 1, date_modified_gmt: gmt(1) },
		{ id: 2, date_modified_gmt: gmt(4.9) },
		{ id: 3, date_modified_gmt: gmt(5) },
		{ id: 4, date_modified_gmt: `${gmt(6)}Z` },
		{ id: 5, date_modified_gmt: `${gmt(0.5)}Z` },
		// Without a date the order cannot be told apart from a settled one: taken.
		{ id: 6 },
	];
	const taken = runCode(workflow, 'Remember this catch-up', {
		$: () => ({ first: () => ({ json: since }) }),
		$input: { all: () => [...orders.map((json) => ({ json })), { json: {} }] },
		$getWorkflowStaticData: () => state,
	}) as Array<{ json: { id: number } }>;
	expect(taken.map(({ json }) => json.id)).toEqual([3, 4, 6]);
	expect(state.catchUpStartedAt).toBe(since.startedAt);
	// The next catch-up still reaches them: its window goes back a day.
	const next = sinceTheLastCatchUp(workflow, state);
	expect(Date.parse(next.modifiedAfter + 'Z')).toBeLessThanOrEqual(
		startedAt - 24 * 3_600_000 + 1000,
	);
});

test('the new-order catch-up selects by creation date, never from before go-live, and covers a stopped run again', () => {
	const workflow = byId(EXAMPLE_IDS.newOrder);
	const query = (
		node(workflow, 'Orders created since').parameters.queryParameters as {
			parameters: Array<{ name: string; value: string }>;
		}
	).parameters.map(({ name }) => name);
	expect(query).toContain('after');
	expect(query).not.toContain('modified_after');

	const state: Record<string, unknown> = {};
	const minutes = (n: number) => n * 60_000;
	const webhook = (topic: string, created: number, url = `${THIS_N8N}webhook/x/webhook`) => ({
		json: { topic, delivery_url: url, date_created_gmt: gmtDate(created) },
	});
	const windowAt = (
		webhooks: Array<{ json: Record<string, unknown> }>,
		goLive = '',
	): { createdAfter: string; liveSince: string } => {
		const since = { ...sinceTheLastCatchUp(workflow, state), goLive };
		const [{ json }] = runCode(workflow, 'Catch-up window', {
			$: () => ({ first: () => ({ json: since }) }),
			$input: { all: () => webhooks },
			$getWorkflowStaticData: () => state,
		}) as Array<{ json: { createdAfter: string; liveSince: string } }>;
		return json;
	};
	const remember = () =>
		runCode(workflow, 'Remember this catch-up', {
			$: () => ({ first: () => ({ json: sinceTheLastCatchUp(workflow, state) }) }),
			$input: { all: () => [{ json: {} }] },
			$getWorkflowStaticData: () => state,
		});
	const now = Date.now();
	// First run: live since n8n registered the order.created webhook (on publish), not a day back;
	// another topic's or another n8n's webhook does not count.
	const published = now - minutes(14);
	const first = windowAt([
		webhook('order.updated', now - minutes(30)),
		webhook('order.created', now - minutes(40), 'https://other.example.vn/webhook/x/webhook'),
		webhook('order.created', published),
	]);
	expect(first).toEqual({ createdAfter: gmtDate(published), liveSince: gmtDate(published) });
	// An empty answer from the shop (one empty item) moves the window and sends no order on.
	expect(remember()).toEqual([]);
	// Then from the start of the catch-up before the last one (a run stopped halfway is covered
	// again), less 10 minutes for clocks that differ, and never before go-live.
	const starts = () => state.catchUpStarts as string[];
	const tenMinutesBefore = (start: string) => gmtDate(Date.parse(start) - minutes(10));
	expect(windowAt([]).createdAfter).toBe(tenMinutesBefore(starts()[0]));
	remember();
	expect(windowAt([]).createdAfter).toBe(tenMinutesBefore(starts()[0]));
	remember();
	expect(starts()).toHaveLength(2);
	expect(windowAt([]).createdAfter).toBe(tenMinutesBefore(starts()[0]));
	expect(windowAt([]).liveSince).toBe(gmtDate(published));
	// Never before go-live, also when GO_LIVE is set later than the last catch-up's start.
	const later = new Date(Date.parse(starts()[1]) + minutes(5)).toISOString();
	expect(windowAt([], later).createdAfter).toBe(later.slice(0, 19));
	// A webhook registered more than an hour before the first run is an earlier publish's: from now.
	for (const key of Object.keys(state)) delete state[key];
	const late = windowAt([webhook('order.created', now - minutes(24 * 60))]);
	expect(Date.parse(late.liveSince + 'Z')).toBeGreaterThan(now - minutes(1));
	// GO_LIVE, set by the owner, wins.
	expect(windowAt([], '2025-01-15T00:00:00+07:00').liveSince).toBe('2025-01-14T17:00:00');
});

/** The catch-up's *Our webhook, disabled* code, run as n8n's Code node runs it. */
function webhooksToTurnOn(workflow: WorkflowFile, webhooks: Array<Record<string, unknown>>) {
	const since = sinceTheLastCatchUp(workflow, {});
	const items = runCode(workflow, 'Our webhook, disabled', {
		$: () => ({ first: () => ({ json: since }) }),
		$input: { all: () => webhooks.map((json) => ({ json })) },
	}) as Array<{ json: { id: number } }>;
	return items.map((item) => item.json.id);
}

test.each([
	[EXAMPLE_IDS.newOrder, 'WooCommerce: order created'],
	[EXAMPLE_IDS.orderStatus, 'WooCommerce: order updated'],
])(
	"%s: the catch-up turns the trigger's own disabled webhook back on, and no other",
	(id, trigger) => {
		const workflow = byId(id);
		const topic = node(workflow, trigger).parameters.event as string;
		const ours = `${THIS_N8N}webhook/0e8a3746-b6f5-53a9-9618-c1e4da12d171/webhook`;
		const hook = (id: number, status: string, delivery_url = ours, hookTopic = topic) => ({
			id,
			status,
			topic: hookTopic,
			delivery_url,
		});
		// Disabled during an outage, nothing else: turned back on.
		expect(webhooksToTurnOn(workflow, [hook(1, 'disabled')])).toEqual([1]);
		// n8n 2.8.4 registered a new one at start-up: the old one stays off.
		expect(webhooksToTurnOn(workflow, [hook(1, 'disabled'), hook(2, 'active')])).toEqual([]);
		// Another topic, another n8n, a paused one, the shop's empty answer: left alone.
		const otherTopic = topic === 'order.created' ? 'order.updated' : 'order.created';
		expect(
			webhooksToTurnOn(workflow, [
				hook(3, 'disabled', ours, otherTopic),
				hook(4, 'disabled', 'https://n8n.example.vn.evil.io/webhook/x/webhook'),
				hook(5, 'disabled', 'https://other.example.vn/webhook/x/webhook'),
				hook(6, 'paused'),
				{},
			]),
		).toEqual([]);
		// The request: PUT status active to that webhook, with the WooCommerce credential.
		expect(node(workflow, 'Turn it back on').parameters).toMatchObject({
			method: 'PUT',
			url: "={{ $('Since the last catch-up').first().json.shopUrl }}/wp-json/wc/v3/webhooks/{{ $json.id }}",
			nodeCredentialType: 'wooCommerceApi',
			jsonBody: '{ "status": "active" }',
		});
	},
);

/** Every node the given one leads to, and the links between them, as comparable text. */
function stepsAfter(workflow: WorkflowFile, first: string): string[] {
	const seen = new Set<string>();
	const queue = [first];
	while (queue.length > 0) {
		const name = queue.shift()!;
		const outputs = (workflow.connections[name] as { main: unknown[] } | undefined)?.main ?? [];
		for (let output = 0; output < outputs.length; output++)
			for (const next of into(workflow, name, output))
				if (!seen.has(next)) {
					seen.add(next);
					queue.push(next);
				}
	}
	return [...seen].sort().flatMap((name) => {
		const { parameters, type, typeVersion, onError } = node(workflow, name);
		const links = ((workflow.connections[name] as { main: unknown[] } | undefined)?.main ?? []).map(
			(_, output) => into(workflow, name, output),
		);
		return [
			name,
			JSON.stringify({ parameters, type, typeVersion, onError, links }).replaceAll(
				TRY_IT_DATA_TABLE.name,
				EXAMPLE_DATA_TABLE.name,
			),
		];
	});
}

test('every variant runs the same steps after its first one (Order, Event)', () => {
	const orderSteps = stepsAfter(byId(EXAMPLE_IDS.newOrder), 'Order');
	const statusSteps = stepsAfter(byId(EXAMPLE_IDS.orderStatus), 'Event');
	expect(orderSteps.length).toBeGreaterThan(20);
	for (const id of [EXAMPLE_IDS.shopWebhookNewOrder, EXAMPLE_IDS.tryIt])
		expect(stepsAfter(byId(id), 'Order')).toEqual(orderSteps);
	for (const id of [EXAMPLE_IDS.shopWebhookOrderStatus, EXAMPLE_IDS.tryIt])
		expect(stepsAfter(byId(id), 'Event')).toEqual(statusSteps);
	const product = (id: string) => {
		const { parameters, type, typeVersion } = node(byId(id), 'Create Salekit product');
		return { parameters, type, typeVersion };
	};
	expect(product(EXAMPLE_IDS.tryIt)).toEqual(product(EXAMPLE_IDS.product));
	// One mapping to Salekit, one way to name the shop: the same code under each name.
	const codeOf = (id: string, name: string) => node(byId(id), name).parameters.jsCode;
	expect(codeOf(EXAMPLE_IDS.orderStatus, 'What Salekit should know')).toBe(
		codeOf(EXAMPLE_IDS.newOrder, 'For Salekit'),
	);
	expect(codeOf(EXAMPLE_IDS.orderStatus, 'Event')).toBe(codeOf(EXAMPLE_IDS.newOrder, 'Order'));
	expect(codeOf(EXAMPLE_IDS.shopWebhookOrderStatus, 'Event')).toContain("const SHOP = 'my-shop';");
	expect(codeOf(EXAMPLE_IDS.shopWebhookNewOrder, 'Order')).toContain("const SHOP = 'my-shop';");
});

// The demo, e2e and queue builder sends nothing before these answer (waitForWebhooks): every
// enabled trigger of a live workflow that is not a schedule is one of them.
test('the builder knows every webhook a live workflow serves', () => {
	const live = LIVE.map(byId);
	const triggers = live.flatMap((workflow) =>
		workflow.nodes
			.filter((candidate) => /Trigger$|\.webhook$/.test(candidate.type) && !candidate.disabled)
			.filter((candidate) => candidate.type !== 'n8n-nodes-base.scheduleTrigger')
			.map((candidate) => `${workflow.id} ${candidate.name}`),
	);
	const webhooks = publishedWebhooks(live);
	expect(webhooks.map((webhook) => `${webhook.workflowId} ${webhook.node}`).sort()).toEqual(
		triggers.sort(),
	);
	// The Webhook nodes' paths, as the demo posts to them (the triggers' are <webhookId>/webhook).
	expect(
		webhooks
			.filter((webhook) => !webhook.path.endsWith('/webhook'))
			.map((webhook) => `${webhook.methods.join()} ${webhook.path}`)
			.sort(),
	).toEqual(['POST shop/new-order', 'POST shop/order-refund', 'POST shop/order-status']);
});

/** A WooCommerce order as its webhooks deliver it (the try-it workflow's first sample). */
function sampleOrder(): Record<string, unknown> & {
	billing: Record<string, string>;
	shipping: Record<string, string>;
} {
	const [first] = sampleShopEvents(workflows, 'orders');
	return structuredClone(first.body) as ReturnType<typeof sampleOrder>;
}

/** The For Salekit code on one order: what Salekit gets, its create status and fingerprint. */
function forSalekit(order: Record<string, unknown>) {
	const [workflow, name] = [byId(EXAMPLE_IDS.newOrder), 'For Salekit'];
	return (
		runCode(workflow, name, { $json: order }) as {
			json: {
				salekit: Record<string, unknown>;
				salekitStatus: number;
				salekitFingerprint: string;
			};
		}
	).json;
}

test('an order reaches Salekit whole: shipping before billing, the full address, fees, paid or not', () => {
	const order = sampleOrder();
	order.billing.first_name = 'An';
	order.billing.last_name = '';
	order.shipping = {
		first_name: 'Bình',
		last_name: 'Lê Văn',
		address_1: '45 Nguyễn Huệ',
		address_2: 'Tầng 3',
		city: 'Quận 1',
		state: 'Hồ Chí Minh',
		postcode: '',
		country: 'VN',
		phone: '0987654321',
	};
	Object.assign(order, {
		fee_lines: [
			{ name: 'Phí thu hộ (COD)', total: '15000' },
			{ name: 'Giảm giá thành viên', total: '-5000' },
		],
		customer_note: 'Giao giờ hành chính',
		payment_method: 'bacs',
		date_paid: '2024-05-01T10:35:00',
	});
	expect(forSalekit(order).salekit).toEqual({
		full_name: 'Lê Văn Bình',
		phone: '0987654321',
		email: 'an.nguyen@example.com',
		address: '45 Nguyễn Huệ, Tầng 3, Quận 1, Hồ Chí Minh',
		total_price: 510000,
		discount: 25000,
		ship_fee: 30000,
		pay_fee: 15000,
		total_pay: 520000,
		pay_status: 1,
		pay_time: '2024-05-01 10:35:00',
		note: 'WooCommerce order #5123\nCustomer note: Giao giờ hành chính',
		products: [
			{ sku: 'AO-THUN-DO-M', quantity: 2 },
			{ sku: 'NON-LUOI-TRAI', quantity: 1 },
		],
	});
	// No shipping address: the billing one, and no leading space for an empty last name.
	order.shipping = { ...order.shipping, address_1: '' };
	order.billing.address_2 = 'Ngõ 5';
	expect(forSalekit(order).salekit).toMatchObject({
		full_name: 'An',
		phone: '0901234567',
		address: '12 Lý Thường Kiệt, Hoàn Kiếm, Ngõ 5, Hà Nội',
	});
	// Abroad, the country is part of the address.
	order.billing.country = 'SG';
	expect(forSalekit(order).salekit.address).toMatch(/, SG$/);
});

/**
 * Every WooCommerce order status, and what the status workflow sends for an affiliate order Salekit
 * already has (README, "What each WooCommerce status sends"): to AccessTrade, and to Salekit.
 * Paid online (bank transfer) the order was created on-hold; cash on delivery, processing.
 */
const STATUS_TABLE: Record<string, { accessTrade: string; bank: string[]; cod: string[] }> = {
	pending: { accessTrade: 'nothing', bank: [], cod: [] },
	'on-hold': { accessTrade: 'nothing', bank: [], cod: [] },
	processing: { accessTrade: 'nothing', bank: ['pay_status', 'pay_time'], cod: [] },
	completed: {
		accessTrade: 'Delivered',
		bank: ['pay_status', 'pay_time'],
		cod: ['pay_status', 'pay_time'],
	},
	cancelled: { accessTrade: 'Cancelled or refunded', bank: ['note'], cod: ['note'] },
	refunded: {
		accessTrade: 'Cancelled or refunded',
		bank: ['pay_status', 'pay_time', 'note'],
		cod: ['note'],
	},
	failed: { accessTrade: 'nothing', bank: [], cod: [] },
};

test.each(Object.entries(STATUS_TABLE))(
	'status %s: what goes to AccessTrade and to Salekit',
	(status, expected) => {
		const statusWorkflow = byId(EXAMPLE_IDS.orderStatus);
		const route = node(statusWorkflow, 'Route').parameters.rules as {
			values: Array<{
				outputKey: string;
				conditions: { conditions: Array<{ leftValue: string }> };
			}>;
		};
		const changed = (
			node(statusWorkflow, 'Changed for Salekit?').parameters.conditions as {
				conditions: Array<{ leftValue: string }>;
			}
		).conditions[0].leftValue;
		for (const [payment, createdAs] of [
			['bank', 'on-hold'],
			['cod', 'processing'],
		] as const) {
			const created = { ...sampleOrder(), payment_method: payment === 'cod' ? 'cod' : 'bacs' };
			// What WooCommerce sets with each status: paid (processing, completed), completed, a refund.
			const withStatus = (to: string) => ({
				...created,
				status: to,
				date_paid: ['processing', 'completed', 'refunded'].includes(to)
					? '2024-05-02T08:00:00'
					: null,
				date_completed: to === 'completed' ? '2024-05-03T09:00:00' : null,
				refunds: to === 'refunded' ? [{ id: 1, reason: '', total: '-520000' }] : [],
			});
			const row = {
				conversion_id: 'c0ffee',
				conversion_status: null,
				salekit_order_id: '235584',
				salekit_sent: forSalekit(withStatus(createdAs)).salekitFingerprint,
			};
			const event = withStatus(status);
			const mapped = forSalekit(event);
			const $ = (name: string) => ({
				item: { json: name === 'What Salekit should know' ? mapped : event },
			});
			const outputs = route.values
				.filter((rule) => evaluate(rule.conditions.conditions[0].leftValue, { $json: row, $ }))
				.map((rule) => rule.outputKey);
			expect([payment, outputs]).toEqual([
				payment,
				expected.accessTrade === 'nothing' ? [] : [expected.accessTrade],
			]);
			const before = forSalekit(withStatus(createdAs)).salekit;
			const sent = evaluate(changed, { $json: row, $ })
				? Object.keys(mapped.salekit).filter(
						(field) => JSON.stringify(mapped.salekit[field]) !== JSON.stringify(before[field]),
					)
				: [];
			expect([payment, sent]).toEqual([payment, expected[payment]]);
		}
	},
);

test('a settled order first seen by a catch-up is created in Salekit as it stands', () => {
	const statusOf = (status: string) => forSalekit({ ...sampleOrder(), status }).salekitStatus;
	expect(
		['pending', 'on-hold', 'processing', 'failed', 'completed', 'cancelled', 'refunded'].map(
			statusOf,
		),
	).toEqual([0, 0, 0, 0, 3, 4, 7]);
});

test('each order names its shop by its own REST links, the same way in both workflows', () => {
	const shopOf = (json: Record<string, unknown>) =>
		(runCode(byId(EXAMPLE_IDS.newOrder), 'Order', { $json: json }) as { json: { shop: string } })
			.json.shop;
	const links = (href: string) => ({ _links: { self: [{ href }] } });
	expect(shopOf(links('https://shop.example.vn/wp-json/wc/v3/orders/5200'))).toBe(
		'shop.example.vn',
	);
	expect(shopOf(links('https://WWW.Shop.example.vn/wp-json/wc/v3/orders/5200'))).toBe(
		'shop.example.vn',
	);
	// Two shops of one WordPress multisite, in subfolders; plain permalinks.
	expect(shopOf(links('https://example.vn/hanoi/wp-json/wc/v3/orders/1'))).toBe('example.vn/hanoi');
	expect(shopOf(links('https://example.vn/saigon/?rest_route=/wc/v3/orders/1'))).toBe(
		'example.vn/saigon',
	);
	// The refund hook's post carries the shop's address instead.
	expect(shopOf({ shop_url: 'https://shop.example.vn/' })).toBe('shop.example.vn');
});

// n8n hides the Condition of Row Exists / Row Not Exists (only equality is kept): a stored
// "neq" would silently turn into "eq" and invert the filter.
test.each(workflows.map((workflow) => workflow.id))(
	'%s: every Row (Not) Exists condition is an equality',
	(id) => {
		for (const check of ofType(byId(id), 'dataTable').filter((candidate) =>
			['rowExists', 'rowNotExists'].includes(candidate.parameters.operation as string),
		)) {
			const { conditions } = check.parameters.filters as {
				conditions: Array<{ condition: string }>;
			};
			expect(conditions.map((condition) => condition.condition)).toEqual(
				conditions.map(() => 'eq'),
			);
		}
	},
);
