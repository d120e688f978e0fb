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
	expect(ofType(tryIt, 'dataTable').map(tableName)).toEqual(Array(3).fill(TRY_IT_DATA_TABLE.name));
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

test.each([
	['new-order', EXAMPLE_IDS.newOrder, 'Order', 'WooCommerce: order created'],
	['status', EXAMPLE_IDS.orderStatus, 'Event', 'WooCommerce: order updated'],
])(
	'the %s catch-up asks for the orders modified since its last run, with the WooCommerce credential',
	(_, id, firstStep, trigger) => {
		const workflow = byId(id);
		const request = node(workflow, 'Orders changed since');
		expect(request.parameters).toMatchObject({
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'wooCommerceApi',
		});
		const query = (
			request.parameters.queryParameters as { parameters: Array<{ name: string; value: string }> }
		).parameters;
		expect(Object.fromEntries(query.map(({ name, value }) => [name, value]))).toMatchObject({
			modified_after: '={{ $json.modifiedAfter }}',
			dates_are_gmt: 'true',
		});
		// The trigger's own steps, so a re-run is a skip: by Shop Order Key, or by conversion_status.
		const into = (from: string) =>
			(workflow.connections[from] as { main: Array<Array<{ node: string }>> }).main
				.flat()
				.map((link) => link.node);
		expect(into('Orders changed since')).toEqual([firstStep]);
		expect(into(trigger)).toEqual([firstStep]);
		// n8n runs branches top to bottom: the window moves only after every order went through,
		// and a failure to turn the webhook back on does not hold it back.
		const branches = ['Orders changed since', 'Remember this catch-up', 'Shop webhooks'];
		expect(into('Since the last catch-up')).toEqual(branches);
		const heights = branches.map((name) => node(workflow, name).position[1]);
		expect([...heights].sort((a, b) => a - b)).toEqual(heights);
		expect(new Set(heights).size).toBe(3);
		// The shop's address is written once, in the window's code.
		expect(request.parameters.url).toBe('={{ $json.shopUrl }}/wp-json/wc/v3/orders');
		expect(node(workflow, 'Since the last catch-up').parameters.jsCode).toContain(
			"const SHOP_URL = 'https://shop.example.vn';",
		);
	},
);

/** The catch-up's *Our webhook, disabled* code, run as n8n's Code node runs it. */
function webhooksToTurnOn(
	workflow: WorkflowFile,
	webhooks: Array<Record<string, unknown>>,
	resumeUrl: string,
): unknown[] {
	const code = node(workflow, 'Our webhook, disabled').parameters.jsCode as string;
	const run = new Function('$input', '$execution', code) as (...args: unknown[]) => unknown[];
	const input = { all: () => webhooks.map((json) => ({ json })) };
	return run(input, { resumeUrl }).map((item) => (item as { json: { id: number } }).json.id);
}

test.each([
	[EXAMPLE_IDS.newOrder, 'WooCommerce: order created'],
	[EXAMPLE_IDS.orderStatus, 'WooCommerce: order updated'],
])(
	"%s: the catch-up turns the trigger's own disabled webhook back on, and no other",
	(id, trigger) => {
		const workflow = byId(id);
		const topic = node(workflow, trigger).parameters.event as string;
		const n8n = 'https://n8n.example.vn/';
		const resumeUrl = `${n8n}webhook-waiting/4711`;
		const ours = `${n8n}webhook/0e8a3746-b6f5-53a9-9618-c1e4da12d171/webhook`;
		const hook = (id: number, status: string, delivery_url = ours, hookTopic = topic) => ({
			id,
			status,
			topic: hookTopic,
			delivery_url,
		});
		// Disabled during an outage, nothing else: turned back on.
		expect(webhooksToTurnOn(workflow, [hook(1, 'disabled')], resumeUrl)).toEqual([1]);
		// n8n 2.8.4 registered a new one at start-up: the old one stays off.
		expect(webhooksToTurnOn(workflow, [hook(1, 'disabled'), hook(2, 'active')], resumeUrl)).toEqual(
			[],
		);
		// Another topic, another n8n, a paused one: left alone.
		const otherTopic = topic === 'order.created' ? 'order.updated' : 'order.created';
		expect(
			webhooksToTurnOn(
				workflow,
				[
					hook(3, 'disabled', ours, otherTopic),
					hook(4, 'disabled', 'https://n8n.example.vn.evil.io/webhook/x/webhook'),
					hook(5, 'disabled', 'https://other.example.vn/webhook/x/webhook'),
					hook(6, 'paused'),
				],
				resumeUrl,
			),
		).toEqual([]);
		// The request: PUT status active to that webhook, with the WooCommerce credential.
		const turnOn = node(workflow, 'Turn it back on');
		expect(turnOn.parameters).toMatchObject({
			method: 'PUT',
			url: "={{ $('Since the last catch-up').first().json.shopUrl }}/wp-json/wc/v3/webhooks/{{ $json.id }}",
			nodeCredentialType: 'wooCommerceApi',
			jsonBody: '{ "status": "active" }',
		});
	},
);

test('every variant runs the same steps', () => {
	const stepsOf = (workflow: WorkflowFile, names: string[]) =>
		names.map((name) => {
			const { parameters, type, typeVersion } = node(workflow, name);
			return JSON.stringify({ parameters, type, typeVersion }).replaceAll(
				TRY_IT_DATA_TABLE.name,
				EXAMPLE_DATA_TABLE.name,
			);
		});
	const orderSteps = [
		'Create Salekit order',
		'From an affiliate?',
		'Create AccessTrade conversion',
		'Newly created?',
		'Keep the ids',
	];
	const statusSteps = [
		'Find conversion',
		'Route',
		'Pre-approve conversion',
		'Reject conversion',
		'Remember the conversion status',
		'One item per refunded line',
		'Reject refunded line',
	];
	for (const id of [EXAMPLE_IDS.shopWebhookNewOrder, EXAMPLE_IDS.tryIt]) {
		expect(stepsOf(byId(id), orderSteps)).toEqual(stepsOf(byId(EXAMPLE_IDS.newOrder), orderSteps));
	}
	for (const id of [EXAMPLE_IDS.shopWebhookOrderStatus, EXAMPLE_IDS.tryIt]) {
		expect(stepsOf(byId(id), statusSteps)).toEqual(
			stepsOf(byId(EXAMPLE_IDS.orderStatus), statusSteps),
		);
	}
	expect(stepsOf(byId(EXAMPLE_IDS.tryIt), ['Create Salekit product'])).toEqual(
		stepsOf(byId(EXAMPLE_IDS.product), ['Create Salekit product']),
	);
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
