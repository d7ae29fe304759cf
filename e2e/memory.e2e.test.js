'use strict';
// What a real n8n (the pinned 2.41.1) keeps of the triggers' memories: the webhook trigger's
// deliveries counted by n8n's own execution count, again after n8n restarts, and the polling
// trigger's static data as n8n saved it. Run with `npm run test:e2e`.
const { bootInstance } = require('./lib/instance');
const setup = require('./lib/setup');
const { deliveryBody } = require('../sandbox/webhooks');

let instance;
const withLog = (test) => instance.withLog(test);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	instance = await bootInstance({ port: 5696 });
}, 900_000);

afterAll(async () => {
	await instance?.stop();
});

/** Waits until n8n counts `count` executions of the workflow (or a minute), then `settleMs` more; returns the count. */
async function countAfter(workflowId, count, settleMs = 5000) {
	const deadline = Date.now() + 60_000;
	while ((await setup.executionCount(instance.client, workflowId)) < count && Date.now() < deadline) await sleep(500);
	await sleep(settleMs);
	return await setup.executionCount(instance.client, workflowId);
}

/** n8n 2.41 registers a published workflow's webhook shortly after answering: waits for its activation request. */
async function publish(workflowId) {
	const { sandbox, client } = instance;
	sandbox.clearRequests();
	await setup.activate(client, workflowId);
	const by = Date.now() + 60_000;
	while (sandbox.requestsFor('list').length === 0 && Date.now() < by) await sleep(250);
	await sleep(1000);
}

test('webhook trigger: each payout and status starts one execution, delivered again after it ran, at once, and after an n8n restart', () =>
	withLog(async () => {
		const { sandbox, workflows } = instance;
		const workflow = workflows['instant-outcomes.json'];
		await publish(workflow.id);
		const url = `${instance.n8n.url}/webhook/wistfare-instant-outcomes/wistfare`;
		const settle = (count, prefix) =>
			Array.from({ length: count }, (_, i) => {
				const record = sandbox.store.create({ businessId: 'biz_demo', walletId: 'wal_demo', amount: '100', destinationType: 'mobile_money', destinationRef: '250788000001', referenceId: `${prefix}-${i}` });
				sandbox.store.setStatus(record.id, 'completed');
				return deliveryBody(sandbox.store.get(record.id), 'disbursement.completed');
			});
		const deliver = async (bodies) => {
			const answers = await Promise.all(bodies.map((body) => sandbox.webhooks.send(body, { url, query: '?secret=demo-webhook-secret', repeat: 1, atOnce: false, delayMs: 0 })));
			expect(answers.flat().map((entry) => entry.status)).toEqual(bodies.map(() => 200));
		};

		// One at a time, then each again once it ran: 5 executions.
		const five = settle(5, 'one-by-one');
		for (const body of five) await deliver([body]);
		expect(await countAfter(workflow.id, 5)).toBe(5);
		for (const body of five) await deliver([body]);
		expect(await countAfter(workflow.id, 5)).toBe(5);

		// 30 at once, then each again at once: 30 more.
		const thirty = settle(30, 'at-once');
		await deliver(thirty);
		expect(await countAfter(workflow.id, 35)).toBe(35);
		await deliver(thirty);
		expect(await countAfter(workflow.id, 35)).toBe(35);

		// n8n restarts: only what n8n saved is left. Measured and printed; none of the one-by-one ones fires.
		await instance.restart();
		await sleep(3000);
		for (const body of five) await deliver([body]);
		expect(await countAfter(workflow.id, 35)).toBe(35);
		await deliver(thirty);
		const afterRestart = (await countAfter(workflow.id, 35)) - 35;
		process.stdout.write(`webhook memory: after a restart, 30 delivered at once again started ${afterRestart} execution(s)\n`);
		expect(afterRestart).toBeLessThanOrEqual(2);
		await setup.deactivate(instance.client, workflow.id);
	}));

