'use strict';
// The compatibility smoke: what a user does first, in each n8n line we claim. `npm run test:e2e`
// runs it in the pinned 2.x; `npm run test:e2e:n8n1` in the newest 1.x (WISTFARE_N8N_LINE=1), on Node 24
// and on the Node running the tests (WISTFARE_N8N_NODE=host).
// Load, the credential test, paying twice with nobody paid twice, the polling trigger firing once, a
// webhook delivery starting one execution; the examples imported through the REST API.
const { spawnSync } = require('node:child_process');

const { bootInstance, KEY } = require('./lib/instance');
const setup = require('./lib/setup');
const { LINE, N8N_NODE, RUNTIME } = require('./lib/n8n');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let instance;
let sandbox;
let client;
let workflows;
const withLog = (test) => instance.withLog(test);

beforeAll(async () => {
	instance = await bootInstance({ port: LINE === 1 ? 5698 : 5708 });
	({ sandbox, client, workflows } = instance);
	const version = require(`${RUNTIME}/node_modules/n8n/package.json`).version;
	const node = spawnSync(N8N_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
	process.stdout.write(`compatibility smoke in n8n ${version} on Node ${node}\n`);
}, 900_000);

afterAll(async () => {
	await instance?.stop();
});

test(`n8n ${LINE}.x loads our three node types and the credential type; every example imports through the REST API`, () =>
	withLog(async () => {
		const nodes = (await client.getRoot('/types/nodes.json')).map((type) => type.name);
		expect(nodes).toEqual(expect.arrayContaining(['n8n-nodes-wistfare.wistfare', 'n8n-nodes-wistfare.wistfareTrigger', 'n8n-nodes-wistfare.wistfareWebhookTrigger']));
		expect((await client.getRoot('/types/credentials.json')).map((type) => type.name)).toContain('wistfareApi');
		expect(Object.keys(workflows).sort()).toEqual(setup.examples().map(({ file }) => file).sort());
		for (const { id } of Object.values(workflows)) expect((await client.request('GET', `/workflows/${id}`)).nodes.length).toBeGreaterThan(0);
	}));

test('the credential test: a good key passes with one request; a malformed key is refused before any', () =>
	withLog(async () => {
		// Tested as saved (n8n 1.x tests only a stored credential; 2.x tests on save).
		const test = async (apiKey) => {
			const data = { apiKey, baseUrl: sandbox.url, apiDialect: 'auto' };
			const { id } = await client.request('POST', '/credentials', { name: `Wistfare probe ${apiKey.slice(0, 8)}`, type: 'wistfareApi', data });
			return await client.request('POST', '/credentials/test', { credentials: { id, name: 'Wistfare probe', type: 'wistfareApi', data } });
		};
		sandbox.clearRequests();
		expect(await test(KEY)).toMatchObject({ status: 'OK' });
		expect(sandbox.requests).toHaveLength(1);
		sandbox.clearRequests();
		const refused = await test('sk_live_not_a_wistfare_key');
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/unknown format/);
		expect(sandbox.requests).toHaveLength(0);
	}));

test('"Pay a list of vendors" twice: three payouts, nobody paid twice', () =>
	withLog(async () => {
		const first = await setup.runManually(client, workflows['pay-vendors.json']);
		expect(first.status).toBe('success');
		const paid = setup.outputOf(first, 'Pay vendor');
		expect(paid.map((payout) => payout.referenceId)).toEqual(['INV-2026-001', 'INV-2026-002', 'INV-2026-003']);
		const again = await setup.runManually(client, workflows['pay-vendors.json']);
		expect(again.status).toBe('success');
		expect(setup.outputOf(again, 'Pay vendor').map((payout) => [payout.id, payout.duplicate])).toEqual(paid.map((payout) => [payout.id, true]));
		expect(sandbox.store.all()).toHaveLength(3);
		expect(sandbox.requestsFor('initiate')).toHaveLength(3);
	}));

test('the polling trigger, activated: one payout completed → exactly one execution, and none more on the next poll', () =>
	withLog(async () => {
		const { id } = workflows['react-to-outcomes.json'];
		sandbox.clearRequests();
		const scans = () => sandbox.requestsFor('list').filter((request) => !request.query.status && !request.query.referenceId).length;
		await setup.activate(client, id);
		for (const by = Date.now() + 90_000; scans() === 0 && Date.now() < by; ) await sleep(500);
		expect(scans()).toBeGreaterThanOrEqual(1);
		await sleep(1000);
		const target = sandbox.store.all().find((payout) => payout.referenceId === 'INV-2026-001');
		sandbox.store.setStatus(target.id, 'completed');
		let executions = [];
		for (const by = Date.now() + 150_000; executions.length === 0 && Date.now() < by; ) {
			await sleep(2000);
			executions = await setup.executionsOf(client, id);
		}
		expect(executions).toHaveLength(1);
		const execution = await setup.waitForExecution(client, executions[0].id);
		expect(setup.outputOf(execution, 'Payout completed or failed')).toEqual([expect.objectContaining({ id: target.id, status: 'completed', previousStatus: 'pending' })]);
		const seen = scans();
		for (const by = Date.now() + 90_000; scans() === seen && Date.now() < by; ) await sleep(1000);
		expect(scans()).toBeGreaterThan(seen);
		await sleep(3000);
		expect(await setup.executionsOf(client, id)).toHaveLength(1);
		await setup.deactivate(client, id);
	}));

test('the webhook trigger, activated: a forged call is refused; a delivery starts one execution', () =>
	withLog(async () => {
		const { id } = workflows['instant-outcomes.json'];
		const url = `${instance.n8n.url}/webhook/wistfare-instant-outcomes/wistfare`;
		sandbox.clearRequests();
		await setup.activate(client, id);
		for (const by = Date.now() + 60_000; sandbox.requestsFor('list').length === 0 && Date.now() < by; ) await sleep(250);
		await sleep(500);
		const target = sandbox.store.all().find((payout) => payout.referenceId === 'INV-2026-002');
		const [forged] = await sandbox.webhooks.send({ event: 'disbursement.completed', transaction_id: target.id }, { url, query: '?secret=guess', repeat: 1, atOnce: false, delayMs: 0 });
		expect(forged.status).toBe(403);
		sandbox.store.setStatus(target.id, 'failed');
		const [delivery] = await sandbox.webhooks.send({ event: 'disbursement.failed', transaction_id: target.id }, { url, query: '?secret=demo-webhook-secret', repeat: 1, atOnce: false, delayMs: 0 });
		expect(delivery.status).toBe(200);
		let executions = [];
		for (const by = Date.now() + 60_000; executions.length === 0 && Date.now() < by; ) {
			await sleep(500);
			executions = await setup.executionsOf(client, id);
		}
		await sleep(3000);
		executions = await setup.executionsOf(client, id);
		expect(executions).toHaveLength(1);
		const execution = await setup.waitForExecution(client, executions[0].id);
		expect(setup.outputOf(execution, 'Wistfare reports an outcome')).toEqual([expect.objectContaining({ id: target.id, status: 'failed' })]);
		await setup.deactivate(client, id);
	}));
