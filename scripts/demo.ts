/**
 * `npm run demo`: the affiliate loop in real n8n, the package installed as a community package,
 * against the local sandbox. The other-shop example workflows (Webhook node, header secret) are
 * published and fed the try-it workflow's sample WooCommerce events, as a shop posts them: new orders create Salekit
 * orders and AccessTrade conversions, later status changes update those conversions. Prints
 * what the sandbox holds afterwards; exits non-zero when a step fails or leaves no trace.
 */
import { seedConversions, startSandbox, type Sandbox, type SandboxConversion } from '../sandbox/server';
import {
	createExampleDataTable,
	createSandboxInstance,
	EXAMPLE_DATA_TABLE,
	deliverShopEvent,
	EXAMPLE_IDS,
	readExamples,
	sampleShopEvents,
	type ShopEvent,
} from '../test/harness/examples';
import { runScript } from '../test/harness/lifecycle';
import { hostAndFreshBuild, setUpOwner } from '../test/harness/n8n-host';
import { freePort } from '../test/harness/processes';

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

function printOrders(sandbox: Sandbox): number {
	const orders = sandbox.orders();
	console.log(`\nSalekit orders created (read back from the sandbox): ${orders.length}`);
	for (const order of orders) {
		const products = order.products.map((product) => `${product.sku ?? product.product_id} ×${product.quantity}`);
		console.log(`  #${order.id}  ${order.full_name}: ${products.join(', ')}  (${String(order.note)})`);
	}
	return orders.length;
}

function printConversions(title: string, conversions: SandboxConversion[]): void {
	console.log(`\n${title}: ${conversions.length}`);
	for (const conversion of conversions) {
		const amount = conversion.total_sale_amount;
		const total = amount ? `, sale ${amount.amount} ${amount.currency}` : '';
		console.log(`  ${conversion.conversion_id}  order ${conversion.order_id}, click ${conversion.click_id ?? '-'}${total}`);
		console.log(`      ${partStatuses(conversion)}`);
		const reasons = [...new Set(conversion.conversion_parts.map((part) => part.reason).filter(Boolean))];
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
	return `WooCommerce order ${String(body.id)} (${String(body.status)})`;
}

/** Delivers each event in turn; a failed delivery is reported and counted, not thrown. */
async function deliverAll(editorUrl: string, events: ShopEvent[]): Promise<number> {
	let failed = 0;
	for (const event of events) {
		try {
			await deliverShopEvent(editorUrl, event);
			console.log(`  ✔ ${event.webhookPath}: ${describeEvent(event)}`);
		} catch (error) {
			failed++;
			console.log(`  ✘ ${event.webhookPath}: ${describeEvent(event)}: ${(error as Error).message}`);
		}
	}
	return failed;
}

runScript(async (cleanup) => {
	const started = Date.now();
	const host = await hostAndFreshBuild();

	const sandbox = await startSandbox({ quiet: true });
	cleanup.add(() => sandbox.stop());
	console.log(`Sandbox: ${sandbox.url}`);

	const examples = await readExamples(sandbox);
	const instance = await createSandboxInstance(host, 'communityPackage', sandbox, examples);
	cleanup.add(() => instance.remove());
	for (const id of [EXAMPLE_IDS.shopWebhookNewOrder, EXAMPLE_IDS.shopWebhookOrderStatus]) await instance.publishWorkflow(id);
	console.log(`n8n user folder: ${instance.userFolder} (package installed as a community package)`);

	const editor = await instance.startEditor({ port: await freePort(), quiet: true });
	cleanup.add(() => editor.stop());
	const readDataTable = await createExampleDataTable(editor.url, await setUpOwner(editor.url));
	console.log(`n8n running on ${editor.url}, examples published, data table ready`);

	const newOrders = sampleShopEvents(examples, 'orders');
	console.log(`\n1. New WooCommerce orders → Salekit + AccessTrade (${newOrders.length} orders)`);
	let failed = await deliverAll(editor.url, newOrders);
	const requestsBeforeRepeat = sandbox.log.length;
	console.log('\n2. WooCommerce delivers the first order again (a webhook retry)');
	failed += await deliverAll(editor.url, newOrders.slice(0, 1));
	const repeatedRequests = sandbox.log.length - requestsBeforeRepeat;
	console.log(`  requests to the vendors: ${repeatedRequests} (the Shop Order Key skips both creates)`);

	const statusEvents = sampleShopEvents(examples, 'statusChanges');
	console.log(`\n3. Later: WooCommerce status changes → AccessTrade (${statusEvents.length} events)`);
	failed += await deliverAll(editor.url, statusEvents);

	const orders = printOrders(sandbox);
	const created = createdConversions(sandbox);
	printConversions('AccessTrade conversions created from orders, with their status now (read back from the sandbox)', created);
	const rows = await readDataTable();
	console.log(`\nData table ${EXAMPLE_DATA_TABLE.name} in n8n (what the status workflow looks up): ${rows.length} rows`);
	for (const row of rows) {
		console.log(`  WooCommerce ${String(row.shop_order_id)} → Salekit #${String(row.salekit_order_id)} → conversion ${String(row.conversion_id)}`);
	}
	printRequests(sandbox);

	const changed = created.filter((conversion) => conversion.conversion_parts.some((part) => part.status !== 'pending'));
	const problems = [
		failed > 0 ? `${failed} webhook delivery(ies) failed` : '',
		orders === 0 ? 'no Salekit order was created' : '',
		created.length === 0 ? 'no AccessTrade conversion was created' : '',
		rows.length !== created.length ? `the data table holds ${rows.length} rows for ${created.length} conversions` : '',
		changed.length === 0 ? 'no conversion status changed' : '',
		repeatedRequests > 0 ? 'a repeated order reached the vendors again' : '',
	].filter(Boolean);
	if (problems.length > 0) {
		console.log(`\nDemo FAILED: ${problems.join('; ')} (${seconds(started)})`);
		return 1;
	}
	console.log(`\nDemo passed in ${seconds(started)}.`);
	return 0;
});
