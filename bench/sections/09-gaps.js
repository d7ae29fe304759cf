'use strict';
// Bench section 9: the polling trigger after time passes between polls (slow Poll Times, n8n down).
// The sandbox runs in this process here, so that both clocks (the package's and the server's) can
// jump an hour or a day at once.
const path = require('node:path');

const { Sandbox } = require('../../sandbox/server');
const { dist, KEY, WistfareTrigger, WistfareApi, createPoller, table } = require('../lib');

const MINUTE = 60_000;
/** @type {Array<[string, number]>} */
const GAPS = [
	['1 min', MINUTE],
	['1 h', 60 * MINUTE],
	['1 day', 24 * 60 * MINUTE],
];
const CREATED = [0, 100, 1_000];
/** @type {Array<[string, Record<string, unknown>]>} */
const SERVERS = [
	['with a count (total)', {}],
	['no count, ties shuffled, pages of 50', { thinEnvelope: true, shuffleTies: true, maxPerPage: 50 }],
];

/**
 * For each server, gap and number of payouts created during the gap (all settled, so that what is
 * measured is the scan): the poll after the gap, then an idle poll a minute later.
 */
async function gapCost() {
	const key = KEY;
	const { clock } = require(path.join(dist, 'nodes/Wistfare/api/clock.js'));
	let offset = 0;
	const now = () => Date.now() + offset;
	const realNow = clock.now;
	clock.now = now;
	const rows = [];
	try {
		for (const [serverName, behaviour] of SERVERS) {
			for (const [gapName, gap] of GAPS) {
				for (const created of CREATED) {
					const sandbox = new Sandbox({ apiKeys: [key], autoAdvance: false, now, ...behaviour });
					const url = await sandbox.start();
					try {
						// A week of history, a minute old: 1,000 payouts, all settled.
						sandbox.store.seedHistory(1_000, 0, 'biz_bench', Math.floor((7 * 24 * 60 * MINUTE) / 1_000), MINUTE);
						const poller = createPoller({
							nodeTypes: { 'n8n-nodes-wistfare.wistfareTrigger': new WistfareTrigger() },
							credentialTypes: { wistfareApi: new WistfareApi() },
							credentials: { wistfareApi: { apiKey: key, baseUrl: url } },
							node: { name: 'Trigger', type: 'n8n-nodes-wistfare.wistfareTrigger', parameters: { businessId: 'biz_bench' } },
						});
						await poller.poll();
						for (let i = 0; i < 1000 && poller.snapshot()['node:Trigger']?.state?.backfill; i++) await poller.poll();
						await poller.poll();
						offset += gap;
						if (created) sandbox.store.seedHistory(created, 0, 'biz_bench', Math.floor((gap - 1000) / created), 1000);
						sandbox.clearRequests();
						const fired = (await poller.poll())?.[0]?.length ?? 0;
						const after = sandbox.requests.length;
						const afterBytes = Buffer.byteLength(JSON.stringify(poller.snapshot()));
						offset += MINUTE;
						sandbox.clearRequests();
						if ((await poller.poll()) !== null) throw new Error('an idle poll fired');
						const idle = sandbox.requests.length;
						const idleBytes = Buffer.byteLength(JSON.stringify(poller.snapshot()));
						rows.push([
							serverName,
							gapName,
							created.toLocaleString('en'),
							`${fired.toLocaleString('en')} (${fired === created ? 'all' : 'MISSED SOME'})`,
							after,
							`${afterBytes.toLocaleString('en')} B`,
							idle,
							`${idleBytes.toLocaleString('en')} B`,
						]);
						process.stdout.write(`  gaps: ${serverName}, ${gapName}, ${created} created done\n`);
					} finally {
						await sandbox.stop();
					}
				}
			}
		}
	} finally {
		clock.now = realNow;
	}
	return table(
		'9. Trigger after a gap between polls: the poll after the gap, then an idle poll a minute later (1,000 payouts of history, payouts created during the gap all settled)',
		['server', 'gap', 'created in the gap', 'fired', 'requests', 'static data', 'next idle poll: requests', 'static data then'],
		rows,
	);
}

module.exports = { name: 'gaps', run: gapCost };
