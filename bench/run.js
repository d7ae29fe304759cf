#!/usr/bin/env node
'use strict';
// `npm run bench`: speed and memory of the built package against the sandbox (in its own process),
// each side by side with a naive baseline. Prints tables and writes bench/RESULTS.md.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const { Wistfare } = require(path.join(dist, 'nodes/Wistfare/Wistfare.node.js'));
const { WistfareTrigger } = require(path.join(dist, 'nodes/Wistfare/WistfareTrigger.node.js'));
const { WistfareApi } = require(path.join(dist, 'credentials/WistfareApi.credentials.js'));
const { runNode, createPoller, createWebhookReceiver } = require('../test/harness/engine');
const { WistfareWebhookTrigger } = require(path.join(dist, 'nodes/Wistfare/WistfareWebhookTrigger.node.js'));
const { gapCost } = require('./gaps');
const { memoryCost } = require('./webhook-memory');

const KEY = 'wf_test_bench_key';
const PAGE = 100;
const only = process.argv.slice(2);
const wants = (name) => only.length === 0 || only.includes(name);

async function startSandbox() {
	const child = spawn(process.execPath, [path.join(root, 'test/sandbox/cli.js'), '--port=0', `--key=${KEY}`], {
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
const table = (title, columns, rows) => {
	const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => String(row[i]).length)));
	const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
	return [`### ${title}`, '', line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), ''].join('\n');
};
const ms = (value) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/** Runs the Wistfare node (built) under the engine against the sandbox. */
async function runWistfareNode(sandbox, parameters, items) {
	return await runNode({
		nodeTypes: { 'n8n-nodes-wistfare.wistfare': new Wistfare() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: credentials(sandbox.url),
		node: { name: 'Wistfare', type: 'n8n-nodes-wistfare.wistfare', parameters: { resource: 'disbursement', ...parameters } },
		items,
	});
}

async function pollCost(sandbox) {
	const rows = [];
	const inFlight = 100;
	for (const history of [1_000, 10_000, 100_000]) {
		for (const perWindow of [0, 100, 1_000]) {
			await sandbox.control('POST', 'reset');
			// The history: a week before, ending two hours ago, the newest 100 still in flight.
			await sandbox.control('POST', 'seed', { count: history, inFlight, businessId: 'biz_bench', spacingMs: Math.floor((7 * 86_400_000) / history), endAgoMs: 2 * 3600_000 });
			// Payouts created within the last visibility window (10 minutes), all settled.
			if (perWindow) await sandbox.control('POST', 'seed', { count: perWindow, inFlight: 0, businessId: 'biz_bench', spacingMs: Math.floor(300_000 / perWindow), endAgoMs: 60_000 });
			const poller = createPoller({
				nodeTypes: { 'n8n-nodes-wistfare.wistfareTrigger': new WistfareTrigger() },
				credentialTypes: { wistfareApi: new WistfareApi() },
				credentials: credentials(sandbox.url),
				node: { name: 'Trigger', type: 'n8n-nodes-wistfare.wistfareTrigger', parameters: { businessId: 'biz_bench' } },
			});
			await sandbox.control('DELETE', 'requests');
			const activationStarted = performance.now();
			await poller.poll(); // activation
			const activationWall = performance.now() - activationStarted;
			const activationRequests = (await sandbox.control('GET', 'stats')).requests;
			// The activation's walk through the week goes on over later polls: let it finish first.
			let walkPolls = 0;
			while (poller.snapshot()['node:Trigger']?.state?.backfill && walkPolls < 1000) {
				await poller.poll();
				walkPolls++;
			}
			await sandbox.control('DELETE', 'requests');
			const polls = 5;
			const started = performance.now();
			for (let i = 0; i < polls; i++) {
				if ((await poller.poll()) !== null) throw new Error('an idle poll fired');
			}
			const wall = (performance.now() - started) / polls;
			const requests = (await sandbox.control('GET', 'stats')).requests / polls;
			const bytes = Buffer.byteLength(JSON.stringify(poller.snapshot()));

			await sandbox.control('DELETE', 'requests');
			const naiveStarted = performance.now();
			const map = await naivePoll(sandbox.url);
			const naiveWall = performance.now() - naiveStarted;
			const naiveRequests = (await sandbox.control('GET', 'stats')).requests;
			const target = 1 + Math.ceil(perWindow / PAGE) + Math.ceil(inFlight / PAGE);
			rows.push([
				(history + perWindow).toLocaleString('en'),
				perWindow.toLocaleString('en'),
				`${activationRequests} in ${ms(activationWall)}, then ${walkPolls} polls of the walk`,
				`${requests} (≤ ${target}: ${requests <= target ? 'yes' : 'NO'})`,
				`${bytes.toLocaleString('en')} B`,
				ms(wall),
				naiveRequests.toLocaleString('en'),
				`${Buffer.byteLength(JSON.stringify(map)).toLocaleString('en')} B`,
				ms(naiveWall),
			]);
			process.stdout.write(`  poll cost: ${history} history, ${perWindow} in the window done\n`);
		}
	}
	return table(
		`1. Trigger: activation, then an idle poll (mean of 5), with ${inFlight} payouts in flight, against a naive "list everything and diff" trigger`,
		['payouts', 'created in the last window', 'activation requests', 'requests / idle poll', 'static data', 'wall / poll', 'naive requests', 'naive state', 'naive wall'],
		rows,
	);
}

/** The baseline: list every payout on every poll and keep a map id → status. */
async function naivePoll(url) {
	const map = {};
	for (let page = 1; ; page++) {
		const response = await fetch(`${url}/v1/disbursements?businessId=biz_bench&perPage=${PAGE}&page=${page}`, { headers: { 'x-api-key': KEY } });
		const body = await response.json();
		for (const payout of body.data) map[payout.id] = payout.status;
		if (!body.hasMore) return map;
	}
}

async function bulkInitiate(sandbox) {
	const R = 20;
	const rows = [];
	for (const [label, concurrency] of [
		['one at a time (baseline)', 1],
		['default (concurrency 4)', undefined],
	]) {
		await sandbox.control('POST', 'reset');
		await sandbox.control('POST', 'config', { latencyMs: 50, rateLimit: R });
		const items = Array.from({ length: 1000 }, (_, i) => ({ amount: String(100 + i), ref: `bulk-${concurrency ?? 'd'}-${i}` }));
		const started = performance.now();
		const { output, error } = await runWistfareNode(
			sandbox,
			{
				operation: 'initiate',
				businessId: 'biz_bulk',
				walletId: 'wal_bulk',
				amount: '={{ $json.amount }}',
				destinationType: 'mobile_money',
				destinationRef: '250788000001',
				referenceId: '={{ $json.ref }}',
				additionalFields: concurrency ? { concurrency } : {},
			},
			items,
		);
		const seconds = (performance.now() - started) / 1000;
		const stats = await sandbox.control('GET', 'stats');
		const failed = error ? items.length : (output ?? []).filter((item) => item.json.error).length;
		const ok = stats.requests - (stats.statuses['429'] ?? 0);
		rows.push([
			label,
			`${seconds.toFixed(1)} s`,
			`${(stats.requests / seconds).toFixed(1)} /s (${((stats.requests / seconds / R) * 100).toFixed(0)}% of R)`,
			`${(ok / seconds).toFixed(1)} /s`,
			(ok / 1000).toFixed(2),
			`${(1000 / seconds).toFixed(1)} /s`,
			stats.statuses['429'] ?? 0,
			failed,
			stats.payouts - 1000,
		]);
		process.stdout.write(`  bulk initiate: ${label} done\n`);
	}
	await sandbox.control('POST', 'config', { latencyMs: 0, rateLimit: 0 });
	return table(
		'2. Bulk Initiate: 1,000 items, sandbox latency 50 ms, rate limit R = 20 requests/s',
		['run', 'wall', 'requests sent', 'answered (non-429)', 'requests / payout', 'payouts', '429s seen', 'items lost', 'payouts doubled'],
		rows,
	);
}

/** The behaviours a real server may have (docs/wistfare-api.md), as sandbox settings. */
const PLAIN = { dialect: 'camel', strict: false, shortInitiateAnswer: false, ignoreIdempotencyKey: false, listLagMs: 0, getLagMs: 0, echoFormats: false, ignoreFilters: [], latencyMs: 0, rateLimit: 0, rateLimitHeaders: false };
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

/** Requests a batch costs, fresh and re-run, against each kind of server; and a batch whose answers are all lost. */
async function safetyCost(sandbox) {
	const rows = [];
	const batch = 100;
	const initiate = {
		operation: 'initiate',
		businessId: 'biz_bench',
		walletId: 'wal_bench',
		amount: '={{ $json.amount }}',
		destinationType: 'mobile_money',
		destinationRef: '250788000001',
		referenceId: '={{ $json.ref }}',
	};
	const items = Array.from({ length: batch }, (_, i) => ({ amount: String(100 + i), ref: `safety-${i}` }));
	const measure = async (label, run) => {
		await sandbox.control('DELETE', 'requests');
		const before = (await sandbox.control('GET', 'stats')).payouts;
		const { output, error } = await runWistfareNode(sandbox, initiate, items);
		const stats = await sandbox.control('GET', 'stats');
		const lists = stats.routes['GET /v1/disbursements'] ?? 0;
		const posts = stats.routes['POST /v1/disbursements'] ?? 0;
		return [
			label,
			run,
			(stats.requests / batch).toFixed(2),
			lists,
			posts,
			stats.statuses['422'] ?? 0,
			stats.payouts - before,
			error ? batch : (output ?? []).filter((item) => item.json.error).length,
		];
	};
	for (const [label, settings, history] of SERVERS) {
		await sandbox.control('POST', 'reset');
		await sandbox.control('POST', 'config', { ...PLAIN, ...settings });
		if (history) await sandbox.control('POST', 'seed', { count: history, inFlight: 0, businessId: 'biz_bench' });
		rows.push(await measure(label, 'fresh batch'));
		rows.push(await measure(label, 're-run'));
		process.stdout.write(`  safety cost: ${label} done\n`);
	}
	// Every answer lost, the key ignored, the list 1 s late: each payout is found by reference.
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'config', { ...PLAIN, ignoreIdempotencyKey: true, listLagMs: 1000 });
	await sandbox.control('POST', 'faults', { route: 'initiate', fault: { type: 'commitThenDrop', times: batch * 3 } });
	rows.push(await measure('ignores the key, every answer lost, list 1 s late', 'fresh batch'));
	await sandbox.control('DELETE', 'faults');
	await sandbox.control('POST', 'config', PLAIN);
	return table(
		`5. What safety and the dialect cost: a batch of ${batch} payouts (Initiate, default settings), fresh and re-run`,
		['server', 'run', 'requests / payout', 'look-ups and list pages', 'POSTs', '422 (dialect found out)', 'payouts made', 'items failed'],
		rows,
	);
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

/** N executions at once, each paying its own rows, sharing one account's limit. */
const CONTENTION = { R: 40, latencyMs: 20, rows: 100, runs: Number(process.env.BENCH_RUNS) || 5 };

async function contention(sandbox) {
	const { R, latencyMs, rows, runs } = CONTENTION;
	const table_rows = [];
	for (const [headersLabel, rateLimitHeaders] of [
		['Retry-After only (as documented)', false],
		['X-RateLimit-* headers too', 'x'],
	]) {
		for (const N of [1, 4, 10]) {
			const results = [];
			for (let run = 0; run < runs; run++) {
				await sandbox.control('POST', 'reset');
				await sandbox.control('POST', 'config', { ...PLAIN, latencyMs, rateLimit: R, rateLimitHeaders });
				await sandbox.control('DELETE', 'requests');
				const started = Date.now();
				const outcomes = await Promise.all(
					Array.from({ length: N }, async (_, e) => {
						const outcome = await runWistfareNode(sandbox, initiateRows('biz_bench'), rowsOf(rows, `c${N}-${run}-${e}`));
						return { ...outcome, endedAt: Date.now() };
					}),
				);
				const ended = Date.now();
				const { requests } = await sandbox.control('GET', 'requests');
				const stats = await sandbox.control('GET', 'stats');
				const useful = requests.filter((request) => request.status !== 429);
				// The last execution alone at the end: its useful rate from when the others had finished.
				const ends = outcomes.map((outcome) => outcome.endedAt).sort((a, b) => a - b);
				const aloneFrom = N > 1 ? ends[N - 2] : started;
				const aloneSeconds = (ended - aloneFrom) / 1000;
				const aloneUseful = useful.filter((request) => request.at >= aloneFrom).length;
				results.push({
					share: useful.length / ((ended - started) / 1000) / R,
					limited: requests.length - useful.length,
					perPayout: requests.length / (N * rows),
					lost: outcomes.reduce((sum, outcome) => sum + failedItems(outcome, rows), 0),
					doubled: stats.payouts - N * rows,
					wall: (ended - started) / 1000,
					alone: N > 1 && aloneSeconds >= 1 ? `${aloneSeconds.toFixed(1)} s at ${((aloneUseful / aloneSeconds / R) * 100).toFixed(0)}%` : '–',
				});
				process.stdout.write(`  contention: ${headersLabel}, N=${N}, run ${run + 1}: ${results[run].share.toFixed(2)} of R\n`);
			}
			table_rows.push([
				headersLabel,
				N,
				`${spread(results.map((r) => r.share))} (${results.map((r) => r.share.toFixed(2)).join(', ')})`,
				results.every((r) => r.share >= (N === 1 ? 0.9 : 0.85)) ? 'yes' : 'NO',
				spread(results.map((r) => r.wall), 1),
				spread(results.map((r) => r.limited), 0),
				spread(results.map((r) => r.perPayout)),
				results.map((r) => r.alone).join(', '),
				results.reduce((sum, r) => sum + r.lost, 0),
				results.reduce((sum, r) => sum + r.doubled, 0),
			]);
		}
	}
	table_rows.push(...(await httpRequestNode(sandbox)));
	await sandbox.control('POST', 'config', PLAIN);
	return table(
		`6. Executions at once sharing one account: limit R = ${R} requests/s, latency ${latencyMs} ms, ${rows} rows each, default settings, ${runs} runs each (min – max, then every run)`,
		['server', 'executions', 'useful (non-429) requests / s, share of R', 'target met in every run (≥ 0.9 R for 1, ≥ 0.85 R else)', 'wall', '429s a run', 'requests / payout', 'last execution alone at the end', 'items lost', 'payouts doubled'],
		table_rows,
	);
}

/**
 * The user's alternative: n8n's own HTTP Request node (from the n8n that `npm start` installs), one
 * POST a row, no look-up. Hand-tuned: batch size × executions = R, one batch a second.
 */
async function httpRequestNode(sandbox) {
	const { R, latencyMs, rows } = CONTENTION;
	const N = 10;
	const file = path.join(root, 'e2e/runtime/node_modules/n8n-nodes-base/dist/nodes/HttpRequest/V3/HttpRequestV3.node.js');
	if (!fs.existsSync(file)) return [['HTTP Request node: not measured (run `npm start` or `npm run test:e2e` once to install n8n)', N, '', '', '', '', '', '', '', '']];
	const { HttpRequestV3 } = require(file);
	const node = new HttpRequestV3({ displayName: 'HTTP Request', name: 'httpRequest', group: ['output'], description: '', defaultVersion: 4.2 });
	const run = async (items, options) =>
		await runNode({
			nodeTypes: { 'n8n-nodes-base.httpRequest': node },
			credentialTypes: {},
			credentials: {},
			node: {
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: `${sandbox.url}/v1/disbursements`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'X-API-Key', value: KEY }] },
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody:
						'={{ JSON.stringify({ businessId: "biz_bench", walletId: "wal_bench", amount: $json.amount, destinationType: "mobile_money", destinationRef: "250788000001", referenceId: $json.ref }) }}',
					options,
				},
			},
			items,
		});
	const out = [];
	for (const [label, options] of [
		[`HTTP Request node, hand-tuned batching (${R / N} items a second each)`, { batching: { batch: { batchSize: R / N, batchInterval: 1000 } } }],
		['HTTP Request node, default settings', {}],
	]) {
		await sandbox.control('POST', 'reset');
		await sandbox.control('POST', 'config', { ...PLAIN, latencyMs, rateLimit: R });
		await sandbox.control('DELETE', 'requests');
		const batches = Array.from({ length: N }, (_, e) => rowsOf(rows, `h-${e}`));
		const started = Date.now();
		const outcomes = await Promise.all(batches.map((items) => run(items, options)));
		const wall = (Date.now() - started) / 1000;
		const stats = await sandbox.control('GET', 'stats');
		const limited = stats.statuses['429'] ?? 0;
		const made = stats.payouts;
		// The same rows again (a re-run after a crash, or a second click): nothing looks them up.
		await Promise.all(batches.map((items) => run(items, options)));
		const doubled = (await sandbox.control('GET', 'stats')).payouts - made;
		out.push([
			label,
			N,
			((stats.requests - limited) / wall / R).toFixed(2),
			'',
			`${wall.toFixed(1)}`,
			limited,
			(stats.requests / (N * rows)).toFixed(2),
			'',
			outcomes.reduce((sum, outcome) => sum + failedItems(outcome, rows), 0),
			`${doubled} on a re-run`,
		]);
		process.stdout.write(`  contention: ${label} done\n`);
	}
	return out;
}