test('polling trigger: its state is in n8n\'s saved static data after polls; across an n8n restart nothing fires twice or is missed', () =>
	withLog(async () => {
		const { sandbox, client, workflows } = instance;
		const workflow = await client.request('GET', `/workflows/${workflows['react-to-outcomes.json'].id}`);
		const node = 'node:Payout completed or failed';
		const make = (referenceId) => sandbox.store.create({ businessId: 'biz_demo', walletId: 'wal_demo', amount: '100', destinationType: 'mobile_money', destinationRef: '250788000001', referenceId });
		const first = make('POLL-1');
		const second = make('POLL-2');
		const scans = () => sandbox.requestsFor('list').length;
		sandbox.clearRequests();
		await client.request('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
		const by = Date.now() + 90_000;
		while (scans() === 0 && Date.now() < by) await sleep(500);
		await sleep(2000);
		const saved = async () => (await client.request('GET', `/workflows/${workflow.id}`)).staticData?.[node];
		const baseline = await saved();
		expect(baseline).toBeDefined();

		// A payout completes: one execution, and the saved state moves on.
		sandbox.store.setStatus(first.id, 'completed');
		expect(await countUntil(workflow.id, 1, 150_000)).toBe(1);
		const afterFirst = JSON.stringify(await saved());
		expect(afterFirst).not.toBe(JSON.stringify(baseline));

		// n8n is down while the second completes; after the restart, it fires once, the first never again.
		await instance.n8n.stop();
		sandbox.store.setStatus(second.id, 'completed');
		await instance.restart();
		expect(await countUntil(workflow.id, 2, 150_000)).toBe(2);
		const executions = await setup.executionsOf(client, workflow.id);
		const fired = [];
		for (const execution of executions) fired.push(...setup.outputOf(await setup.waitForExecution(client, execution.id), 'Payout completed or failed').map((event) => `${event.referenceId}:${event.status}`));
		expect(fired.sort()).toEqual(['POLL-1:completed', 'POLL-2:completed']);
		// One more poll with nothing new: still two.
		const seen = scans();
		const next = Date.now() + 90_000;
		while (scans() === seen && Date.now() < next) await sleep(1000);
		await sleep(3000);
		expect(await setup.executionCount(client, workflow.id)).toBe(2);
		await setup.deactivate(client, workflow.id);
	}));

test('both triggers in one workflow: the webhook trigger says, on the item it fires, that they should not share it', () =>
	withLog(async () => {
		const { sandbox, client, workflows, credentialId } = instance;
		const poll = await client.request('GET', `/workflows/${workflows['react-to-outcomes.json'].id}`);
		const hook = await client.request('GET', `/workflows/${workflows['instant-outcomes.json'].id}`);
		const trigger = (workflow) => workflow.nodes.find((node) => /wistfare(Webhook)?Trigger$/.test(node.type));
		const pollNode = { ...trigger(poll), id: 'both-poll', position: [0, 0] };
		const hookNode = { ...trigger(hook), id: 'both-hook', webhookId: 'wistfare-both-triggers', position: [0, 300] };
		const both = await setup.createWorkflow(client, { name: 'Both triggers in one workflow', nodes: [pollNode, hookNode], connections: {}, settings: {} }, credentialId);
		sandbox.clearRequests();
		await setup.activate(client, both.id);
		// The polling trigger's activation poll marks the workflow.
		const by = Date.now() + 90_000;
		while (sandbox.requestsFor('list').length < 2 && Date.now() < by) await sleep(500);
		await sleep(2000);
		const payout = sandbox.store.create({ businessId: 'biz_demo', walletId: 'wal_demo', amount: '100', destinationType: 'mobile_money', destinationRef: '250788000001', referenceId: 'BOTH-1' });
		sandbox.store.setStatus(payout.id, 'completed');
		const url = `${instance.n8n.url}/webhook/wistfare-both-triggers/wistfare?secret=demo-webhook-secret`;
		const [answer] = await sandbox.webhooks.send(deliveryBody(sandbox.store.get(payout.id), 'disbursement.completed'), { url, repeat: 1, atOnce: false, delayMs: 0 });
		expect(answer.status).toBe(200);
		expect(await countUntil(both.id, 1, 30_000)).toBeGreaterThanOrEqual(1);
		const executions = await setup.executionsOf(client, both.id);
		const fired = [];
		for (const execution of executions) fired.push(...setup.outputOf(await setup.waitForExecution(client, execution.id), hookNode.name));
		expect(fired[0]?.triggerWarnings).toEqual([expect.stringMatching(/^This workflow also holds a Wistfare Trigger/)]);
		await setup.deactivate(client, both.id);
	}));

/** Waits until n8n counts `count` executions of the workflow, or `timeoutMs`; returns the count after 3 s more. */
async function countUntil(workflowId, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while ((await setup.executionCount(instance.client, workflowId)) < count && Date.now() < deadline) await sleep(2000);
	await sleep(3000);
	return await setup.executionCount(instance.client, workflowId);
}
