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

/** Logs in through the sign-in form, as a person would. */
async function signIn(page, url, owner) {
	await page.goto(`${url}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
	await page.waitForURL((current) => !current.pathname.startsWith('/signin'), { timeout: 60_000 });
}

module.exports = { available, launch, screenshotNodePanel, signIn };
