/**
 * `npm run demo`: the examples' "Execute workflow" paths (their Manual Trigger), run in real
 * n8n with the package installed as a community package, against the local sandbox. Prints
 * what the sandbox saw. Exits non-zero when a run fails or leaves no trace in the sandbox.
 */
import { seedConversions, startSandbox, type Sandbox, type SandboxConversion } from '../sandbox/server';
import { createSandboxInstance, readExamples } from './examples';
import { runScript } from './lifecycle';
import { hostAndFreshBuild, type Execution } from './n8n-host';

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function describeFailedRun(execution: Execution): string {
	const error = execution.error;
	const where = error?.node ? ` in node "${error.node.name}"` : '';
	return `${error?.message ?? 'unknown error'}${where}${error?.description ? `\n      ${error.description}` : ''}`;
}

function printOrders(sandbox: Sandbox): number {
	const orders = sandbox.orders();
	console.log(`\nSalekit orders created (read back from the sandbox): ${orders.length}`);
	for (const order of orders) {
		const products = order.products.map((product) => `${product.sku ?? product.product_id} ×${product.quantity}`);
		console.log(`  #${order.id}  ${order.full_name}, ${order.phone}: ${products.join(', ')}`);
		console.log(`      total_pay ${order.total_pay}, status ${order.status}`);
	}
	return orders.length;
}

function partStatuses(conversion: SandboxConversion): string {
	return conversion.conversion_parts.map((part) => `${part.sku} ${part.status}`).join(', ');
}

function printChangedConversions(sandbox: Sandbox): number {
	const seeded = new Map(seedConversions().map((conversion) => [conversion.conversion_id, partStatuses(conversion)]));
	const changed = sandbox
		.conversions()
		.filter((conversion) => partStatuses(conversion) !== seeded.get(conversion.conversion_id));
	console.log(`\nAccessTrade conversions whose status changed: ${changed.length}`);
	for (const conversion of changed) {
		console.log(`  ${conversion.conversion_id} (order ${conversion.order_id}): ${partStatuses(conversion)}`);
		const reasons = [...new Set(conversion.conversion_parts.map((part) => part.reason).filter(Boolean))];
		if (reasons.length > 0) console.log(`      reason: ${reasons.join(' | ')}`);
	}
	return changed.length;
}

function printRequests(sandbox: Sandbox): void {
	console.log(`\nRequests the sandbox received: ${sandbox.log.length}`);
	for (const entry of sandbox.log) {
		const query = new URLSearchParams(entry.query).toString();
		console.log(`  ${entry.method} ${entry.path}${query ? `?${query}` : ''} -> ${entry.status}`);
	}
}

runScript(async (cleanup) => {
	const started = Date.now();
	const host = await hostAndFreshBuild();

	const sandbox = await startSandbox({ quiet: true });
	cleanup.add(() => sandbox.stop());
	console.log(`Sandbox: ${sandbox.url}`);

	const examples = await readExamples();
	const instance = await createSandboxInstance(host, 'communityPackage', sandbox, examples);
	cleanup.add(() => instance.remove());
	console.log(`n8n user folder: ${instance.userFolder} (package installed as a community package)`);

	let failedRuns = 0;
	for (const workflow of examples) {
		const runStarted = Date.now();
		const execution = await instance.execute(workflow.id);
		if (execution.ok) {
			console.log(`\n✔ ${workflow.name}: ran in ${seconds(runStarted)}`);
		} else {
			failedRuns++;
			console.log(`\n✘ ${workflow.name}: FAILED after ${seconds(runStarted)}\n      ${describeFailedRun(execution)}`);
		}
	}

	const orders = printOrders(sandbox);
	const conversions = printChangedConversions(sandbox);
	printRequests(sandbox);

	const problems = [
		failedRuns > 0 ? `${failedRuns} example run(s) failed` : '',
		orders === 0 ? 'no Salekit order was created' : '',
		conversions === 0 ? 'no AccessTrade conversion changed' : '',
	].filter(Boolean);
	if (problems.length > 0) {
		console.log(`\nDemo FAILED: ${problems.join('; ')} (${seconds(started)})`);
		return 1;
	}
	console.log(`\nDemo passed in ${seconds(started)}.`);
	return 0;
});
