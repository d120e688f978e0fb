/**
 * The examples' story, told once: the try-it example's sample orders arrive at the other-shop
 * new-order webhook, the shop delivers the first one again, then the sample status changes
 * arrive at the other-shop status webhook, the sample products are created and edited in the fake
 * WooCommerce shop, which delivers them to the product example's triggers, and the data table is
 * read back. `npm run demo`
 * prints it; the end-to-end and queue suites assert it. (The WooCommerce Trigger examples, with
 * the fake shop: test/e2e/woocommerce.test.ts.)
 */
import type {
	LoggedRequest,
	SandboxConversion,
	SandboxOrder,
	SandboxRecord,
} from '../../sandbox/server';
import {
	deliverShopEvent,
	EXAMPLE_IDS,
	listExecutions,
	sampleShopEvents,
	type ExampleStack,
	type ShopEvent,
} from './examples';
import type { WorkflowFile } from './n8n-host';

export const NEW_ORDER_EXAMPLE = EXAMPLE_IDS.shopWebhookNewOrder;
export const STATUS_EXAMPLE = EXAMPLE_IDS.shopWebhookOrderStatus;

/** One shop event delivered to a published example, and what the sandbox saw because of it. */
export interface Delivery {
	event: ShopEvent;
	requests: LoggedRequest[];
	/** Why n8n did not answer 2xx; absent when it did. */
	failure?: string;
	/** What the reader should know about an event that, as expected, reached no webhook. */
	note?: string;
}

export interface ScenarioRun {
	newOrders: Delivery[];
	/** The first new order, delivered again as a shop redelivers a webhook. */
	repeatedOrder: Delivery[];
	statusChanges: Delivery[];
	/**
	 * Products created or edited in the fake shop. The example listens to new products only, so an
	 * edit is delivered nowhere (its product.updated trigger is an opt-in, off).
	 */
	productEvents: Delivery[];
	/** The sandbox after the run. */
	orders: SandboxOrder[];
	/** The Salekit products made while the product events ran (a suite may have made others before). */
	products: SandboxRecord[];
	conversions: SandboxConversion[];
	dataTableRows: Array<Record<string, unknown>>;
}

/**
 * What the sample events leave behind, per WooCommerce order: whether it brings a conversion
 * (its click id) and the status of each conversion line after the status changes, and what the
 * Salekit order says after them (paid or not, the note's last line).
 */
export const SCENARIO_OUTCOME: Record<
	string,
	{ parts?: Record<string, string>; salekit: { pay_status: number; noteEnd?: string } }
> = {
	'5123': {
		parts: { 'AO-THUN-DO-M': 'pre_approved', 'NON-LUOI-TRAI': 'pre_approved' },
		// Cash on delivery: paid once delivered.
		salekit: { pay_status: 1 },
	},
	'5124': {
		parts: { 'GIAY-THE-THAO-42': 'rejected' },
		salekit: { pay_status: 0, noteEnd: 'Cancelled in WooCommerce.' },
	},
	'5125': { parts: { 'TUI-XACH': 'pending', 'VI-DA': 'rejected' }, salekit: { pay_status: 0 } },
	'5126': { salekit: { pay_status: 1 } },
};

export function exampleWorkflow(examples: WorkflowFile[], id: string): WorkflowFile {
	const found = examples.find((workflow) => workflow.id === id);
	if (!found) throw new Error(`No example workflow with the id ${id}`);
	return found;
}

/** The WooCommerce order an event is about: an order body carries `id`, a refund `order_id`. */
export function shopOrderIdOf(event: ShopEvent): string {
	return String(event.body.id ?? event.body.order_id);
}

/** The examples answer once their run is over, so each event's requests are its own. */
async function deliverInTurn(stack: ExampleStack, events: ShopEvent[]): Promise<Delivery[]> {
	const deliveries: Delivery[] = [];
	for (const event of events) {
		const from = stack.sandbox.log.length;
		const failure = await deliverShopEvent(stack.editor.url, event).then(
			() => undefined,
			(error: Error) => error.message,
		);
		deliveries.push({ event, requests: stack.sandbox.log.slice(from), failure });
	}
	return deliveries;
}

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