/** What checking a batch's references costs against histories of each size: fresh, half old, re-run. */
async function referenceCost(sandbox) {
	const batch = 1000;
	const rowsOut = [];
	for (const history of [1_000, 10_000, 100_000]) {
		await sandbox.control('POST', 'reset');
		await sandbox.control('POST', 'config', PLAIN);
		await sandbox.control('POST', 'seed', { count: history, inFlight: 0, businessId: 'biz_refs' });
		const fresh = rowsOf(batch, `refs-${history}`);
		const halfOld = [...fresh.slice(0, batch / 2), ...rowsOf(batch / 2, `refs-half-${history}`)];
		for (const [label, items] of [
			['fresh batch', fresh],
			['half already paid', halfOld],
			['re-run', fresh],
		]) {
			await sandbox.control('DELETE', 'requests');
			const before = (await sandbox.control('GET', 'stats')).payouts;
			const outcome = await runWistfareNode(sandbox, initiateRows('biz_refs'), items);
			const stats = await sandbox.control('GET', 'stats');
			const lists = stats.routes['GET /v1/disbursements'] ?? 0;
			const posts = stats.routes['POST /v1/disbursements'] ?? 0;
			rowsOut.push([
				history.toLocaleString('en'),
				label,
				(stats.requests / batch).toFixed(2),
				lists,
				posts,
				stats.payouts - before,
				failedItems(outcome, batch),
			]);
		}
		process.stdout.write(`  reference cost: ${history} history done\n`);
	}
	return table(
		`7. Checking references: a batch of ${batch} rows (one business) against its history; the node reads the listing when it has fewer pages than the batch has rows, else looks each reference up`,
		['history', 'batch', 'requests / payout', 'look-ups and list pages', 'POSTs', 'payouts made', 'items failed'],
		rowsOut,
	);
}

