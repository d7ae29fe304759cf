'use strict';

const { table, ms, runWistfareNode } = require('../lib');

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
				advancedOptions: concurrency ? { concurrency } : {},
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

module.exports = { name: 'bulk', run: bulkInitiate };
