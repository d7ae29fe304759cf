'use strict';

const { KEY, PAGE, WistfareTrigger, WistfareApi, createPoller, credentials, table, ms } = require('../lib');

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

module.exports = { name: 'poll', run: pollCost };