async function returnAll(sandbox) {
	const latency = 10;
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'seed', { count: 100_000, inFlight: 0, businessId: 'biz_bench' });
	await sandbox.control('POST', 'config', { latencyMs: latency, rateLimit: 0 });
	global.gc?.();
	const before = process.memoryUsage();
	let peakHeap = before.heapUsed;
	let peakRss = before.rss;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		peakRss = Math.max(peakRss, now.rss);
	}, 20);
	const started = performance.now();
	const { output } = await runWistfareNode(sandbox, { operation: 'list', businessId: 'biz_bench', returnAll: true });
	const wall = performance.now() - started;
	clearInterval(sampler);
	const pages = Math.ceil(100_000 / PAGE);
	await sandbox.control('POST', 'config', { latencyMs: 0 });
	const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
	return table(`3. List, Return All: 100,000 payouts, ${PAGE} a page, sandbox latency ${latency} ms`, ['items', 'pages', 'pages × latency', 'wall', 'ratio (target ≤ 1.2)', 'peak heap (whole engine)', 'peak RSS'], [
		[output.length.toLocaleString('en'), pages, ms(pages * latency), ms(wall), (wall / (pages * latency)).toFixed(2), mb(peakHeap), mb(peakRss)],
	]);
}

/** The webhook trigger: how fast Wistfare gets its answer, what a delivery costs, how often it fires. */
async function webhookCost(sandbox) {
	const latencyMs = 20;
	const payouts = 100;
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'seed', { count: payouts, inFlight: 0, businessId: 'biz_bench' });
	await sandbox.control('POST', 'config', { ...PLAIN, latencyMs });
	const listed = await fetch(`${sandbox.url}/v1/disbursements?businessId=biz_bench&perPage=100`, { headers: { 'x-api-key': KEY } }).then((response) => response.json());
	const ids = listed.data.map((payout) => payout.id);
	const rows = [];
	for (const [label, copies, atOnce] of [
		['each delivered once', 1, false],
		['each delivered 3 times, one after another', 3, false],
		['each delivered 3 times at the same time', 3, true],
	]) {
		const receiver = createWebhookReceiver({
			nodeTypes: { 'n8n-nodes-wistfare.wistfareWebhookTrigger': new WistfareWebhookTrigger() },
			credentialTypes: { wistfareApi: new WistfareApi() },
			credentials: credentials(sandbox.url),
			node: { name: 'Wistfare Webhook Trigger', type: 'n8n-nodes-wistfare.wistfareWebhookTrigger', parameters: { businessId: 'biz_bench', statuses: ['completed', 'failed'], options: {} } },
		});
		await sandbox.control('DELETE', 'requests');
		const answers = [];
		let fired = 0;
		const started = performance.now();
		for (const id of ids) {
			const one = async () => {
				const sent = performance.now();
				let answeredAt;
				const result = await receiver.deliver({ body: { event: 'disbursement.completed', transaction_id: id } }, () => (answeredAt = performance.now()));
				answers.push((answeredAt ?? performance.now()) - sent);
				fired += result.fired.length;
			};
			if (atOnce) await Promise.all(Array.from({ length: copies }, one));
			else for (let i = 0; i < copies; i++) await one();
		}
		const wall = performance.now() - started;
		const stats = await sandbox.control('GET', 'stats');
		answers.sort((a, b) => a - b);
		rows.push([
			label,
			answers.length,
			ms(answers[Math.floor(answers.length / 2)]),
			ms(answers[Math.floor(answers.length * 0.95)]),
			(stats.requests / answers.length).toFixed(2),
			`${fired} for ${payouts} payouts`,
			ms(wall / answers.length),
		]);
	}
	await sandbox.control('POST', 'config', PLAIN);
	return table(
		`8. Webhook trigger: ${payouts} completed payouts, sandbox latency ${latencyMs} ms, the node in n8n-core's WebhookContext (n8n's own HTTP handling not included)`,
		['deliveries', 'calls', 'time to answer, median', 'p95', 'requests to Wistfare / call', 'workflow starts', 'per call'],
		rows,
	);
}

