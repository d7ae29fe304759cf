'use strict';
// What the benchmark sections share: the built package, the engine harness, the sandbox in its own
// process, and how a result table is written.
const { spawn } = require('node:child_process');
const path = require('node:path');

process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const { Wistfare } = require(path.join(dist, 'nodes/Wistfare/Wistfare.node.js'));
const { WistfareTrigger } = require(path.join(dist, 'nodes/Wistfare/WistfareTrigger.node.js'));
const { WistfareWebhookTrigger } = require(path.join(dist, 'nodes/Wistfare/WistfareWebhookTrigger.node.js'));
const { WistfareApi } = require(path.join(dist, 'credentials/WistfareApi.credentials.js'));
const { runNode, createPoller, createWebhookReceiver } = require('../test/harness/engine');

const KEY = 'wf_test_bench_key';
const PAGE = 100;

async function startSandbox() {
	const child = spawn(process.execPath, [path.join(root, 'sandbox/cli.js'), '--port=0', `--key=${KEY}`], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise((resolve, reject) => {
		let text = '';
		child.stdout.on('data', (chunk) => {
			text += chunk;
			const match = /listening on (http:\/\/[^\s]+)/.exec(text);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	const control = async (method, route, body) => {
		const response = await fetch(`${url}/_sandbox/${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return response.status === 204 ? undefined : await response.json();
	};
	return { url, control, stop: () => child.kill('SIGTERM') };
}

const credentials = (url) => ({ wistfareApi: { apiKey: KEY, baseUrl: url } });
/**
 * A result table under its section's title.
 * @param {string} title
 * @param {string[]} columns
 * @param {Array<Array<string | number>>} rows
 */
const table = (title, columns, rows) => {
	const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => String(row[i]).length)));
	const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
	return [`### ${title}`, '', line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), ''].join('\n');
};
const ms = (value) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/**
 * The Wistfare node from a copy of the built package of its own, sharing no module with the others:
 * an execution in a process of its own (a queue-mode worker), in this one.
 */
function apartWistfare() {
	const ours = (file) => file.startsWith(dist);
	const kept = Object.entries(require.cache).filter(([file]) => ours(file));
	for (const [file] of kept) delete require.cache[file];
	try {
		return require(path.join(dist, 'nodes/Wistfare/Wistfare.node.js')).Wistfare;
	} finally {
		for (const file of Object.keys(require.cache).filter(ours)) delete require.cache[file];
		for (const [file, module] of kept) require.cache[file] = module;
	}
}

/** Runs the Wistfare node (built) under the engine against the sandbox; `Node` from `apartWistfare` for one of its own. */
async function runWistfareNode(sandbox, parameters, items, Node = Wistfare) {
	return await runNode({
		nodeTypes: { 'n8n-nodes-wistfare.wistfare': new Node() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: credentials(sandbox.url),
		node: { name: 'Wistfare', type: 'n8n-nodes-wistfare.wistfare', parameters: { resource: 'disbursement', ...parameters } },
		items,
	});
}


/** Initiate's parameters for rows `{ amount, ref }`. */
const initiateRows = (businessId) => ({
	operation: 'initiate',
	businessId,
	walletId: 'wal_bench',
	amount: '={{ $json.amount }}',
	destinationType: 'mobile_money',
	destinationRef: '250788000001',
	referenceId: '={{ $json.ref }}',
});
const rowsOf = (count, prefix) => Array.from({ length: count }, (_, i) => ({ amount: String(100 + i), ref: `${prefix}-${i}` }));
const failedItems = ({ output, error }, count) => (error ? count : (output ?? []).filter((item) => item.json.error).length);
const spread = (values, digits = 2) => {
	const sorted = [...values].sort((a, b) => a - b);
	return `${sorted[0].toFixed(digits)} – ${sorted[sorted.length - 1].toFixed(digits)}`;
};

/** The behaviours a real server may have (docs/wistfare-api.md), as sandbox settings. */
const PLAIN = { dialect: 'camel', strict: false, shortInitiateAnswer: false, ignoreIdempotencyKey: false, listLagMs: 0, getLagMs: 0, echoFormats: false, ignoreFilters: [], latencyMs: 0, rateLimit: 0, rateLimitKind: 'fixed', rateLimitBurst: 0, rateLimitRefill: 0, rateLimitHeaders: false };
const SERVERS = [
	['camelCase, lenient (vendor docs page)', {}],
	['camelCase, strict', { strict: true }],
	['snake_case, lenient (vendor SDKs)', { dialect: 'snake' }],
	['snake_case, strict', { dialect: 'snake', strict: true }],
	['snake_case, strict, short Initiate answer', { dialect: 'snake', strict: true, shortInitiateAnswer: true }],
	['ignores the Idempotency-Key', { ignoreIdempotencyKey: true }],
	['ignores the reference filter (1,000 payouts of history)', { ignoreFilters: ['referenceId'] }, 1_000],
	['ignores the reference filter (10,000 payouts of history)', { ignoreFilters: ['referenceId'] }, 10_000],
];

module.exports = {
	root, dist, KEY, PAGE, Wistfare, WistfareTrigger, WistfareWebhookTrigger, WistfareApi, runNode, createPoller, createWebhookReceiver,
	startSandbox, credentials, table, ms, runWistfareNode, apartWistfare, initiateRows, rowsOf, failedItems, spread, PLAIN, SERVERS,
};
