'use strict';
const fs = require('node:fs');
const path = require('node:path');

const { root, dist, KEY, runNode, credentials, table, ms, runWistfareNode, apartWistfare, initiateRows, rowsOf, failedItems, spread, PLAIN } = require('../lib');

/** N executions at once, each paying its own rows, sharing one account's limit. */
const CONTENTION = { R: 40, latencyMs: 20, rows: 100, runs: Number(process.env.BENCH_RUNS) || 5 };

async function contention(sandbox) {
	const { R, latencyMs, rows, runs } = CONTENTION;
	const table_rows = [];
	// Every limiter the contract names (shared/wistfare-api.md): a figure met on one kind only is overfitted.
	for (const [headersLabel, limiter] of [
		['fixed window, Retry-After only (as documented)', { rateLimitHeaders: false }],
		['fixed window, X-RateLimit-* headers too', { rateLimitHeaders: 'x' }],
		['sliding window, Retry-After only', { rateLimitHeaders: false, rateLimitKind: 'sliding' }],
		[`token bucket (burst ${R / 2}), Retry-After only`, { rateLimitHeaders: false, rateLimitKind: 'bucket', rateLimitBurst: R / 2 }],
		// The same headers on windows that refill as they go: their reset (whole epoch seconds) is only
		// when the next request is free, rounded up, and nothing tells them from a fixed window's.
		['sliding window, X-RateLimit-* headers too', { rateLimitHeaders: 'x', rateLimitKind: 'sliding' }],
		[`token bucket (burst ${R / 2}), X-RateLimit-* headers too`, { rateLimitHeaders: 'x', rateLimitKind: 'bucket', rateLimitBurst: R / 2 }],
	]) {
		// In one process (n8n's regular mode, or one worker) executions of one key share their pace and
		// listing checks; apart (queue-mode workers) each finds its share alone. One execution is both.
		for (const [N, apart] of [[1, false], [4, false], [10, false], [4, true], [10, true]]) {
			const results = [];
			const where = apart ? 'apart' : 'one process';
			for (let run = 0; run < runs; run++) {
				results.push(await measure(sandbox, limiter, N, `c${N}${apart ? 'a' : ''}-${run}`, apart));
				process.stdout.write(`  contention: ${headersLabel}, N=${N} ${where}, run ${run + 1}: ${results[run].share.toFixed(2)} of R, ${results[run].limited} 429s, ${results[run].perPayout.toFixed(2)} requests/payout (GETs ${results[run].getsPerPayout.toFixed(2)})\n`);
			}
			table_rows.push([
				headersLabel,
				N === 1 ? N : `${N}, ${where}`,
				`${spread(results.map((r) => r.share))} (${results.map((r) => r.share.toFixed(2)).join(', ')})`,
				results.every((r) => r.share >= (N === 1 ? 0.9 : 0.85)) ? 'yes' : 'NO',
				spread(results.map((r) => r.wall), 1),
				spread(results.map((r) => r.limited), 0),
				`${spread(results.map((r) => r.perPayout))} (GETs ${spread(results.map((r) => r.getsPerPayout))})`,
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
		['server', 'executions (one process: sharing pace and checks; apart: each its own copy of the package, as on queue-mode workers)', 'useful (non-429) requests / s, share of R', 'target met in every run (≥ 0.9 R for 1, ≥ 0.85 R else)', 'wall', '429s a run', 'requests / payout (of which accepted GETs: listing checks, wallet, fees)', 'last execution alone at the end', 'items lost', 'payouts doubled'],
		table_rows,
	);
}

/**
 * One run: N executions at once against `limiter`, each paying its own rows; in this process (they
 * share their pace and listing checks), or `apart`, each with its own copy of the package (as in
 * processes of their own: queue-mode workers).
 */
async function measure(sandbox, limiter, N, prefix, apart = false) {
	const { R, latencyMs, rows } = CONTENTION;
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'config', { ...PLAIN, latencyMs, rateLimit: R, rateLimitKind: 'fixed', rateLimitBurst: 0, ...limiter });
	await sandbox.control('DELETE', 'requests');
	const started = Date.now();
	const outcomes = await Promise.all(
		Array.from({ length: N }, async (_, e) => {
			const outcome = await runWistfareNode(sandbox, initiateRows('biz_bench'), rowsOf(rows, `${prefix}-${e}`), apart ? apartWistfare() : undefined);
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
	return {
		share: useful.length / ((ended - started) / 1000) / R,
		limited: requests.length - useful.length,
		perPayout: requests.length / (N * rows),
		// Accepted look-ups and listing checks: the part that is not a POST nor a 429.
		getsPerPayout: useful.filter((request) => request.method === 'GET').length / (N * rows),
		lost: outcomes.reduce((sum, outcome) => sum + failedItems(outcome, rows), 0),
		doubled: stats.payouts - N * rows,
		wall: (ended - started) / 1000,
		alone: N > 1 && aloneSeconds >= 1 ? `${aloneSeconds.toFixed(1)} s at ${((aloneUseful / aloneSeconds / R) * 100).toFixed(0)}%` : '–',
		requests,
		started,
	};
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

module.exports = { name: 'contention', run: contention, measure, CONTENTION };
