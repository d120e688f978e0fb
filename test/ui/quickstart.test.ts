/**
 * The README's quick start, followed in the editor as a new user follows it: a fresh n8n with the
 * package installed as a community package, the sandbox's fake WooCommerce shop and vendors, and
 * each numbered step done in Chromium (credential dialog, data table screen, Import from file,
 * the node panels, Publish). What the user types and picks (credential types, table columns,
 * files, node names, fields) is read from the README's Quick start section, so a step that names
 * something the editor does not show fails here. Then a test order with a click id at the fake
 * shop, and what step 11 says the user sees; then its cancellation.
 *
 * Not done in the editor, and why (the nearest faithful step instead):
 * - step 1: the package is installed the way n8n's Community Nodes panel installs it (npm pack,
 *   unpacked into the user folder's nodes/), which is also the README's manual install;
 * - step 2: WEBHOOK_URL is an environment variable: the instance starts with it set to its own
 *   address (the fake shop takes any address);
 * - the owner account (n8n's first page) is made through the same REST call the form posts;
 * - step 6: the snippets are PHP files copied to a WordPress server: the fake shop saves the
 *   click id as `_at_click_id`, as the click-id snippet does (test/php runs the snippet itself);
 *   here only the files and the wp-config constants the step names are checked;
 * - step 9: *Tell the owner* is left in place (no order fails here) and no Error workflow is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_TOKENS,
	SANDBOX_WOOCOMMERCE_KEYS,
	startSandbox,
	type Sandbox,
} from '../../sandbox/server';
import { canvasNode, closeNode, launchBrowser, logIn, openNode } from '../harness/browser';
import {
	EXAMPLE_DATA_TABLE,
	EXAMPLE_SHOP_URL,
	EXAMPLES_DIR,
	listExecutions,
	n8nRest,
	SANDBOX_SHOP_SECRET,
	waitForWebhooks,
} from '../harness/examples';
import { Cleanup } from '../harness/lifecycle';
import {
	ensureN8nHost,
	N8nInstance,
	PACKAGE_NAME,
	REPO_ROOT,
	selectedHostSpec,
	setUpOwner,
	type RunningEditor,
	type WorkflowFile,
} from '../harness/n8n-host';
import { freePort } from '../harness/processes';
import { notesShopOrder } from '../harness/scenario';

// ---------------------------------------------------------------------------------------------
// What the README's quick start says, read from its text

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The Quick start section, and its numbered step `n` (up to the next top-level number). */
function quickStart(): string {
	const start = README.indexOf('\n## Quick start\n');
	const end = README.indexOf('\n## ', start + 1);
	if (start < 0) throw new Error('README.md has no "## Quick start" section');
	return README.slice(start, end);
}

function step(n: number): string {
	const match = new RegExp(`\\n${n}\\. ([\\s\\S]*?)(?=\\n${n + 1}\\. |$)`).exec(quickStart());
	if (!match) throw new Error(`The quick start has no step ${n}`);
	return match[1];
}

const italics = (text: string) => [...text.matchAll(/\*([^*\n]+)\*/g)].map((m) => m[1]);
const codes = (text: string) => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);

/** Step 3: the credential types, as the dialog's type list names them. */
const CREDENTIAL_TYPES = [...step(3).matchAll(/\n\s+\d\. \*([^*]+)\*:/g)].map((m) => m[1]);

