'use strict';
// n8n in queue mode: Redis, Postgres, a main instance (webhooks, triggers, polling) and two workers
// (executions), all on 127.0.0.1. Payouts stay single when a worker dies half-way and its requests
// are sent again, and the trigger neither misses nor repeats across a restart of main.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureRuntime, installPackage, startN8n, N8nClient } = require('./lib/n8n');
const { ensureServices, startRedis, startPostgres } = require('./lib/services');
const setup = require('./lib/setup');
const { Sandbox } = require('../sandbox/server');

const KEY = 'wf_test_queue_key';
const PORTS = { redis: 6390, postgres: 5440, main: 5760, workers: [5770, 5780] };
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wistfare-queue-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let redis;
let postgres;
let sandbox;
let main;
let client;
const workers = [];
let credentialId;
const figures = [];

function sharedEnv() {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(PORTS.redis),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(PORTS.postgres),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		// A dead worker's job is noticed in about 40 s instead of about 110 s.
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
	};
}

async function startMain() {
	const userFolder = path.join(base, 'main');
	installPackage(userFolder);
	main = await startN8n({ userFolder, port: PORTS.main, brokerPort: PORTS.main + 1, env: sharedEnv() });
	client = new N8nClient(main.url);
	await client.ownerSession(setup.OWNER);
}

async function startWorker(index) {
	const port = PORTS.workers[index];
	const userFolder = path.join(base, `worker-${index + 1}`);
	installPackage(userFolder);
	workers[index] = await startN8n({
		userFolder,
		port,
		brokerPort: port + 1,
		command: 'worker',
		env: { ...sharedEnv(), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
	});
}

/** Execution id → the worker (1 or 2) whose log says it started it. */
function executionsByWorker() {
	const owner = new Map();
	workers.forEach((worker, index) => {
		for (const match of (worker?.log() ?? '').matchAll(/Worker started execution (\d+)/g)) owner.set(match[1], index + 1);
	});
	return owner;
}

async function withLogs(test) {
	try {
		await test();
	} catch (error) {
		const tail = (handle, name) => `\n--- ${name} log ---\n${handle?.log().split('\n').slice(-40).join('\n') ?? '(not started)'}`;
		error.message += tail(main, 'main') + tail(workers[0], 'worker 1') + tail(workers[1], 'worker 2');
		throw error;
	}
}

function rows(prefix, count) {
	return Array.from({ length: count }, (_, i) => ({ ref: `${prefix}-${i}`, amount: String(100 + i), phone: `2507880${String(i).padStart(5, '0')}1` }));
}

/** POSTs batches to the webhook at once; resolves each to { status, body }. */
async function payBatches(batches) {
	return await Promise.all(
		batches.map(async (batch) => {
			const response = await fetch(`${main.url}/webhook/pay-vendors`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ rows: batch }),
			});
			const text = await response.text();
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
			return { status: response.status, body };
		}),
	);
}

const batchesOf = (prefix, count, size) => Array.from({ length: count }, (_, b) => rows(`${prefix}-b${b}`, size));
const payoutsWith = (prefix) => sandbox.store.all().filter((payout) => String(payout.referenceId).startsWith(prefix));

