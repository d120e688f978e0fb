/**
 * `npm run screenshots`: the README's pictures, taken with the same editor and browser code as
 * the browser tests (`npm run test:ui`): each example workflow after a run of its sample data,
 * and the node panel of every resource and operation. Re-run it when the nodes or n8n change.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import {
	chooseOption,
	closeNode,
	executeFromManualTrigger,
	launchBrowser,
	logIn,
	openNode,
	openWorkflow,
	waitForSuccess,
} from '../test/harness/browser';
import {
	builtNodes,
	exampleNodeFor,
	isPackageNode,
	operationViews,
	viewSlug,
} from '../test/harness/editor-views';
import { startExampleStack } from '../test/harness/examples';
import { runScript } from '../test/harness/lifecycle';
import { hostAndFreshBuild, REPO_ROOT } from '../test/harness/n8n-host';

const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');

/** The editor's own buttons and toasts, hidden in the pictures: they are not what is shown. */
const HIDDEN_IN_PICTURES = [
	'[data-test-id="canvas-controls"]',
	// The run button with its trigger chevron, whatever wraps them, but nothing holding nodes.
	'div:has([data-test-id="execute-workflow-button"]):not(:has([data-test-id="canvas-node"]))',
	'[data-test-id="node-creator-plus-button"]',
	'[data-test-id="command-bar-button"]',
	'[data-test-id="add-sticky-button"]',
	'[data-test-id="toggle-focus-panel-button"]',
	'.el-notification',
].join(', ');

/** A PNG of the region, less `skipTop` pixels (the Editor/Executions tabs float over the canvas). */
async function save(region: Locator, name: string, skipTop = 0): Promise<void> {
	const file = path.join(IMAGES_DIR, `${name}.png`);
	const box = await region.boundingBox();
	if (!box) throw new Error(`Nothing to photograph for ${name}`);
	await region.page().screenshot({
		path: file,
		animations: 'disabled',
		style: `${HIDDEN_IN_PICTURES} { display: none !important; }`,
		clip: { ...box, y: box.y + skipTop, height: box.height - skipTop },
	});
	console.log(`  ${path.relative(REPO_ROOT, file)}`);
}

/** The panel's middle column (parameters), without the input and output columns. */
function parametersColumn(page: Page): Locator {
	return page
		.getByTestId('ndv')
		.locator('div')
		.filter({ has: page.getByTestId('tab-params') })
		.filter({ has: page.getByTestId('node-parameters') })
		.last();
}

runScript(async (cleanup) => {
	const host = await hostAndFreshBuild();
	const { editor, examples } = await startExampleStack(host, cleanup, { publish: false });
	const browser = await launchBrowser();
	cleanup.add(() => browser.close());
	await logIn(await browser.context.newPage(), editor.url);
	await mkdir(IMAGES_DIR, { recursive: true });
	console.log(`Writing ${path.relative(REPO_ROOT, IMAGES_DIR)}/:`);

	const views = builtNodes().flatMap(operationViews);
	for (const workflow of examples) {
		const page = await openWorkflow(browser.context, editor.url, workflow.id);
		// Only the try-it example runs by hand; the live ones are photographed as imported.
		if (workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger')) {
			await executeFromManualTrigger(page, workflow);
			for (const node of workflow.nodes.filter(isPackageNode))
				await waitForSuccess(page, node.name);
		}
		await page.getByTestId('zoom-to-fit').click();
		await page.waitForTimeout(500); // the zoom animates
		const slug = workflow.id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
		await save(page.getByTestId('canvas-wrapper'), `example${slug.replace(/^ex/, '')}`, 48);

		// Taller for the panels, so that more of a long parameter list shows.
		await page.setViewportSize({ width: 1280, height: 1000 });
		for (const view of views.filter(
			(candidate) => exampleNodeFor(examples, candidate).workflow === workflow,
		)) {
			await openNode(page, exampleNodeFor(examples, view).node.name);
			await chooseOption(page, 'resource', view.resource.name);
			await chooseOption(page, 'operation', view.operation.name);
			await save(parametersColumn(page), viewSlug(view));
			await closeNode(page);
		}
		await page.close({ runBeforeUnload: false });
	}
	return 0;
});