/** Step 4: the table's name and columns (the backticked names after "columns"). */
const TABLE = (() => {
	const text = step(4);
	const name = /name `([^`]+)`/.exec(text)?.[1];
	const columns = codes(text).filter((code) => code !== name);
	return { name, columns };
})();

/** Step 7: the files to import. */
const FILES = codes(step(7)).filter((file) => file.endsWith('.json'));

/** Step 8's table: credential type → the nodes that take it. */
const CREDENTIAL_NODES: Record<string, string[]> = Object.fromEntries(
	[...step(8).matchAll(/\n\s*\| ([^|*]+?) \| (\*[^\n]*?) \|/g)].map((m) => [m[1], italics(m[2])]),
);

/** Step 8: the nodes whose Campaign ID is set, and the Code node holding SHOP_URL. */
const CAMPAIGN_NODES = italics(/\*\*Campaign ID\*\*[^(]*\(([^)]*)\)/.exec(step(8))?.[1] ?? '');
const SHOP_URL_NODE = /code of the \*([^*]+)\* node/.exec(step(8))?.[1];

/** Step 9: the notification placeholders to replace. */
const OWNER_NODES = italics(/replace the nodes ([^:]*)/.exec(step(9))?.[1] ?? '').filter(
	(name) => !name.includes('workflow'),
);

// ---------------------------------------------------------------------------------------------
// The user's values: the sandbox's, as a user types theirs

const CREDENTIAL_FIELDS: Record<string, (sandbox: Sandbox) => Record<string, string>> = {
	'Salekit API': (sandbox) => ({ token: SANDBOX_TOKENS.salekit, baseUrl: sandbox.salekitBaseUrl }),
	'AccessTrade API': (sandbox) => ({
		baseUrl: sandbox.accessTradeBaseUrl,
		accessToken: SANDBOX_TOKENS.accessTrade,
		campaignId: String(SANDBOX_CAMPAIGN_ID),
	}),
	'WooCommerce API': (sandbox) => ({ url: sandbox.wooCommerceUrl, ...SANDBOX_WOOCOMMERCE_KEYS }),
	'Header Auth': () => ({ name: SANDBOX_SHOP_SECRET.name, value: SANDBOX_SHOP_SECRET.value }),
};
/** The types n8n tests on save, and what it then says. */
const TESTED_ON_SAVE = ['Salekit API', 'AccessTrade API'];

/** The name given in the dialog, which the nodes' credential lists then show. */
const credentialName = (type: string) => `${type} (quick start)`;

const CLICK_ID = 'quickstart-test-1';

// ---------------------------------------------------------------------------------------------

const cleanup = new Cleanup();
let sandbox: Sandbox;
let instance: N8nInstance;
let editor: RunningEditor;
let cookie: string;
let page: Page;
/** The imported workflows, by file, as n8n saved them. */
const imported: Record<string, { id: string; workflow: WorkflowFile }> = {};

beforeAll(async () => {
	const host = await ensureN8nHost(selectedHostSpec());
	sandbox = await startSandbox({ quiet: true });
	cleanup.add(() => sandbox.stop());
	// Step 1: installed as n8n's Community Nodes panel installs it.
	instance = await N8nInstance.create(host, 'communityPackage');
	cleanup.add(() => instance.remove());
	// Step 2: startEditor sets WEBHOOK_URL to the instance's own address.
	editor = await instance.startEditor({ port: await freePort(), quiet: true });
	cleanup.add(() => editor.stop());
	cookie = await setUpOwner(editor.url);
	const browser = await launchBrowser();
	cleanup.add(() => browser.close());
	page = await browser.context.newPage();
	page.setDefaultTimeout(30_000);
	await logIn(page, editor.url);
}, 300_000);

afterAll(async () => {
	await cleanup.run();
}, 60_000);

describe(`the README's quick start, on n8n ${selectedHostSpec().n8n}`, () => {
	test('the README names what the steps need', () => {
		expect(CREDENTIAL_TYPES).toEqual(Object.keys(CREDENTIAL_FIELDS));
		expect(Object.keys(CREDENTIAL_NODES).sort()).toEqual([...CREDENTIAL_TYPES].sort());
		expect(TABLE).toEqual({
			name: EXAMPLE_DATA_TABLE.name,
			columns: EXAMPLE_DATA_TABLE.columns.map((column) => column.name),
		});
		expect(FILES.length).toBeGreaterThan(0);
		// The examples carry the sandbox's Campaign ID, so a node the README forgot would keep it
		// without any warning: the list must be every AccessTrade node of the files imported.
		const nodes = FILES.flatMap(
			(file) =>
				(JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowFile).nodes,
		);
		const accessTradeNodes = nodes.filter((node) => node.type.endsWith('.accessTrade'));
		expect([...CAMPAIGN_NODES].sort()).toEqual(accessTradeNodes.map((node) => node.name).sort());
		// Likewise every Code node that names the example shop's address.
		const shopUrlNodes = nodes.filter((node) =>
			String(node.parameters.jsCode ?? '').includes(`const SHOP_URL = '${EXAMPLE_SHOP_URL}'`),
		);
		expect(new Set(shopUrlNodes.map((node) => node.name))).toEqual(new Set([SHOP_URL_NODE]));
		expect(OWNER_NODES.length).toBeGreaterThan(0);
	});

	test('step 3: the four credentials, made in the credential dialog (Salekit and AccessTrade tested on save)', async () => {
		for (const type of CREDENTIAL_TYPES) {
			await page.goto(`${editor.url}/home/credentials`);
			await page.getByTestId('add-resource-credential').click();
			await page
				.getByTestId('new-credential-type-select-option')
				.filter({ hasText: new RegExp(`^${type}$`) })
				.click();
			await page.getByTestId('new-credential-type-button').click();
			const dialog = page.getByTestId('credential-edit-dialog');
			await dialog.waitFor();
			// The name above the fields (inline edit), so that the nodes' lists show which is which.
			const name = page.getByTestId('credential-name');
			await name.click();
			await name.getByTestId('inline-edit-input').fill(credentialName(type));
			await name.getByTestId('inline-edit-input').press('Enter');
			for (const [field, value] of Object.entries(CREDENTIAL_FIELDS[type](sandbox)))
				await dialog.getByTestId(`parameter-input-${field}`).locator('input').fill(value);
			const saved = page.waitForResponse(
				(response) => response.url().endsWith('/rest/credentials') && response.ok(),
			);
			await page.getByTestId('credential-save-button').click();
			await saved;
			if (TESTED_ON_SAVE.includes(type))
				await dialog.getByText('Connection tested successfully').waitFor();
			await page.keyboard.press('Escape');
			await dialog.waitFor({ state: 'hidden' });
		}
		const credentials = (await n8nRest(editor.url, cookie, 'GET', 'credentials')) as Array<{
			name: string;
		}>;
		expect(credentials.map((credential) => credential.name).sort()).toEqual(
			CREDENTIAL_TYPES.map(credentialName).sort(),
		);
	});

	test('step 4: the data table and its columns, made on the data tables screen', async () => {
		await page.goto(`${editor.url}/home/datatables`);
		await page.getByTestId('add-resource-dataTable').click();
		await page.getByTestId('data-table-name-input-select').fill(TABLE.name!);
		await page.getByTestId('proceed-from-select-button').click();
		await page.getByTestId('data-table-details-view').waitFor();
		const popover = page.getByTestId('add-column-popover-content');
		for (const column of TABLE.columns) {
			await page.getByTestId('data-table-add-column-trigger-button').first().click();
			await popover.waitFor();
			await popover.locator('input[type="text"]').first().fill(column);
			await popover.locator('.n8n-select').first().click();
			await page.getByRole('option', { name: 'string', exact: true }).click();
			await page.getByTestId('data-table-add-column-submit-button').click();
			await popover.waitFor({ state: 'hidden' });
		}
		// The grid draws only the columns in view: what n8n stored is read back.
		const columns = [...(await findTable()).columns].sort((a, b) => a.index - b.index);
		expect(columns.map((column) => [column.name, column.type])).toEqual(
			TABLE.columns.map((column) => [column, 'string']),
		);
	});

	test('steps 5 and 6: the files are where the README says, with the snippets and their settings', () => {
		// Step 5: ~/.n8n/nodes/node_modules/<package>/examples/ in the instance's user folder.
		const folder = path.join(instance.userFolder, '.n8n/nodes/node_modules', PACKAGE_NAME);
		expect(step(5)).toContain(`~/.n8n/nodes/node_modules/${PACKAGE_NAME}/examples/`);
		for (const file of [
			...FILES,
			...codes(step(6)).filter((name) => /^woocommerce-.*\.php$/.test(name)),
		])
			expect([file, existsSync(path.join(folder, 'examples', file))]).toEqual([file, true]);
		const refundSnippet = readFileSync(
			path.join(folder, 'examples', 'woocommerce-refund.php'),
			'utf8',
		);
		for (const constant of codes(step(6)).filter((name) => name.startsWith('ACCESSTRADE_')))
			expect([constant, refundSnippet.includes(`'${constant}'`)]).toEqual([constant, true]);
		expect(step(6)).toContain('webhook/shop/order-refund');
	});

	test('step 7: each file imported with Import from file', async () => {
		const folder = path.join(
			instance.userFolder,
			'.n8n/nodes/node_modules',
			PACKAGE_NAME,
			'examples',
		);
		for (const file of FILES) {
			await page.goto(`${editor.url}/workflow/new`);
			await page.getByTestId('workflow-menu').click();
			// n8n 2.40 moved it into a submenu: Import → From file.
			const submenu = page.getByTestId('workflow-menu-item-import');
			if (await submenu.isVisible()) await submenu.hover();
			const [chooser] = await Promise.all([
				page.waitForEvent('filechooser'),
				page.getByTestId('workflow-menu-item-import-from-file').click(),
			]);
			await chooser.setFiles(path.join(folder, file));
			const workflow = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as WorkflowFile;
			await canvasNode(page, workflow.nodes[1].name).waitFor();
			await page.keyboard.press('ControlOrMeta+s');
			let id = '';
			await until(async () => {
				id = /\/workflow\/([^/?]+)/.exec(page.url())?.[1] ?? 'new';
				return id !== 'new' && (await storedWorkflow(id))?.nodes.length === workflow.nodes.length;
			}, `${file} saved`);
			imported[file] = { id, workflow };
		}
		expect(Object.keys(imported)).toEqual(FILES);
	});

	test('step 8: credentials, Campaign ID and SHOP_URL filled in the nodes the README names; then no node shows an issue', async () => {
		const named = [
			...Object.values(CREDENTIAL_NODES).flat(),
			...CAMPAIGN_NODES,
			SHOP_URL_NODE!,
			...OWNER_NODES,
		];
		const inExamples = new Set(
			Object.values(imported).flatMap(({ workflow }) => workflow.nodes.map((node) => node.name)),
		);
		expect(named.filter((name) => !inExamples.has(name))).toEqual([]);

		// What n8n is to store: every credential and value as the README said.
		const filledIn = (node: WorkflowFile['nodes'][number]) =>
			Object.values(node.credentials ?? {}).every((credential) =>
				credential.name.endsWith('(quick start)'),
			) &&
			(node.name !== SHOP_URL_NODE ||
				String(node.parameters.jsCode).includes(`'${sandbox.wooCommerceUrl}'`));
		for (const { id, workflow } of Object.values(imported)) {
			await page.goto(`${editor.url}/workflow/${id}`);
			await canvasNode(page, workflow.nodes[1].name).waitFor();
			const has = (name: string) => workflow.nodes.some((node) => node.name === name);
			for (const [type, nodes] of Object.entries(CREDENTIAL_NODES)) {
				for (const name of nodes.filter(has)) {
					const ndv = await openNode(page, name);
					await ndv.getByRole('combobox', { name: 'Select Credential' }).click();
					// An option shows the credential's name, then its type.
					await page
						.getByRole('option')
						.filter({ hasText: credentialName(type) })
						.click();
					await closeNode(page);
				}
			}
			for (const name of CAMPAIGN_NODES.filter(has)) {
				const ndv = await openNode(page, name);
				const field = ndv.getByTestId('parameter-input-campaignId').locator('input');
				await field.fill(String(SANDBOX_CAMPAIGN_ID));
				await closeNode(page);
			}
			if (has(SHOP_URL_NODE!)) {
				const node = workflow.nodes.find((candidate) => candidate.name === SHOP_URL_NODE)!;
				const code = String(node.parameters.jsCode);
				expect(code).toContain(`const SHOP_URL = '${EXAMPLE_SHOP_URL}'`);
				if (
					/GO_LIVE/.test(step(8)) &&
					workflow.nodes.some((n) => /GO_LIVE/.test(String(n.parameters.jsCode)))
				)
					expect(code).toContain('const GO_LIVE = ');
				const ndv = await openNode(page, SHOP_URL_NODE!);
				const editorBox = ndv.getByTestId('parameter-input-jsCode').locator('.cm-content');
				await editorBox.click();
				await page.keyboard.press('ControlOrMeta+a');
				await page.keyboard.insertText(
					code.replace(`'${EXAMPLE_SHOP_URL}'`, `'${sandbox.wooCommerceUrl}'`),
				);
				// The code editor hands its text to the workflow after a short debounce.
				await page.waitForTimeout(1_000);
				await closeNode(page);
			}
			// Saved (Ctrl+S, or n8n's own autosave) before the next workflow is opened.
			await until(
				async () => {
					await page.keyboard.press('ControlOrMeta+s');
					return (await storedWorkflow(id))?.nodes.every(filledIn) === true;
				},
				`${workflow.name} saved`,
				30_000,
			).catch(() => undefined);
			// Nothing left with a warning: a node the README forgot would keep its credential issue.
			for (const node of workflow.nodes.filter((candidate) => candidate.disabled !== true)) {
				const shown = canvasNode(page, node.name);
				expect([node.name, await shown.getByTestId('node-issues').count()]).toEqual([node.name, 0]);
			}
		}
		for (const { id } of Object.values(imported)) {
			const saved = await storedWorkflow(id);
			expect(
				saved?.nodes
					.filter((node) => !filledIn(node))
					.map((node) => ({ [node.name]: node.credentials ?? node.parameters.jsCode })),
			).toEqual([]);
		}
	}, 300_000);

	test('step 10: Publish registers the webhooks at the shop', async () => {
		for (const { id } of Object.values(imported)) {
			await page.goto(`${editor.url}/workflow/${id}`);
			await page.getByTestId('workflow-open-publish-modal-button').click();
			await page.getByTestId('workflow-publish-button').click();
			await page.getByTestId('workflowPublish-modal').waitFor({ state: 'hidden' });
			// A refused publish says why in a notification ("Workflow could not be published: …").
			const refused = page.locator('.el-notification').filter({ hasText: /could not|Problem/ });
			expect(await refused.allInnerTexts()).toEqual([]);
		}
		const saved = await Promise.all(
			Object.values(imported).map(
				async ({ id }) =>
					(await n8nRest(editor.url, cookie, 'GET', `workflows/${id}`)) as WorkflowFile,
			),
		);
		await waitForWebhooks(editor.url, saved);
		const topics = sandbox.shop
			.webhooks()
			.filter((webhook) => webhook.status === 'active')
			.map((webhook) => webhook.topic)
			.sort();
		expect(topics).toEqual(expect.arrayContaining(['order.created', 'order.updated']));
	});

	test('step 11: a test order with a click id: a green run, the Salekit order, the data-table row; cancelled, the rejection', async () => {
		const { order } = await sandbox.shop.createOrder({
			billing: {
				first_name: 'An',
				last_name: 'Nguyễn Văn',
				phone: '0901234567',
				email: 'quickstart@example.com',
				address_1: '12 Lê Lợi',
				city: 'Hồ Chí Minh',
			},
			line_items: [{ sku: 'AO-THUN-DO-M', name: 'Áo thun đỏ size M', quantity: 1, price: 180000 }],
			click_id: CLICK_ID,
		});
		const shopOrderId = String(order.id);
		const newOrder = imported['new-order-to-salekit.json'];
		const row = () => readRow(shopOrderId);

		// n8n → Executions: the new-order workflow ran once from the shop's webhook, green (its
		// catch-up may run too, every 15 minutes).
		await until(
			async () => (await executionsOf(newOrder.id, 'webhook')).includes('success'),
			'a green new-order execution',
		);
		expect(await executionsOf(newOrder.id, 'webhook')).toEqual(['success']);
		await page.goto(`${editor.url}/home/executions`);
		const rows = page
			.getByTestId('global-execution-list-item')
			.filter({ hasText: newOrder.workflow.name });
		await rows.first().waitFor();
		for (const row of await rows.all()) expect(await row.innerText()).toMatch(/Success/);

		// Salekit: the order, with the WooCommerce order's products.
		const salekit = sandbox.orders().filter((candidate) => notesShopOrder(candidate, shopOrderId));
		expect(salekit).toHaveLength(1);
		expect(JSON.stringify(salekit[0])).toContain('AO-THUN-DO-M');
		const conversion = sandbox.conversions().find((candidate) => candidate.click_id === CLICK_ID);
		expect(conversion).toBeDefined();

		// The data table: the row with the three ids and no error, as its screen shows it.
		await until(async () => (await row())?.conversion_id !== undefined, 'the row');
		expect(await row()).toMatchObject({
			shop_order_id: shopOrderId,
			salekit_order_id: String(salekit[0].id),
			conversion_id: conversion!.conversion_id,
		});
		expect((await row())?.error ?? '').toBe('');
		await page.goto(`${editor.url}/home/datatables`);
		await page.getByTestId('data-table-card').filter({ hasText: TABLE.name! }).click();
		const grid = page.getByTestId('data-table-grid');
		await grid.getByText(conversion!.conversion_id).waitFor();
		expect(await grid.innerText()).toContain(String(salekit[0].id));

		// Cancelled in WooCommerce: rejected at AccessTrade, in the row, and noted in Salekit.
		await sandbox.shop.updateOrder(order.id as number, { status: 'cancelled' });
		await until(async () => (await row())?.conversion_status === 'rejected', 'the rejection');
		const rejected = sandbox.conversions().find((candidate) => candidate.click_id === CLICK_ID);
		expect(rejected?.conversion_parts.every((part) => part.status === 'rejected')).toBe(true);
		const updated = sandbox.orders().find((candidate) => notesShopOrder(candidate, shopOrderId));
		expect(String(updated?.note)).toContain('Cancelled in WooCommerce.');
	});
});

