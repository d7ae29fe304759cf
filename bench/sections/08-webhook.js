'use strict';

const { KEY, Wistfare, WistfareWebhookTrigger, WistfareApi, createWebhookReceiver, credentials, table, ms, PLAIN } = require('../lib');

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

module.exports = { name: 'webhook', run: webhookCost };
