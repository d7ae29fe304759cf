'use strict';

const { table, runWistfareNode, initiateRows, rowsOf, failedItems, PLAIN } = require('../lib');

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

module.exports = { name: 'references', run: referenceCost };