beforeAll(async () => {
	ensureRuntime();
	ensureServices();
	const started = Date.now();
	redis = await startRedis(PORTS.redis);
	postgres = await startPostgres(PORTS.postgres);
	sandbox = new Sandbox({ apiKeys: [KEY], autoAdvance: false });
	const sandboxUrl = await sandbox.start();
	await startMain();
	await startWorker(0);
	await startWorker(1);
	process.stdout.write(`queue mode up (redis, postgres, main, 2 workers) in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
	credentialId = await setup.ensureCredential(client, { apiKey: KEY, baseUrl: sandboxUrl });
	const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'pay-vendors-webhook.json'), 'utf8'));
	const payVendors = await setup.createWorkflow(client, fixture, credentialId);
	await setup.activate(client, payVendors.id);
}, 900_000);

afterAll(async () => {
	for (const worker of workers) await worker?.stop();
	await main?.stop();
	await sandbox?.stop();
	await postgres?.stop();
	await redis?.stop();
	fs.rmSync(base, { recursive: true, force: true });
	if (figures.length) process.stdout.write(`\nQueue-mode figures:\n${figures.join('\n')}\n`);
});

test('1. the trigger polls on main; each change fires once, executed by a worker', () =>
	withLogs(async () => {
		const payouts = ['q1', 'q2', 'q3'].map((ref) =>
			sandbox.store.create({ businessId: 'biz_demo', walletId: 'wal_demo', amount: '500', destinationType: 'mobile_money', destinationRef: '250788000001', referenceId: ref }),
		);
		const workflows = await setup.ensureExamples(client, credentialId);
		const trigger = workflows['react-to-outcomes.json'];
		sandbox.clearRequests();
		await setup.activate(client, trigger.id);
		const scans = () => sandbox.requestsFor('list').filter((request) => request.query.businessId === 'biz_demo' && !request.query.status).length;
		for (const deadline = Date.now() + 90_000; scans() === 0 && Date.now() < deadline; ) await sleep(500);
		expect(scans()).toBeGreaterThan(0);

		sandbox.store.setStatus(payouts[0].id, 'completed');
		sandbox.store.setStatus(payouts[1].id, 'failed');
		let executions = [];
		for (const deadline = Date.now() + 150_000; executions.length === 0 && Date.now() < deadline; await sleep(2000)) {
			executions = await setup.executionsOf(client, trigger.id);
		}
		expect(executions).toHaveLength(1);
		const execution = await setup.waitForExecution(client, executions[0].id);
		const events = setup.outputOf(execution, 'Payout completed or failed');
		expect(events.map((event) => [event.referenceId, event.previousStatus, event.status]).sort()).toEqual([
			['q1', 'pending', 'completed'],
			['q2', 'pending', 'failed'],
		]);
		await sleep(1000);
		expect([1, 2]).toContain(executionsByWorker().get(String(executions[0].id)));
		expect(main.log()).not.toContain(`Worker started execution ${executions[0].id}`);
		global.queueTrigger = { trigger, payouts, firstExecution: executions[0].id, scans };
	}));

test('2. ten webhook calls at once, 100 rows each: exactly 1,000 payouts, none doubled, both workers busy', () =>
	withLogs(async () => {
		const before = executionsByWorker();
		const started = Date.now();
		const responses = await payBatches(batchesOf('w', 10, 100));
		const seconds = (Date.now() - started) / 1000;
		expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
		expect(responses.flatMap((response) => response.body)).toHaveLength(1000);
		const paid = payoutsWith('w-');
		expect(paid).toHaveLength(1000);
		expect(new Set(paid.map((payout) => payout.referenceId)).size).toBe(1000);
		await sleep(1000);
		const ran = [...executionsByWorker()].filter(([id]) => !before.has(id)).map(([, worker]) => worker);
		expect(ran).toHaveLength(10);
		expect(new Set(ran)).toEqual(new Set([1, 2]));
		figures.push(`- 10 × 100 payouts, 2 workers, no rate limit: ${(1000 / seconds).toFixed(0)} payouts/s (${ran.filter((w) => w === 1).length}/${ran.filter((w) => w === 2).length} executions per worker)`);
	}));

test('3. a worker killed mid-batch: its executions end in error; re-sent, still exactly 1,000 payouts, none doubled', () =>
	withLogs(async () => {
		sandbox.latencyMs = 25; // long enough batches to kill a worker in the middle of them
		const batches = batchesOf('k', 10, 100);
		const before = executionsByWorker();
		const pending = payBatches(batches);
		// Kill worker 1 once it is paying and some payouts of this round exist.
		for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
			const mine = [...executionsByWorker()].filter(([id, worker]) => !before.has(id) && worker === 1);
			if (mine.length > 0 && payoutsWith('k-').length >= 150) break;
		}
		const killedRuns = [...executionsByWorker()].filter(([id, worker]) => !before.has(id) && worker === 1).map(([id]) => id);
		expect(killedRuns.length).toBeGreaterThan(0);
		workers[0].kill('SIGKILL');
		const paidBeforeKill = new Set(payoutsWith('k-').map((payout) => payout.referenceId));
		const responses = await pending;
		sandbox.latencyMs = 0;
		const failed = responses.map((response, index) => ({ ...response, index })).filter((response) => response.status !== 200);
		expect(failed.length).toBeGreaterThan(0);
		expect(payoutsWith('k-').length).toBeLessThan(1000);
		for (const id of killedRuns) {
			const execution = await client.request('GET', `/executions/${id}`);
			expect(['error', 'crashed']).toContain(execution.status);
		}
		// The caller sends the failed requests again, as a person or an error workflow would.
		const again = await payBatches(failed.map((response) => batches[response.index]));
		expect(again.map((response) => response.status)).toEqual(failed.map(() => 200));
		const paid = payoutsWith('k-');
		expect(paid).toHaveLength(1000);
		expect(new Set(paid.map((payout) => payout.referenceId)).size).toBe(1000);
		const resent = again.flatMap((response) => response.body);
		const existing = resent.filter((payout) => paidBeforeKill.has(payout.referenceId));
		expect(existing.length).toBeGreaterThan(0);
		expect(existing.every((payout) => payout.duplicate === true)).toBe(true);
		figures.push(`- worker killed mid-batch: ${failed.length} of 10 calls failed (HTTP ${failed[0].status}); re-sent: ${existing.length} rows came back as existing payouts, 0 doubled`);
		await startWorker(0);
	}));

test('4. main restarts between two polls: no trigger event missed or repeated', () =>
	withLogs(async () => {
		const { trigger, payouts } = global.queueTrigger;
		await main.stop();
		sandbox.store.setStatus(payouts[2].id, 'completed'); // changes while main is down
		sandbox.store.setStatus(payouts[0].id, 'refunded'); // not a status this trigger fires for
		await startMain();
		let executions = [];
		for (const deadline = Date.now() + 150_000; executions.length < 2 && Date.now() < deadline; await sleep(2000)) {
			executions = await setup.executionsOf(client, trigger.id);
		}
		expect(executions).toHaveLength(2);
		const latest = executions.find((execution) => String(execution.id) !== String(global.queueTrigger.firstExecution));
		const events = setup.outputOf(await setup.waitForExecution(client, latest.id), 'Payout completed or failed');
		expect(events.map((event) => [event.referenceId, event.previousStatus, event.status])).toEqual([['q3', 'pending', 'completed']]);
		// One more poll with nothing new: still two executions.
		const seen = global.queueTrigger.scans();
		for (const deadline = Date.now() + 90_000; global.queueTrigger.scans() === seen && Date.now() < deadline; ) await sleep(1000);
		await sleep(3000);
		expect(await setup.executionsOf(client, trigger.id)).toHaveLength(2);
	}));

test('5. measured: payouts per second and the share of the rate limit used, on each kind of limiter, with 2 and 1 workers', () =>
	withLogs(async () => {
		sandbox.rateLimit = 40;
		sandbox.latencyMs = 20;
		// Every limiter the contract names (docs/wistfare-api.md), with two workers; then the fixed window with one.
		const runs = [
			[2, 'fixed window', { rateLimitKind: 'fixed' }],
			[2, 'sliding window', { rateLimitKind: 'sliding' }],
			[2, 'token bucket (burst 20)', { rateLimitKind: 'bucket', rateLimitBurst: 20 }],
			[1, 'fixed window', { rateLimitKind: 'fixed' }],
		];
		for (const [count, kind, limiter] of runs) {
			if (count === 1 && workers[1]) await workers[1].stop();
			Object.assign(sandbox, { rateLimitBurst: 0 }, limiter);
			const prefix = `r${count}${limiter.rateLimitKind}`;
			const batches = batchesOf(prefix, 10, 50);
			const started = Date.now();
			let responses = await payBatches(batches);
			let resends = 0;
			while (responses.some((response) => response.status !== 200) && resends < 3) {
				resends++;
				const failed = responses.map((response, index) => [response, index]).filter(([response]) => response.status !== 200);
				const again = await payBatches(failed.map(([, index]) => batches[index]));
				failed.forEach(([, index], i) => (responses[index] = again[i]));
			}
			const ended = Date.now();
			const seconds = (ended - started) / 1000;
			const paid = payoutsWith(`${prefix}-`);
			expect(paid).toHaveLength(500);
			expect(new Set(paid.map((payout) => payout.referenceId)).size).toBe(500);
			// What the account's limit was used for: every answered request in the run, whoever sent it.
			const during = sandbox.requests.filter((request) => request.at >= started && request.at <= ended);
			const limited = during.filter((request) => request.status === 429).length;
			const share = (during.length - limited) / seconds / sandbox.rateLimit;
			figures.push(
				`- 10 × 50 payouts, ${count} worker${count > 1 ? 's' : ''}, sandbox limit 40 requests/s (${kind}), 20 ms latency: ${(500 / seconds).toFixed(1)} payouts/s, useful requests ${share.toFixed(2)} of R, ${limited} 429s, ${(during.length / 500).toFixed(2)} requests a payout (${seconds.toFixed(1)} s; calls re-sent: ${resends ? 'yes' : 'no'})`,
			);
		}
		Object.assign(sandbox, { rateLimitKind: 'fixed', rateLimitBurst: 0 });
		sandbox.rateLimit = 0;
		sandbox.latencyMs = 0;
	}));
