'use strict';
// A real browser (Debian's Chromium, driven by playwright-core) on the n8n editor: opens the
// example workflows, opens our nodes' panels, saves screenshots and reports what the panels show.
const fs = require('node:fs');
const path = require('node:path');

const { RUNTIME } = require('./n8n');

const CHROMIUM = '/usr/bin/chromium';

function available() {
	return fs.existsSync(CHROMIUM) && fs.existsSync(path.join(RUNTIME, 'node_modules', 'playwright-core'));
}

async function launch() {
	const { chromium } = require(path.join(RUNTIME, 'node_modules', 'playwright-core'));
	return await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		// The machine has no network beyond the package registries: Chromium's own calls home are off.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

/**
 * Opens a workflow in the editor, double-clicks a node and screenshots its panel.
 * @returns {Promise<{ text: string, values: string[] }>} the panel's visible text and its inputs' values
 */
async function screenshotNodePanel(page, { url, workflowId, nodeName, file }) {
	await page.goto(`${url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).first();
	await node.waitFor({ state: 'visible', timeout: 60_000 });
	await node.dblclick();
	const panel = page.locator('[data-test-id="ndv"]').first();
	await panel.waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(1500); // icons and parameter inputs settle
	fs.mkdirSync(path.dirname(file), { recursive: true });
	await page.screenshot({ path: file });
	const values = await panel.locator('input').evaluateAll((inputs) => inputs.map((input) => input.value));
	return { text: await panel.innerText(), values };
}

/**
 * Searches the node creator of a new workflow (its + button) as a person does.
 * @returns {Promise<Array<{ name: string, description: string }>>} the entries listed
 */
async function nodeCreatorSearch(page, { url, query }) {
	await page.goto(`${url}/workflow/new`, { waitUntil: 'domcontentloaded' });
	const plus = page.locator('[data-test-id="node-creator-plus-button"]').first();
	await plus.waitFor({ state: 'visible', timeout: 60_000 });
	await plus.click();
	const search = page.locator('input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input').first();
	await search.waitFor({ state: 'visible', timeout: 30_000 });
	await search.fill(query);
	await page.locator('[data-test-id="node-creator-node-item"]').first().waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(1000);
	return await page.locator('[data-test-id="item-iterator-item"]').evaluateAll((items) =>
		items.map((item) => ({
			name: item.querySelector('[data-test-id="node-creator-item-name"]')?.textContent?.trim() ?? '',
			description: item.querySelector('[data-test-id="node-creator-item-description"]')?.textContent?.trim() ?? '',
		})),
	);
}

/**
 * Imports a workflow file into a new workflow as a person does: the workflow's ⋯ menu, Import, From File
 * (n8n 2.x; n8n 1.x has "Import from File..." in the menu itself). Nothing is saved.
 * @returns {Promise<{ name: string, icons: string[] }[]>} the canvas's nodes, each with its icons' addresses
 */
async function importFromFile(page, { url, file }) {
	await page.goto(`${url}/workflow/new`, { waitUntil: 'domcontentloaded' });
	const menu = page.locator('[data-test-id="workflow-menu"]').first();
	await menu.waitFor({ state: 'visible', timeout: 60_000 });
	await menu.click();
	const submenu = page.locator('[data-test-id="workflow-menu-item-import"]');
	if (await submenu.count()) await submenu.first().hover();
	const [chooser] = await Promise.all([
		page.waitForEvent('filechooser', { timeout: 15_000 }),
		page.locator('[data-test-id="workflow-menu-item-import-from-file"]').first().click(),
	]);
	await chooser.setFiles(file);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	await nodes.first().waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(1000); // every node and its icon drawn
	return await nodes.evaluateAll((elements) =>
		elements.map((element) => ({
			name: element.getAttribute('data-node-name'),
			icons: [...element.querySelectorAll('img')].map((image) => image.getAttribute('src') ?? ''),
		})),
	);
}

/**
 * Opens a saved credential and, for each key given, types it into API Key and reads the panel.
 * Nothing is saved. @returns {Promise<string[]>} the panel's text as opened, then after each key
 */
async function credentialPanelTexts(page, { url, credentialId, keys }) {
	await page.goto(`${url}/home/credentials/${credentialId}`, { waitUntil: 'domcontentloaded' });
	const panel = page.locator('[data-test-id="editCredential-modal"]').first();
	const key = page.locator('[data-test-id="parameter-input-apiKey"] input').first();
	await key.waitFor({ state: 'visible', timeout: 60_000 });
	await page.waitForTimeout(500);
	const texts = [await panel.innerText()];
	for (const value of keys) {
		await key.fill(value);
		await page.waitForTimeout(500);
		texts.push(await panel.innerText());
	}
	return texts;
}

/** The placeholder an input of the panel open now shows (empty field), by parameter name. */
async function placeholderOf(page, name) {
	return await page.locator(`[data-test-id="parameter-input-${name}"] input, [data-test-id="parameter-input-${name}"] textarea`).first().getAttribute('placeholder');
}

/** Logs in through the sign-in form, as a person would. */
async function signIn(page, url, owner) {
	await page.goto(`${url}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
	await page.waitForURL((current) => !current.pathname.startsWith('/signin'), { timeout: 60_000 });
}

module.exports = { placeholderOf, nodeCreatorSearch, available, launch, screenshotNodePanel, importFromFile, credentialPanelTexts, signIn };
