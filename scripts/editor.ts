/**
 * `npm run n8n`: the n8n editor on http://127.0.0.1:5678 with the package installed as a
 * community package, the sandbox running, its credentials and the examples imported, and an
 * owner account ready. Everything lives in a fresh temp folder and goes away on Ctrl-C, so
 * restart it after changing the nodes.
 */
import {
	SANDBOX_CREDENTIALS,
	SANDBOX_SHOP_SECRET,
	SHOP_CREDENTIALS,
	startExampleStack,
} from '../test/harness/examples';
import { runScript } from '../test/harness/lifecycle';
import { hostAndFreshBuild, SANDBOX_OWNER } from '../test/harness/n8n-host';

const EDITOR_PORT = 5678;

runScript(async (cleanup) => {
	const host = await hostAndFreshBuild();

	const { editor, sandbox, examples } = await startExampleStack(host, cleanup, {
		publish: false,
		port: EDITOR_PORT,
		quiet: false,
	});
	const login = `log in as ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password}`;
	const webhookPaths = examples.flatMap((workflow) =>
		workflow.nodes
			.filter((node) => node.type === 'n8n-nodes-base.webhook')
			.map((node) => String(node.parameters.path)),
	);
	const credentialNames = Object.values({ ...SANDBOX_CREDENTIALS, ...SHOP_CREDENTIALS }).map(
		({ name }) => `"${name}"`,
	);
	const rule = '─'.repeat(76);
	console.log(
		[
			rule,
			`  n8n editor:   ${editor.url}   (${login})`,
			'',
			'  Workflows:    ' +
				examples.map((workflow) => `"${workflow.name}"`).join('\n                '),
			`  Credentials:  ${credentialNames.join(', ')}, pointing at the sandbox ${sandbox.url}`,
			'  Open "Try it: sample orders (sandbox)" and click "Execute workflow" to run the sample orders.',
			`  The fake WooCommerce shop: ${sandbox.wooCommerceUrl}. Publish the WooCommerce workflows, then`,
			`  place an order: curl -X POST ${sandbox.url}/__sandbox/woocommerce/orders -d '{"line_items":[{"sku":"A","quantity":1,"price":100000}],"click_id":"abc"}'`,
			'',
			`  Webhook test URLs (click "Listen for test event" on the Webhook node first; header ${SANDBOX_SHOP_SECRET.name}: ${SANDBOX_SHOP_SECRET.value}):`,
			...webhookPaths.map((webhookPath) => `    ${editor.url}/webhook-test/${webhookPath}`),
			`  Sandbox state: ${sandbox.url}/__sandbox/state   request log: ${sandbox.url}/__sandbox/log`,
			'',
			'  Ctrl-C stops n8n and the sandbox and deletes this instance.',
			rule,
		].join('\n'),
	);

	// Runs until Ctrl-C; n8n stopping on its own is a failure.
	const code = await new Promise<number | null>((resolve) => editor.process.once('exit', resolve));
	if (cleanup.stopping) return 0;
	console.error(`n8n exited unexpectedly (code ${code})`);
	return 1;
}, 0);
