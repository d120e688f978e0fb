/**
 * What a user sees in n8n's editor, in Chromium, on the instance `npm run n8n` builds: each
 * example opens with no issue on this package's nodes, and the try-it example runs green from
 * its Manual Trigger with the expected items in the output panel; every resource and operation of both nodes shows
 * its labels and dropdown options, and each input mode (Products Input, Parts Input) its own
 * parameters; each credential with a test passes it with the sandbox token
 * and shows the vendor's message with a bad one. What to check comes from the built
 * descriptions (test/harness/editor-views.ts), so new operations and parameters are covered as is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { SANDBOX_TOKENS, type Sandbox } from '../../sandbox/server';
import {
	canvasNode,
	chooseOption,
	closeDropdown,
	closeNode,
	dropdownOptions,
	executeFromManualTrigger,
	launchBrowser,
	logIn,
	openNode,
	openWorkflow,
	panelLabels,
	panelLabelsOnceShown,
	waitForSuccess,
	type EditorBrowser,
} from '../harness/browser';
import {
	builtCredentials,
	builtNodes,
	exampleNodeFor,
	isPackageNode,
	modeChoices,
	operationView,
	operationViews,
	viewTitle,
	type OperationView,
} from '../harness/editor-views';
import { EXAMPLES_DIR, startExampleStack, type ExampleStack } from '../harness/examples';
import { Cleanup } from '../harness/lifecycle';
import { notesShopOrder } from '../harness/scenario';
import { ensureN8nHost, type WorkflowFile } from '../harness/n8n-host';

/** The conversion the sandbox holds for a WooCommerce order id (the example's Order ID). */
function conversionIdOf(sandbox: Sandbox, shopOrderId: string): string {
	const conversion = sandbox.conversions().find((candidate) => candidate.order_id === shopOrderId);
	if (!conversion)
		throw new Error(`The sandbox has no conversion for WooCommerce order ${shopOrderId}`);
	return conversion.conversion_id;
}

/**
 * What the nodes of this package output on an example's sample data: one string per item. Only
 * the try-it example has sample data (the live ones start from the shop); it runs its new orders
 * first, then their status changes, which find the conversions in its data table.
 */
const EXPECTED_ITEMS: Record<string, Record<string, (sandbox: Sandbox) => string[]>> = {
	exTryItSampleOrders: {
		// Four sample orders; three carry a click id, so three conversions.
		'Create Salekit order': (sandbox) => sandbox.orders().map((order) => String(order.id)),
		'Create AccessTrade conversion': (sandbox) =>
			['5123', '5124', '5125'].map((id) => conversionIdOf(sandbox, id)),
		'Pre-approve conversion': (sandbox) => [conversionIdOf(sandbox, '5123')],
		'Reject conversion': (sandbox) => [conversionIdOf(sandbox, '5124')],
		'Reject refunded line': (sandbox) => [conversionIdOf(sandbox, '5125')],
		// Delivered cash on delivery (paid) and cancelled (the note): three Salekit updates.
		'Update Salekit order': (sandbox) =>
			['5123', '5124', '5126'].map((id) =>
				String(sandbox.orders().find((order) => notesShopOrder(order, id))?.id),
			),
		// Two new products, then the first one updated: created, created, skipped.
		'Create Salekit product': () => ['OK', 'OK', 'skipped'],
	},
};
const RUN_ORDER = Object.keys(EXPECTED_ITEMS);

/** Read here as well as by the instance (jest names its tests before beforeAll runs), in RUN_ORDER. */
const examples: WorkflowFile[] = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowFile)
	.sort((a, b) => runPosition(a) - runPosition(b));

/** An example missing from EXPECTED_ITEMS runs last, and its run test asks for its items. */
function runPosition(workflow: WorkflowFile): number {
	const position = RUN_ORDER.indexOf(workflow.id);
	return position < 0 ? RUN_ORDER.length : position;
}

