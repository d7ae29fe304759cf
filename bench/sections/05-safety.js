'use strict';

const { table, runWistfareNode, PLAIN, SERVERS } = require('../lib');


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
	const measure = async (label, run, parameters = initiate) => {
		await sandbox.control('DELETE', 'requests');
		const before = (await sandbox.control('GET', 'stats')).payouts;
		const { output, error } = await runWistfareNode(sandbox, parameters, items);
		const stats = await sandbox.control('GET', 'stats');
		const lists = stats.routes['GET /v1/disbursements'] ?? 0;
		const posts = stats.routes['POST /v1/disbursements'] ?? 0;
		return [
			label,
			run,
			(stats.requests / batch).toFixed(2),
			(stats.routes['GET /v1/wallets'] ?? 0) + (stats.routes['GET /v1/fees/:businessId'] ?? 0),
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
	// The funds check with wallets served: a wallet that covers the batch costs its two readings; a
	// re-run whose whole batch the balance does not cover looks the references up before deciding
	// (only the rows not paid yet count); a Preview reads what Pay's checks read.
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'config', PLAIN);
	const funds = (balance) => ({ wallets: { wal_bench: { businessId: 'biz_bench', balance } }, fees: { biz_bench: { feeModel: 'percentage', percentageRate: '1.5' } } });
	await sandbox.control('POST', 'funds', funds(100_000_000));
	rows.push(await measure('wallet and fees served, the wallet covers the batch', 'fresh batch'));
	await sandbox.control('POST', 'funds', funds(10));
	rows.push(await measure('wallet and fees served, balance short of the whole batch', 're-run'));
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'funds', funds(100_000_000));
	rows.push(await measure('wallet and fees served', 'Preview', { ...initiate, mode: 'preview' }));
	// Every answer lost, the key ignored, the list 1 s late: each payout is found by reference.
	await sandbox.control('POST', 'reset');
	await sandbox.control('POST', 'config', { ...PLAIN, ignoreIdempotencyKey: true, listLagMs: 1000 });
	await sandbox.control('POST', 'faults', { route: 'initiate', fault: { type: 'commitThenDrop', times: batch * 3 } });
	rows.push(await measure('ignores the key, every answer lost, list 1 s late', 'fresh batch'));
	await sandbox.control('DELETE', 'faults');
	await sandbox.control('POST', 'config', PLAIN);
	return table(
		`5. What safety and the dialect cost: a batch of ${batch} payouts (Initiate, default settings), fresh and re-run`,
		['server', 'run', 'requests / payout', 'wallet and fee reads', 'look-ups and list pages', 'POSTs', '422 (dialect found out)', 'payouts made', 'items failed'],
		rows,
	);
}

module.exports = { name: 'safety', run: safetyCost };
