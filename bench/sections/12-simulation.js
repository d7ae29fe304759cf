'use strict';
const path = require('node:path');

const { dist, table, spread } = require('../lib');
const { simulate, scenarios, target } = require('../simulation');

const SEEDS = Number(process.env.BENCH_SEEDS) || 5;

/** The built package's request loop, pace and clock, for the simulation. */
function code() {
	const api = (file) => require(path.join(dist, 'nodes/Wistfare/api', file));
	return { wistfareRequest: api('request').wistfareRequest, AccountPace: api('pace').AccountPace, ExecutionLimit: api('pace').ExecutionLimit, clock: api('clock').clock };
}

/** Pacing on a virtual clock (bench/simulation.js): every limiter, with and without headers, several seeds. */
async function simulation() {
	const rows = [];
	const long = ['fixed', 'sliding', 'bucket'].map((kind) => ({ kind, headers: false, executions: 1, apart: false, rate: 20, latencyMs: 50, rows: 1000, long: true }));
	for (const scenario of [...scenarios(), ...long]) {
		const results = [];
		for (let seed = 1; seed <= SEEDS; seed++) results.push(await simulate(code(), { ...scenario, seed }));
		const goal = target(scenario);
		const shares = results.map((r) => r.share);
		rows.push([
			`${scenario.kind}${scenario.headers ? `, ${scenario.headers} headers` : ''}${scenario.long ? ' (as section 2: R = 20, latency 50 ms, 1,000 rows)' : ''}`,
			scenario.executions === 1 ? 1 : `${scenario.executions}, ${scenario.processes ? `on ${scenario.processes} workers` : scenario.apart ? 'apart' : 'one process'}`,
			`${spread(shares)} (mean ${(shares.reduce((sum, share) => sum + share, 0) / shares.length).toFixed(2)})`,
			results.every((r) => r.share >= goal.share) ? 'yes' : 'NO',
			spread(results.map((r) => r.refused), 0),
			spread(results.map((r) => r.perPayout)),
			spread(results.map((r) => r.seconds), 1),
			results.reduce((sum, r) => sum + r.lost, 0),
			results.reduce((sum, r) => sum + r.doubled, 0),
		]);
	}
	return table(
		`12. Pacing simulated (bench/simulation.js, the package's request loop and pace on a virtual clock against the sandbox's limiters): limit R = 40 requests/s, latency 20 ms, 100 POSTs an execution, Concurrency 4, ${SEEDS} seeds each (min – max). Rate-limit headers are not read: their rows match the rows without`,
		['limiter', 'executions', 'share of R', 'target met by every seed (≥ 0.9 alone, ≥ 0.85 shared)', '429s', 'requests / payout', 'simulated seconds', 'lost', 'doubled'],
		rows,
	);
}

module.exports = { name: 'simulation', run: simulation };
