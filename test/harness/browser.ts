/**
 * The n8n editor in Debian's Chromium, driven by playwright-core (which downloads no browser):
 * what the browser tests and `npm run screenshots` both do with it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { SANDBOX_OWNER, type WorkflowFile } from './n8n-host';

export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface EditorBrowser {
	context: BrowserContext;
	close(): Promise<void>;
}

/** Chromium with a fresh profile, deleted on close. */
export async function launchBrowser(): Promise<EditorBrowser> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`No ${CHROMIUM}: install Debian's Chromium (apt-get install -y chromium)`);
	}
	// n8n marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const profile = await mkdtemp(path.join(tmpdir(), 'chromium-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1280, height: 800 },
	});
	return {
		context,
		close: async () => {
			await context.close();
			await rm(profile, { recursive: true, force: true });
		},
	};
}

/** Signs in with the login form, as a user does. */
export async function logIn(page: Page, editorUrl: string, owner = SANDBOX_OWNER): Promise<void> {
	await page.goto(`${editorUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
	await page.getByTestId('password').locator('input').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** A new tab on the workflow, so that a previous tab's unsaved changes never ask to be saved. */
export async function openWorkflow(
	context: BrowserContext,
	editorUrl: string,
	workflowId: string,
): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`${editorUrl}/workflow/${workflowId}`);
	await page.getByTestId('canvas-node').first().waitFor();
	return page;
}

export function canvasNode(page: Page, nodeName: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
}

/** The node details view (NDV) of one node, opened by double-click as a user does. */
export async function openNode(page: Page, nodeName: string): Promise<Locator> {
	await canvasNode(page, nodeName).dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	return ndv;
}

export async function closeNode(page: Page): Promise<void> {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/** The labels above the panel's inputs, first line only (a label row also holds Fixed/Expression). */
export async function panelLabels(ndv: Locator): Promise<string[]> {
	const texts = await ndv.getByTestId('input-label').allInnerTexts();
	return texts.map((text) => text.split('\n')[0].trim());
}

/**
 * The panel's labels once every expected one is shown, or as they are after 10 s: the editor
 * draws a parameter a moment after the one that decides whether it shows.
 */
export async function panelLabelsOnceShown(ndv: Locator, expected: string[]): Promise<string[]> {
	const until = Date.now() + 10_000;
	let shown = await panelLabels(ndv);
	while (!expected.every((label) => shown.includes(label)) && Date.now() < until) {
		await ndv.page().waitForTimeout(250);
		shown = await panelLabels(ndv);
	}
	return shown;
}

/** Opens a parameter's dropdown and returns its options as shown: name, then description. */
export async function dropdownOptions(page: Page, parameterName: string): Promise<string[]> {
	await page.getByTestId(`parameter-input-${parameterName}`).click();
	const options = page.getByRole('option');
	await options.first().waitFor();
	return (await options.allInnerTexts()).map((text) => text.trim());
}

/** Chooses a dropdown option by its name, as a user clicks it. */
export async function chooseOption(
	page: Page,
	parameterName: string,
	optionName: string,
): Promise<void> {
	const shown = await dropdownOptions(page, parameterName);
	const index = shown.findIndex((text) => text.split('\n')[0] === optionName);
	if (index < 0)
		throw new Error(`"${parameterName}" offers no "${optionName}": ${JSON.stringify(shown)}`);
	await page.getByRole('option').nth(index).click();
	await page.getByRole('option').first().waitFor({ state: 'hidden' });
}

export async function closeDropdown(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.getByRole('option').first().waitFor({ state: 'hidden' });
}

/**
 * "Execute workflow" on the example's Manual Trigger (the main button starts whichever trigger
 * it has selected, the webhook in the examples); the trigger's own button shows on hover.
 */
export async function executeFromManualTrigger(page: Page, workflow: WorkflowFile): Promise<void> {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`"${workflow.name}" has no Manual Trigger`);
	await canvasNode(page, trigger.name).hover();
	await page.getByTestId(`execute-workflow-button-${trigger.name}`).click();
}

/** Waits until the node shows the green tick of a successful run. */
export async function waitForSuccess(
	page: Page,
	nodeName: string,
	timeout = 60_000,
): Promise<void> {
	await canvasNode(page, nodeName).getByTestId('canvas-node-status-success').waitFor({ timeout });
}
