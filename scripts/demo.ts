/**
 * `npm run demo`: the affiliate loop in real n8n, the package installed as a community package,
 * against the local sandbox. The example workflows are published and fed their sample
 * WooCommerce events through their webhooks, as a shop feeds them: new orders create Salekit
 * orders and AccessTrade conversions, later status changes update those conversions; new
 * products create Salekit products, each once (an edit creates nothing). Prints what the
 * sandbox holds afterwards; exits non-zero when a step fails or leaves no trace.
 */
import { seedConversions, type Sandbox, type SandboxConversion } from '../sandbox/server';
import { EXAMPLE_DATA_TABLE, startExampleStack, type ShopEvent } from '../test/harness/examples';
import { runScript } from '../test/harness/lifecycle';
import { hostAndFreshBuild } from '../test/harness/n8n-host';
import { runExampleScenario, scenarioProblems, type Delivery } from '../test/harness/scenario';

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function partStatuses(conversion: SandboxConversion): string {
	return conversion.conversion_parts.map((part) => `${part.sku} ${part.status}`).join(', ');
}

function createdConversions(sandbox: Sandbox): SandboxConversion[] {
	const seeded = new Set(seedConversions().map((conversion) => conversion.conversion_id));
	return sandbox.conversions().filter((conversion) => !seeded.has(conversion.conversion_id));
}

function printOrders(sandbox: Sandbox): void {
	const orders = sandbox.orders();
	console.log(`\nSalekit orders created (read back from the sandbox): ${orders.length}`);
	for (const order of orders) {
		const products = order.products.map(
			(product) => `${product.sku ?? product.product_id} ×${product.quantity}`,
		);
		console.log(
			`  #${order.id}  ${order.full_name}: ${products.join(', ')}  (${String(order.note).replaceAll('\n', ' · ')})`,
		);
	}
}

function printProducts(sandbox: Sandbox): void {
	const products = sandbox.products();
	console.log(`\nSalekit products created (read back from the sandbox): ${products.length}`);
	for (const product of products) {
		const photos = Array.isArray(product.photos) ? product.photos.length : 0;
		console.log(
			`  ${String(product.sku)}  ${String(product.name)}: sale ${String(product.price_sale)}, ${photos} photo(s)`,
		);
	}
}

function printConversions(title: string, conversions: SandboxConversion[]): void {
	console.log(`\n${title}: ${conversions.length}`);
	for (const conversion of conversions) {
		const amount = conversion.total_sale_amount;
		const total = amount ? `, sale ${amount.amount} ${amount.currency}` : '';
		console.log(
			`  ${conversion.conversion_id}  order ${conversion.order_id}, click ${conversion.click_id ?? '-'}${total}`,
		);
		console.log(`      ${partStatuses(conversion)}`);
		const reasons = [
			...new Set(conversion.conversion_parts.map((part) => part.reason).filter(Boolean)),
		];
		if (reasons.length > 0) console.log(`      reason: ${reasons.join(' | ')}`);
	}
}

function printRequests(sandbox: Sandbox): void {
	console.log(`\nRequests the sandbox received: ${sandbox.log.length}`);
	for (const entry of sandbox.log) {
		const query = new URLSearchParams(entry.query).toString();
		console.log(`  ${entry.method} ${entry.path}${query ? `?${query}` : ''} -> ${entry.status}`);
	}
}

function describeEvent(event: ShopEvent): string {
	const { body } = event;
	if (body.refund !== undefined) return `refund of WooCommerce order ${String(body.order_id)}`;
	if (event.webhookPath.startsWith('product.'))
		return `WooCommerce product ${String(body.id)} (${String(body.name)}, SKU ${String(body.sku)})`;
	return `WooCommerce order ${String(body.id)} (${String(body.status)})`;
}

function printDeliveries(deliveries: Delivery[]): void {
	for (const { event, failure, note } of deliveries) {
		const after = failure ? `: ${failure}` : note ? ` (${note})` : '';
		console.log(`  ${failure ? '✘' : '✔'} ${event.webhookPath}: ${describeEvent(event)}${after}`);
	}
}

runScript(async (cleanup) => {
	const started = Date.now();
	const host = await hostAndFreshBuild();
	console.log(
		'Starting the sandbox and n8n, importing the credentials and the examples, publishing them…',
	);
	const stack = await startExampleStack(host, cleanup);
	const { sandbox } = stack;
	console.log(`Sandbox: ${sandbox.url}`);
	console.log(
		`n8n user folder: ${stack.instance.userFolder} (package installed as a community package)`,
	);
	console.log(
		`n8n running on ${stack.editor.url}, examples published, data table ready; every published webhook answered ${(stack.webhooksAnsweredAfterMs / 1000).toFixed(1)} s after n8n's REST API (waited ${(stack.webhooksWaitedMs / 1000).toFixed(1)} s for them)`,
	);

	const run = await runExampleScenario(stack);
	console.log(
		`\n1. New WooCommerce orders → Salekit + AccessTrade (${run.newOrders.length} orders)`,
	);
	printDeliveries(run.newOrders);
	console.log('\n2. WooCommerce delivers the first order again (a webhook retry)');
	printDeliveries(run.repeatedOrder);
	const repeatedRequests = run.repeatedOrder.flatMap((delivery) => delivery.requests).length;
	console.log(
		`  requests to the vendors: ${repeatedRequests} (the Shop Order Key skips both creates)`,
	);
	console.log(
		`\n3. Later: WooCommerce status changes → AccessTrade (${run.statusChanges.length} events)`,
	);
	printDeliveries(run.statusChanges);
	console.log(
		`\n4. Products created or edited in the fake WooCommerce shop; new ones are delivered signed to the product example's trigger → Salekit products (${run.productEvents.length} events)`,
	);
	printDeliveries(run.productEvents);

	printOrders(sandbox);
	printProducts(sandbox);
	printConversions(
		'AccessTrade conversions created from orders, with their status now (read back from the sandbox)',
		createdConversions(sandbox),
	);
	console.log(
		`\nData table ${EXAMPLE_DATA_TABLE.name} in n8n (what the status workflow looks up): ${run.dataTableRows.length} rows`,
	);
	for (const row of run.dataTableRows) {
		console.log(
			`  WooCommerce ${String(row.shop_order_id)} → Salekit #${String(row.salekit_order_id)} → conversion ${String(row.conversion_id)}`,
		);
	}
	printRequests(sandbox);

	const problems = scenarioProblems(run);
	if (problems.length > 0) {
		console.log(`\nDemo FAILED (${seconds(started)}):\n  ${problems.join('\n  ')}`);
		return 1;
	}
	console.log(`\nDemo passed in ${seconds(started)}.`);
	return 0;
});