async function poll(
	what: string,
	check: () => Promise<boolean> | boolean,
	timeoutMs = 60_000,
): Promise<void> {
	const started = Date.now();
	while (!(await check())) {
		if (Date.now() - started > timeoutMs)
			throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Each sample product created in the fake shop (an edit when the sample repeats a product id), so
 * that the shop delivers it, signed, to the webhooks the published product example registered
 * (those of its enabled triggers). The trigger answers before its run ends: each delivery waits
 * for the run it started.
 */
async function productsThroughTheShop(
	stack: ExampleStack,
	samples: ShopEvent[],
): Promise<Delivery[]> {
	const { sandbox, editor, cookie } = stack;
	const topics = exampleWorkflow(stack.examples, EXAMPLE_IDS.product)
		.nodes.filter((node) => node.type === 'n8n-nodes-base.wooCommerceTrigger' && !node.disabled)
		.map((node) => String(node.parameters.event));
	const registered = () =>
		topics.every((topic) =>
			sandbox.shop
				.webhooks()
				.some((webhook) => webhook.topic === topic && webhook.status === 'active'),
		);
	await poll('the product example registered its webhooks at the shop', registered);
	const productRuns = async () =>
		(await listExecutions(editor.url, cookie)).filter(
			(run) => run.workflowId === EXAMPLE_IDS.product,
		);
	const shopIds = new Map<string, number>();
	const deliveries: Delivery[] = [];
	for (const sample of samples) {
		const from = sandbox.log.length;
		const runsBefore = (await productRuns()).length;
		const known = shopIds.get(String(sample.body.id));
		const { product, deliveries: sent } =
			known === undefined
				? await sandbox.shop.createProduct(sample.body)
				: await sandbox.shop.updateProduct(known, sample.body);
		shopIds.set(String(sample.body.id), product.id as number);
		const topic = known === undefined ? 'product.created' : 'product.updated';
		const expected = topics.includes(topic) ? 1 : 0;
		let failure = sent
			.map((delivery) =>
				delivery.succeeded
					? ''
					: `the delivery answered ${delivery.status}${delivery.error ? ` (${delivery.error})` : ''}`,
			)
			.join('');
		if (sent.length !== expected) failure = `${sent.length} deliveries, expected ${expected}`;
		if (!failure && expected > 0) {
			// n8n lists a run while it goes: wait until it is there and over.
			const over = async () => (await productRuns()).filter((run) => FINISHED.includes(run.status));
			failure = await poll(
				'the run of the delivered product',
				async () => (await over()).length > runsBefore,
			).then(
				async () =>
					(await over())
						.filter((run) => run.status !== 'success')
						.map((run) => `run ${run.id} ended ${run.status}`)[0] ?? '',
				(error: Error) => error.message,
			);
		}
		const requests = sandbox.log.slice(from).filter((entry) => entry.vendor !== 'wooCommerce');
		deliveries.push({
			event: { webhookPath: topic, body: product },
			requests,
			failure: failure || undefined,
			note: expected === 0 ? 'not delivered: the example takes new products only' : undefined,
		});
	}
	return deliveries;
}

export async function runExampleScenario(stack: ExampleStack): Promise<ScenarioRun> {
	const orders = sampleShopEvents(stack.examples, 'orders');
	const newOrders = await deliverInTurn(stack, orders);
	const repeatedOrder = await deliverInTurn(stack, orders.slice(0, 1));
	const statusChanges = await deliverInTurn(
		stack,
		sampleShopEvents(stack.examples, 'statusChanges'),
	);
	const productsBefore = stack.sandbox.products().length;
	const productEvents = await productsThroughTheShop(
		stack,
		sampleShopEvents(stack.examples, 'products'),
	);
	return {
		newOrders,
		repeatedOrder,
		statusChanges,
		productEvents,
		orders: stack.sandbox.orders(),
		products: stack.sandbox.products().slice(productsBefore),
		conversions: stack.sandbox.conversions(),
		dataTableRows: await stack.readDataTable(),
	};
}

/** Whether a Salekit order is the one made for a WooCommerce order: its note's first line names it. */
export function notesShopOrder(order: SandboxOrder, shopOrderId: number | string): boolean {
	return String(order.note).split('\n')[0] === `WooCommerce order #${shopOrderId}`;
}

/** Salekit orders the new-order example made for a WooCommerce order. */
export function salekitOrdersOf(
	run: Pick<ScenarioRun, 'orders'>,
	shopOrderId: string,
): SandboxOrder[] {
	return run.orders.filter((order) => notesShopOrder(order, shopOrderId));
}

export function conversionsOf(
	run: Pick<ScenarioRun, 'conversions'>,
	shopOrderId: string,
): SandboxConversion[] {
	return run.conversions.filter((conversion) => conversion.order_id === shopOrderId);
}

/** What went differently from SCENARIO_OUTCOME, in words; empty when the story held. */
export function scenarioProblems(run: ScenarioRun): string[] {
	const problems: string[] = [];
	for (const { event, failure } of [
		...run.newOrders,
		...run.repeatedOrder,
		...run.statusChanges,
		...run.productEvents,
	]) {
		if (failure) problems.push(`${event.webhookPath} (id ${shopOrderIdOf(event)}): ${failure}`);
	}
	if (run.repeatedOrder.some((delivery) => delivery.requests.length > 0))
		problems.push('the redelivered order reached a vendor');
	const tableRows = new Map(run.dataTableRows.map((row) => [String(row.shop_order_id), row]));
	for (const [shopOrderId, { parts, salekit: expectedSalekit }] of Object.entries(
		SCENARIO_OUTCOME,
	)) {
		const salekit = salekitOrdersOf(run, shopOrderId);
		const conversions = conversionsOf(run, shopOrderId);
		const row = tableRows.get(shopOrderId);
		if (salekit.length !== 1)
			problems.push(`order ${shopOrderId}: ${salekit.length} Salekit orders, expected 1`);
		if (conversions.length !== (parts ? 1 : 0))
			problems.push(
				`order ${shopOrderId}: ${conversions.length} conversions, expected ${parts ? 1 : 0}`,
			);
		const [order] = salekit;
		if (
			order &&
			(order.pay_status !== expectedSalekit.pay_status ||
				(expectedSalekit.noteEnd !== undefined &&
					!String(order.note).endsWith(expectedSalekit.noteEnd)))
		) {
			problems.push(
				`order ${shopOrderId}: Salekit has pay_status ${String(order.pay_status)} and note ${JSON.stringify(order.note)}, expected ${JSON.stringify(expectedSalekit)}`,
			);
		}
		const [conversion] = conversions;
		if (parts) {
			const statuses = Object.fromEntries(
				conversion?.conversion_parts.map((part) => [part.sku, part.status]) ?? [],
			);
			if (JSON.stringify(statuses) !== JSON.stringify(parts)) {
				problems.push(
					`order ${shopOrderId}: lines ${JSON.stringify(statuses)}, expected ${JSON.stringify(parts)}`,
				);
			}
		}
		// Every order has its row: the Salekit id (the status workflow updates it), the conversion's.
		const expectedRow = {
			salekit_order_id: String(order?.id),
			conversion_id: conversion?.conversion_id ?? null,
			error: '',
		};
		if (
			row?.salekit_order_id !== expectedRow.salekit_order_id ||
			(row?.conversion_id ?? null) !== expectedRow.conversion_id ||
			row?.error !== expectedRow.error
		) {
			problems.push(
				`order ${shopOrderId}: data-table row ${JSON.stringify(row)}, expected ${JSON.stringify(expectedRow)}`,
			);
		}
	}
	// Each WooCommerce product ends as exactly one Salekit product with its SKU.
	const shopSkus = new Set(run.productEvents.map(({ event }) => String(event.body.sku)));
	const created = run.products.filter((product) => shopSkus.has(String(product.sku)));
	if (created.length !== shopSkus.size)
		problems.push(`${created.length} Salekit products for ${shopSkus.size} WooCommerce products`);
	if (run.dataTableRows.length !== tableRows.size)
		problems.push(
			`the data table holds ${run.dataTableRows.length} rows for ${tableRows.size} orders`,
		);
	return problems;
}