/** Per credential type: the sandbox's good token, and what the dialog says of a bad one. */
const SANDBOX_AUTH: Record<string, { token: string; badTokenMessage: string }> = {
	salekitApi: {
		token: SANDBOX_TOKENS.salekit,
		badTokenMessage: 'Salekit rejected this shop token',
	},
	// On HTTP 401 n8n 2.8.4 shows its own words, not the credential's rule message.
	accessTradeApi: {
		token: SANDBOX_TOKENS.accessTrade,
		badTokenMessage: 'Authorization failed - please check your credentials',
	},
};

const CUSTOM_API_CALL = 'Custom API Call';

const cleanup = new Cleanup();
let running: ExampleStack;
let browser: EditorBrowser;
const pages: Page[] = [];

async function open(workflow: WorkflowFile): Promise<Page> {
	const page = await openWorkflow(browser.context, running.editor.url, workflow.id);
	pages.push(page);
	return page;
}

/** Nothing on the canvas or in the panel says the node is misconfigured. */
async function expectNoIssues(page: Page, nodeName: string): Promise<void> {
	const node = canvasNode(page, nodeName);
	expect(await node.getByTestId('node-issues').count()).toBe(0);
	expect(await node.getByTestId('canvas-node-status-warning').count()).toBe(0);
	const ndv = await openNode(page, nodeName);
	expect(await ndv.getByTestId('parameter-issues').count()).toBe(0);
	await closeNode(page);
}

/** The panel shows the view's labels, and each dropdown lists exactly its options. */
async function expectPanelShows(page: Page, view: OperationView): Promise<void> {
	const ndv = page.getByTestId('ndv');
	expect(await panelLabelsOnceShown(ndv, view.labels)).toEqual(expect.arrayContaining(view.labels));
	for (const dropdown of view.dropdowns) {
		// n8n adds "Custom API Call" (the HTTP Request node with this node's credential) to the
		// Resource list of nodes whose credential authenticates requests: n8n's, not ours.
		const shown = (await dropdownOptions(page, dropdown.name)).filter(
			(option) => option !== CUSTOM_API_CALL,
		);
		await closeDropdown(page);
		expect({ [dropdown.label]: shown }).toEqual({ [dropdown.label]: dropdown.options });
	}
}

beforeAll(async () => {
	const host = await ensureN8nHost();
	running = await startExampleStack(host, cleanup, { publish: false });
	browser = await launchBrowser();
	cleanup.add(() => browser.close());
	const page = await browser.context.newPage();
	await logIn(page, running.editor.url);
	await page.close();
}, 300_000);

afterAll(async () => {
	await cleanup.run();
}, 60_000);

describe.each(examples)('example "$name"', (workflow) => {
	const packageNodes = workflow.nodes.filter(isPackageNode);

	test('opens with no issue on any node of this package', async () => {
		const page = await open(workflow);
		for (const node of packageNodes) await expectNoIssues(page, node.name);
	});

	const hasSampleData = workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger');
	// Only the try-it example has sample data; the live ones start from the shop.
	if (hasSampleData)
		test('"Execute workflow" on the sample data ends green, the expected items in each output panel', async () => {
			const expected = EXPECTED_ITEMS[workflow.id];
			if (!expected)
				throw new Error(
					`Add the expected output items of example ${workflow.id} to EXPECTED_ITEMS`,
				);
			expect(Object.keys(expected).sort()).toEqual(packageNodes.map((node) => node.name).sort());

			const page = await open(workflow);
			await executeFromManualTrigger(page, workflow);
			for (const node of packageNodes) await waitForSuccess(page, node.name);
			for (const node of packageNodes) {
				const items = expected[node.name](running.sandbox);
				const output = (await openNode(page, node.name)).getByTestId('output-panel');
				const count = `${items.length} item${items.length === 1 ? '' : 's'}`;
				// A node with an error output (On Error: Continue (using error output)) shows a tab per
				// output instead of the count, "Success Branch (3 items)" first; the error tab counts
				// nothing when no item failed.
				const shownCount = (
					await output.getByTestId('ndv-items-count').or(output.getByTestId('branches')).innerText()
				).split('\n');
				const failedCount = shownCount.filter((line) => /^Error.*\(\d+ items?\)/.test(line));
				expect({ [node.name]: [shownCount[0].replace(/^.*\((.*)\)$/, '$1'), failedCount] }).toEqual(
					{
						[node.name]: [count, []],
					},
				);
				const shown = await output.getByTestId('ndv-data-container').innerText();
				for (const item of items) expect(shown).toContain(item);
				await closeNode(page);
			}
		});
});

