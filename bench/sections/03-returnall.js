'use strict';

const { PAGE, table, ms, runWistfareNode } = require('../lib');

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

module.exports = { name: 'returnall', run: returnAll };
