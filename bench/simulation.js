'use strict';
// Pacing on a virtual clock: executions paying rows through the package's real request loop and pace
// (api/request.ts, api/pace.ts) against the sandbox's own limiters (sandbox/limiter.js), with the
// sandbox's headers. Seconds of traffic take milliseconds, and a seed gives the same figures every
// run, so a change to the pace is judged here first, then on the real bench (section 6).
// Used by bench section 12 (with dist/) and by test/nodes/Wistfare/api/pace.test.ts (with the sources).
const { Limiter, rateLimitHeaders } = require('../sandbox/limiter');

/** A clock whose waits end in order of their ends, each as soon as nothing else can run. */
function virtualTime() {
	let now = 0;
	let sequence = 0;
	/** @type {Array<{ at: number, seq: number, wake: (value?: unknown) => void }>} sorted by end */
	const timers = [];
	const clock = {
		now: () => now,
		sleep: (ms) =>
			new Promise((wake) => {
				const timer = { at: now + Math.max(0, ms), seq: sequence++, wake };
				let i = timers.length;
				while (i > 0 && timers[i - 1].at > timer.at) i--;
				timers.splice(i, 0, timer);
			}),
	};
	/** Runs until `done` settles: each turn lets every promise settle, then ends the next wait. */
	async function run(done) {
		let settled = false;
		done.finally(() => (settled = true)).catch(() => {});
		while (!settled) {
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) break;
			const timer = timers.shift();
			if (!timer) throw new Error('simulation: every request waits and no wait ends');
			now = timer.at;
			timer.wake();
		}
		return await done;
	}
	return { clock, run };
}

/** A seeded random in [0, 1) (mulberry32): the same run for the same seed. */
function seeded(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * One scenario: `executions` at once, each paying `rows` rows `concurrency` at a time, sharing one
 * pace (one process), each with its own (`apart`), or spread over `processes` (queue-mode workers,
 * each with one pace for its executions), against a limiter of `rate`
 * requests/s of `kind` ('fixed', 'sliding', 'bucket' with burst rate/2), `headers` false/'x'/'ietf',
 * each request answered `latencyMs` (±10%) after it was sent, the package's waits ending up to
 * `lateMs` late.
 * @param {{ wistfareRequest: Function, AccountPace: any, ExecutionLimit: any, clock: { now: () => number, sleep: Function } }} code
 */
async function simulate(code, scenario) {
	const { kind = 'fixed', headers = false, executions = 1, apart = false, rate = 40, latencyMs = 20, rows = 100, concurrency = 4, seed = 1, lateMs = 2 } = scenario;
	// Processes (n8n workers), each with one pace its executions share: apart, one per execution.
	const processes = scenario.processes ?? (apart ? executions : 1);
	const random = seeded(seed);
	const time = virtualTime();
	const limiter = new Limiter({ rate, kind, burst: kind === 'bucket' ? rate / 2 : undefined });
	const accepted = new Map();
	const counts = { requests: 0, refused: 0, lost: 0 };
	const server = async (options) => {
		await time.clock.sleep(latencyMs * (0.9 + 0.2 * random()));
		counts.requests++;
		const verdict = limiter.take(time.clock.now());
		const answer = rateLimitHeaders(verdict, time.clock.now(), headers);
		if (!verdict.allowed) {
			counts.refused++;
			return { statusCode: 429, headers: answer, body: { error: { code: 'rate_limit', message: 'Too many requests' } } };
		}
		accepted.set(options.body.referenceId, (accepted.get(options.body.referenceId) ?? 0) + 1);
		return { statusCode: 201, headers: answer, body: { id: `d_${options.body.referenceId}` } };
	};
	const context = {
		getNode: () => ({ id: 'sim', name: 'Wistfare', type: 'wistfare', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => ({ apiKey: 'wf_test_simulation', baseUrl: 'http://127.0.0.1:1', apiDialect: 'camel' }),
		helpers: { httpRequestWithAuthentication: async (_type, options) => await server(options) },
	};
	const paces = Array.from({ length: processes }, () => new code.AccountPace(Infinity, random));
	const pay = async (execution) => {
		const pacing = new code.ExecutionLimit(paces[execution % processes], concurrency);
		const session = { pacing };
		let next = 0;
		const worker = async () => {
			while (next < rows) {
				const referenceId = `E${execution}-${next++}`;
				const body = { businessId: 'biz_sim', walletId: 'wal_sim', amount: '100', referenceId };
				await code.wistfareRequest.call(context, { method: 'POST', path: '/v1/disbursements', body, session }).catch(() => counts.lost++);
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		return time.clock.now();
	};
	const saved = { now: code.clock.now, sleep: code.clock.sleep };
	// The package's own waits end up to `lateMs` late, as timers on a busy event loop do.
	Object.assign(code.clock, { now: time.clock.now, sleep: (ms) => time.clock.sleep(ms + lateMs * random()) });
	try {
		const ends = await time.run(Promise.all(Array.from({ length: executions }, (_, e) => pay(e))));
		const seconds = Math.max(...ends) / 1000;
		const payouts = executions * rows;
		return {
			seconds,
			share: (counts.requests - counts.refused) / seconds / rate,
			refused: counts.refused,
			perPayout: counts.requests / payouts,
			lost: counts.lost,
			doubled: [...accepted.values()].reduce((sum, n) => sum + n - 1, 0),
			paid: accepted.size,
		};
	} finally {
		Object.assign(code.clock, saved);
	}
}

/** Every limiter, with and without headers; 1, 4 and 10 executions in one process, apart, and ten on two workers. */
function scenarios() {
	const out = [];
	for (const kind of ['fixed', 'sliding', 'bucket'])
		for (const headers of [false, 'x'])
			for (const [executions, apart, processes] of [
				[1, false],
				[4, false],
				[10, false],
				[4, true],
				[10, true],
				// As the queue-mode e2e runs them: ten executions on two workers.
				[10, true, 2],
			])
				out.push({ kind, headers, executions, apart, ...(processes ? { processes } : {}) });
	return out;
}

/**
 * What a scenario should reach: `share` of R (0.9 alone, 0.85 shared), and nothing lost or paid twice;
 * `floor`, what this pacing promises in every run (README): executions apart, each finding its share
 * alone, can fall to 0.8 of R; the others stay within 0.02 of their share.
 */
function target(scenario) {
	const share = scenario.executions === 1 ? 0.9 : 0.85;
	return { share, floor: scenario.apart ? 0.8 : share - 0.02, lost: 0, doubled: 0 };
}

module.exports = { simulate, scenarios, target, virtualTime, seeded };