function packageSize() {
	const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
	const timing = (preload) => {
		const samples = [];
		for (let i = 0; i < 7; i++) {
			const nodes = require(path.join(root, 'package.json')).n8n.nodes.map((file) => `require(${JSON.stringify(path.join(root, file))});`).join('');
			const script = `${preload}const t=process.hrtime.bigint();${nodes}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
			samples.push(Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })));
		}
		return samples.sort((a, b) => a - b)[3];
	};
	return table('4. Package', ['tarball (npm pack)', 'files', 'unpacked', 'cold require of every node, n8n-workflow already loaded (median of 7)', 'cold require including n8n-workflow itself'], [
		[
			`${(pack.size / 1024).toFixed(1)} KB (target < 100 KB)`,
			pack.entryCount,
			`${(pack.unpackedSize / 1024).toFixed(1)} KB`,
			`${timing("require('n8n-workflow');").toFixed(1)} ms (target < 50 ms)`,
			`${timing('').toFixed(1)} ms`,
		],
	]);
}

async function main() {
	const sandbox = await startSandbox();
	const sections = [];
	try {
		if (wants('poll')) sections.push(await pollCost(sandbox));
		if (wants('bulk')) sections.push(await bulkInitiate(sandbox));
		if (wants('returnall')) sections.push(await returnAll(sandbox));
		if (wants('package')) sections.push(packageSize());
		if (wants('safety')) sections.push(await safetyCost(sandbox));
		if (wants('contention')) sections.push(await contention(sandbox));
		if (wants('references')) sections.push(await referenceCost(sandbox));
		if (wants('webhook')) sections.push(await webhookCost(sandbox));
		if (wants('gaps')) sections.push(await gapCost({ dist, key: KEY, table }));
		if (wants('memory')) sections.push(await memoryCost({ dist, table }));
	} finally {
		sandbox.stop();
	}
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
	const report = [
		'# Benchmark results',
		'',
		`Run with \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
		'The sandbox runs in its own process on 127.0.0.1; the nodes run in n8n-core\'s engine in this one.',
		'',
		...sections,
	].join('\n');
	process.stdout.write(`\n${report}\n`);
	const file = path.join(__dirname, 'RESULTS.md');
	if (only.length === 0) fs.writeFileSync(file, `${report}\n`);
	else {
		// A partial run replaces its own sections in RESULTS.md and says when.
		let results = fs.readFileSync(file, 'utf8');
		for (const section of sections) {
			const number = /^### (\d+)\./.exec(section)[1];
			const dated = section.replace(/\n/, ` (re-run on its own on ${new Date().toISOString().slice(0, 10)}, ${machine})\n`);
			const own = new RegExp(`### ${number}\\.[\\s\\S]*?(?=\\n### |$)`);
			results = own.test(results) ? results.replace(own, dated.trimEnd() + '\n') : `${results.trimEnd()}\n\n${dated.trimEnd()}\n`;
		}
		fs.writeFileSync(file, results);
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