const views = builtNodes().flatMap(operationViews);

describe.each(views.map((view) => [viewTitle(view), view] as const))('%s', (_title, view) => {
	const { workflow, node } = exampleNodeFor(examples, view);

	async function openOnView(): Promise<Page> {
		const page = await open(workflow);
		await openNode(page, node.name);
		await chooseOption(page, 'resource', view.resource.name);
		await chooseOption(page, 'operation', view.operation.name);
		return page;
	}

	test('the panel shows its labels and dropdown options', async () => {
		const page = await openOnView();
		// What stays visible keeps the example's values, as in the editor.
		await expectPanelShows(
			page,
			operationView(view.node, view.resource, view.operation, node.parameters),
		);
	});

	const choices = modeChoices(
		operationView(view.node, view.resource, view.operation, node.parameters),
		node.parameters,
	);
	const modeLabels = [...new Set(choices.map((choice) => choice.dropdown.label))].join(', ');
	if (choices.length > 0) {
		test(`each option of ${modeLabels} shows its own parameters and hides the others'; a new row shows every field`, async () => {
			const page = await openOnView();
			const ndv = page.getByTestId('ndv');
			for (const choice of choices) {
				await chooseOption(page, choice.dropdown.name, choice.option);
				const shown = await panelLabelsOnceShown(ndv, choice.view.labels);
				const where = `${choice.dropdown.label}: ${choice.option}`;
				expect({ [where]: shown }).toEqual({ [where]: expect.arrayContaining(choice.view.labels) });
				expect({ [where]: shown.filter((label) => choice.hidden.includes(label)) }).toEqual({
					[where]: [],
				});
				// A list of rows the mode shows: its button adds a row, which shows every field.
				for (const rows of choice.view.rowLists) {
					await ndv.getByRole('button', { name: rows.addButton, exact: true }).click();
					const withRow = await panelLabels(ndv);
					expect({ [rows.label]: withRow }).toEqual({
						[rows.label]: expect.arrayContaining(rows.rowLabels),
					});
				}
			}
		});
	}
});

describe.each(builtCredentials())('credential $displayName', (credential) => {
	const auth = SANDBOX_AUTH[credential.name];
	if (!credential.test) {
		console.log(
			`${credential.displayName} has no test property, so n8n shows no Test button: its check is skipped.`,
		);
	}

	(credential.test ? test : test.skip)(
		'Test succeeds with the sandbox token and names the rejected token with a bad one',
		async () => {
			const user = examples.flatMap((workflow) =>
				workflow.nodes
					.filter((node) => node.credentials?.[credential.name])
					.map((node) => ({ workflow, node })),
			)[0];
			if (!user) throw new Error(`No example node uses ${credential.name}`);
			const tokenField = credential.properties.find((property) => property.typeOptions?.password);
			if (!tokenField) throw new Error(`${credential.name} has no password field`);

			const page = await open(user.workflow);
			const ndv = await openNode(page, user.node.name);
			await ndv.getByTestId('credential-edit-button').click();
			const dialog = page.getByTestId('credential-edit-dialog');
			const saveWithToken = async (token: string) => {
				await dialog.getByTestId(`parameter-input-${tokenField.name}`).locator('input').fill(token);
				await page.getByTestId('credential-save-button').click();
			};

			await saveWithToken(`${auth.token}-wrong`);
			// n8n says "Couldn't connect with these settings" and keeps the reason under "More details".
			await dialog.getByText('More details').click();
			await page.getByText(auth.badTokenMessage).first().waitFor();
			await saveWithToken(auth.token);
			await page.getByText('Connection tested successfully').waitFor();
		},
	);
});

afterEach(async () => {
	// A fresh tab per test: a changed workflow must not ask the next one to save it.
	for (const page of pages.splice(0)) await page.close({ runBeforeUnload: false });
});
