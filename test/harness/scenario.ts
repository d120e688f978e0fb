/**
 * The examples' story, told once: the try-it example's sample orders arrive at the other-shop
 * new-order webhook, the shop delivers the first one again, then the sample status changes
 * arrive at the other-shop status webhook, the product example's products arrive, and the data
 * table is read back. `npm run demo`
 * prints it; the end-to-end and queue suites assert it. (The WooCommerce Trigger examples, with
 * the fake shop: test/e2e/woocommerce.test.ts.)
 */
import type { LoggedRequest, SandboxConversion, SandboxOrder, SandboxRecord } from '../../sandbox/server';
import { deliverShopEvent, EXAMPLE_IDS, sampleShopEvents, type ExampleStack, type ShopEvent } from './examples';
import type { WorkflowFile } from './n8n-host';

export const NEW_ORDER_EXAMPLE = EXAMPLE_IDS.shopWebhookNewOrder;
export const STATUS_EXAMPLE = EXAMPLE_IDS.shopWebhookOrderStatus;

/** One shop event delivered to a published example, and what the sandbox saw because of it. */
export interface Delivery {
	event: ShopEvent;
	requests: LoggedRequest[];
	/** Why n8n did not answer 2xx; absent when it did. */
	failure?: string;
}

export interface ScenarioRun {
	newOrders: Delivery[];
	/** The first new order, delivered again as a shop redelivers a webhook. */
	repeatedOrder: Delivery[];
	statusChanges: Delivery[];
	/** WooCommerce products created or updated; an update of a product already sent is skipped. */
	productEvents: Delivery[];
	/** The sandbox after the run. */
	orders: SandboxOrder[];
	products: SandboxRecord[];
	conversions: SandboxConversion[];
	dataTableRows: Array<Record<string, unknown>>;
}

/**
 * What the sample events leave behind, per WooCommerce order: whether it brings a conversion
 * (its click id), and the status of each conversion line after the status changes.
 */
export const SCENARIO_OUTCOME: Record<string, { parts?: Record<string, string> }> = {
	'5123': { parts: { 'AO-THUN-DO-M': 'pre_approved', 'NON-LUOI-TRAI': 'pre_approved' } },
	'5124': { parts: { 'GIAY-THE-THAO-42': 'rejected' } },
	'5125': { parts: { 'TUI-XACH': 'pending', 'VI-DA': 'rejected' } },
	'5126': {},
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

export async function runExampleScenario(stack: ExampleStack): Promise<ScenarioRun> {
	const orders = sampleShopEvents(stack.examples, 'orders');
	const newOrders = await deliverInTurn(stack, orders);
	const repeatedOrder = await deliverInTurn(stack, orders.slice(0, 1));
	const statusChanges = await deliverInTurn(stack, sampleShopEvents(stack.examples, 'statusChanges'));
	const productEvents = await deliverInTurn(stack, sampleShopEvents(stack.examples, 'products'));
	return {
		newOrders,
		repeatedOrder,
		statusChanges,
		productEvents,
		orders: stack.sandbox.orders(),
		products: stack.sandbox.products(),
		conversions: stack.sandbox.conversions(),
		dataTableRows: await stack.readDataTable(),
	};
}

/** Salekit orders the new-order example made for a WooCommerce order (it notes the shop's id). */
export function salekitOrdersOf(run: Pick<ScenarioRun, 'orders'>, shopOrderId: string): SandboxOrder[] {
	return run.orders.filter((order) => order.note === `WooCommerce order #${shopOrderId}`);
}

export function conversionsOf(run: Pick<ScenarioRun, 'conversions'>, shopOrderId: string): SandboxConversion[] {
	return run.conversions.filter((conversion) => conversion.order_id === shopOrderId);
}

/** What went differently from SCENARIO_OUTCOME, in words; empty when the story held. */
export function scenarioProblems(run: ScenarioRun): string[] {
	const problems: string[] = [];
	for (const { event, failure } of [...run.newOrders, ...run.repeatedOrder, ...run.statusChanges, ...run.productEvents]) {
		if (failure) problems.push(`${event.webhookPath} (id ${shopOrderIdOf(event)}): ${failure}`);
	}
	if (run.repeatedOrder.some((delivery) => delivery.requests.length > 0)) problems.push('the redelivered order reached a vendor');
	const tableRows = new Map(run.dataTableRows.map((row) => [String(row.shop_order_id), row]));
	for (const [shopOrderId, { parts }] of Object.entries(SCENARIO_OUTCOME)) {
		const salekit = salekitOrdersOf(run, shopOrderId);
		const conversions = conversionsOf(run, shopOrderId);
		const row = tableRows.get(shopOrderId);
		if (salekit.length !== 1) problems.push(`order ${shopOrderId}: ${salekit.length} Salekit orders, expected 1`);
		if (conversions.length !== (parts ? 1 : 0)) problems.push(`order ${shopOrderId}: ${conversions.length} conversions, expected ${parts ? 1 : 0}`);
		if (!parts) {
			if (row) problems.push(`order ${shopOrderId} (no affiliate) has a data-table row`);
			continue;
		}
		const [conversion] = conversions;
		const statuses = Object.fromEntries(conversion?.conversion_parts.map((part) => [part.sku, part.status]) ?? []);
		if (JSON.stringify(statuses) !== JSON.stringify(parts)) {
			problems.push(`order ${shopOrderId}: lines ${JSON.stringify(statuses)}, expected ${JSON.stringify(parts)}`);
		}
		const expectedRow = { salekit_order_id: String(salekit[0]?.id), conversion_id: conversion?.conversion_id };
		if (row?.salekit_order_id !== expectedRow.salekit_order_id || row?.conversion_id !== expectedRow.conversion_id) {
			problems.push(`order ${shopOrderId}: data-table row ${JSON.stringify(row)}, expected ${JSON.stringify(expectedRow)}`);
		}
	}
	// By SKU: a suite may have created other products in the same sandbox before the scenario.
	const shopSkus = new Set(run.productEvents.map(({ event }) => String(event.body.sku)));
	const created = run.products.filter((product) => shopSkus.has(String(product.sku)));
	if (created.length !== shopSkus.size) problems.push(`${created.length} Salekit products for ${shopSkus.size} WooCommerce products`);
	if (run.dataTableRows.length !== tableRows.size) problems.push(`the data table holds ${run.dataTableRows.length} rows for ${tableRows.size} orders`);
	return problems;
}