/** The workflow as n8n stored it (n8n 2.x also saves by itself a moment after each change). */
async function storedWorkflow(id: string): Promise<WorkflowFile | undefined> {
	return (await n8nRest(editor.url, cookie, 'GET', `workflows/${id}`).catch(() => undefined)) as
		WorkflowFile | undefined;
}

/** The statuses of a workflow's executions started in that mode (webhook, trigger…). */
async function executionsOf(workflowId: string, mode: string): Promise<string[]> {
	const runs = await listExecutions(editor.url, cookie);
	return runs
		.filter((run) => run.workflowId === workflowId && run.mode === mode)
		.map((run) => run.status);
}

interface StoredTable {
	id: string;
	name: string;
	projectId: string;
	columns: Array<{ name: string; type: string; index: number }>;
}

/** The data table the user made, as n8n stores it. */
async function findTable(): Promise<StoredTable> {
	const project = (await n8nRest(editor.url, cookie, 'GET', 'projects/personal')) as { id: string };
	const tables = (await n8nRest(
		editor.url,
		cookie,
		'GET',
		`projects/${project.id}/data-tables`,
	)) as {
		data: StoredTable[];
	};
	const table = tables.data.find((candidate) => candidate.name === TABLE.name);
	if (!table) throw new Error(`No data table ${TABLE.name}`);
	return table;
}

async function readRow(shopOrderId: string): Promise<Record<string, unknown> | undefined> {
	const table = await findTable();
	const rows = (await n8nRest(
		editor.url,
		cookie,
		'GET',
		`projects/${table.projectId}/data-tables/${table.id}/rows`,
	)) as { data: Array<Record<string, unknown>> };
	return rows.data.find((candidate) => candidate.shop_order_id === shopOrderId);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
