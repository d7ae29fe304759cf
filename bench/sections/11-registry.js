'use strict';
// Bench section 11: what the package's registry (the one module-level object, api/registry.ts) keeps
// on a worker that is never idle: a day of simulated traffic in this process, on a virtual clock.
// One execution of the key runs the whole day (so the key's entry never goes), and every 5 minutes
// another pays a batch of 150 rows to one of 30 businesses; webhook deliveries come in for 60 trigger
// nodes. Read every 3 hours: what the registry holds.
const path = require('node:path');

const { Sandbox } = require('../../sandbox/server');
const { dist, KEY, Wistfare, WistfareWebhookTrigger, WistfareApi, runNode, createWebhookReceiver, table } = require('../lib');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BUSINESSES = 30;
const TRIGGERS = 60;
const ROWS = 150;

async function registryCost() {
	const { clock } = require(path.join(dist, 'nodes/Wistfare/api/clock.js'));
	const { registrySpace } = require(path.join(dist, 'nodes/Wistfare/api/registry.js'));
	const { startExecution } = require(path.join(dist, 'nodes/Wistfare/actions/disbursement/initiate/same-key.js'));
	const { FINGERPRINT_CHARS } = require(path.join(dist, 'nodes/Wistfare/webhook/memory.js'));
	let offset = 0;
	const now = () => Date.now() + offset;
	const realNow = clock.now;
	const realSleep = clock.sleep;
	clock.now = now;
	clock.sleep = async (ms) => {
		offset += ms;
	};
	const sandbox = new Sandbox({ apiKeys: [KEY], autoAdvance: false, now });
	const url = await sandbox.start();
	const credentials = { wistfareApi: { apiKey: KEY, baseUrl: url } };
	const rows = [];
	// The execution that never ends: the key's entry lives all day.
	const forever = startExecution(credentials.wistfareApi, 1);
	try {
		const receivers = Array.from({ length: TRIGGERS }, (_, i) =>
			createWebhookReceiver({
				nodeTypes: { 'n8n-nodes-wistfare.wistfareWebhookTrigger': new WistfareWebhookTrigger() },
				credentialTypes: { wistfareApi: new WistfareApi() },
				credentials,
				node: { name: `Outcomes ${i}`, type: 'n8n-nodes-wistfare.wistfareWebhookTrigger', parameters: { businessId: `biz_${i % BUSINESSES}`, statuses: ['completed', 'failed'], secret: 'bench' } },
			}),
		);
		let batches = 0;
		let delivered = 0;
		let started = 0;
		for (let minute = 0; minute <= 24 * 60; minute += 5) {
			const businessId = `biz_${batches % BUSINESSES}`;
			const items = Array.from({ length: ROWS }, (_, i) => ({ amount: String(100 + i), ref: `b${batches}-${i}` }));
			const { error } = await runNode({
				nodeTypes: { 'n8n-nodes-wistfare.wistfare': new Wistfare() },
				credentialTypes: { wistfareApi: new WistfareApi() },
				credentials,
				node: { name: 'Wistfare', type: 'n8n-nodes-wistfare.wistfare', parameters: { resource: 'disbursement', operation: 'initiate', businessId, walletId: 'wal_bench', amount: '={{ $json.amount }}', destinationType: 'mobile_money', destinationRef: '250788000001', referenceId: '={{ $json.ref }}', fundsCheck: 'off' } },
				items,
			});
			if (error) throw error;
			batches++;
			// Each batch's payouts complete; the trigger of its business hears of ten of them.
			const made = sandbox.store.all().filter((payout) => payout.referenceId.startsWith(`b${batches - 1}-`));
			for (const payout of made.slice(0, 10)) {
				sandbox.store.setStatus(payout.id, 'completed');
				// The two triggers watching this business take turns.
				const receiver = receivers[((batches - 1) % BUSINESSES) + BUSINESSES * (Math.floor((batches - 1) / BUSINESSES) % 2)];
				const { error: failed, fired } = await receiver.deliver({ body: { event: 'disbursement.completed', transaction_id: payout.id }, query: { secret: 'bench' } });
				if (failed) throw failed;
				delivered += 1;
				started += fired.length;
			}
			if (minute % 180 === 0) rows.push([...(await snapshot(minute)), `${started} / ${delivered}`]);
			offset += 5 * MINUTE;
		}
	} finally {
		forever.end();
		clock.now = realNow;
		clock.sleep = realSleep;
		await sandbox.stop();
	}

	async function snapshot(minute) {
		const keys = [...registrySpace('initiate-same-key').values()];
		const listings = await Promise.all(keys.flatMap((entry) => [...entry.listings.values()].map((shared) => shared.reading.catch(() => undefined))));
		const listed = listings.reduce((sum, listing) => sum + (listing ? listing.ids.size : 0), 0);
		const recent = [...registrySpace('webhook-recent').values()];
		const outcomes = recent.reduce((sum, node) => sum + Object.values(node.memory.days).reduce((days, text) => days + text.length / FINGERPRINT_CHARS, 0), 0);
		return [`${String(Math.floor(minute / 60)).padStart(2, '0')}:00`, sandbox.store.all().length.toLocaleString('en'), keys.length, listings.length, listed.toLocaleString('en'), recent.length, outcomes.toLocaleString('en')];
	}

	return table(
		`11. The registry on a worker that is never idle: a simulated day (an execution of the key runs all day; a batch of ${ROWS} to one of ${BUSINESSES} businesses every 5 min; deliveries to ${TRIGGERS} webhook triggers)`,
		['time', 'payouts in Wistfare', 'keys', 'shared listings', 'payouts in shared listings', 'webhook trigger nodes', 'outcomes kept in process', 'executions started / deliveries'],
		rows,
	);
}

module.exports = { name: 'registry', run: registryCost };
