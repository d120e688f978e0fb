import { existsSync, writeFileSync } from 'node:fs';
import { startSandbox } from '../../sandbox/server';
import { N8nInstance, ensureN8nHost, setUpOwner } from '../harness/n8n-host';
import { freePort } from '../harness/processes';
test('scratch', async () => {
	const sandbox = await startSandbox({ quiet: true });
	const instance = await N8nInstance.create(await ensureN8nHost(), 'communityPackage');
	const editor = await instance.startEditor({ port: await freePort(), quiet: true });
	const cookie = await setUpOwner(editor.url);
	writeFileSync('/tmp/qs-stack.json', JSON.stringify({ url: editor.url, cookie, shop: sandbox.wooCommerceUrl, salekit: sandbox.salekitBaseUrl, at: sandbox.accessTradeBaseUrl, folder: instance.userFolder }));
	while (!existsSync('/tmp/qs-stop')) await new Promise((r) => setTimeout(r, 1000));
	await editor.stop();
	await sandbox.stop();
	await instance.remove();
}, 3_600_000);
