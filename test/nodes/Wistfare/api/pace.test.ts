import { clock } from '../../../../nodes/Wistfare/api/clock';
import { AccountPace, ExecutionLimit } from '../../../../nodes/Wistfare/api/pace';
import { wistfareRequest } from '../../../../nodes/Wistfare/api/request';

// Pacing is judged by what it achieves, through the simulation the bench uses (bench/simulation.js):
// the package's request loop and pace, on a virtual clock, against the sandbox's limiters.
interface Scenario {
	kind?: 'fixed' | 'sliding' | 'bucket';
	headers?: false | 'x' | 'ietf';
	executions?: number;
	apart?: boolean;
	processes?: number;
	rate?: number;
	latencyMs?: number;
	rows?: number;
	concurrency?: number;
	seed?: number;
}
interface Outcome {
	seconds: number;
	share: number;
	refused: number;
	perPayout: number;
	lost: number;
	doubled: number;
	paid: number;
}
interface Simulation {
	simulate(code: object, scenario: Scenario): Promise<Outcome>;
	scenarios(): Array<Required<Pick<Scenario, 'kind' | 'headers' | 'executions' | 'apart'>> & Pick<Scenario, 'processes'>>;
	target(scenario: Scenario): { share: number; floor: number };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { simulate, scenarios, target } = require('../../../../bench/simulation') as Simulation;

const code = { wistfareRequest, AccountPace, ExecutionLimit, clock };
const run = async (scenario: Scenario) => await simulate(code, scenario);
const SEEDS = [1, 2, 3, 4, 5];
const name = (s: Scenario) =>
	`${s.kind}${s.headers ? ` with ${s.headers} headers` : ''}, ${s.executions} execution(s)${s.executions === 1 ? '' : s.processes ? ` on ${s.processes} workers` : s.apart ? ' apart' : ' in one process'}`;

describe('pacing outcomes on every limiter', () => {
	test.each(scenarios().filter((scenario) => !scenario.headers).map((scenario) => [name(scenario), scenario] as const))('%s', async (_name, scenario) => {
		const outcomes = [];
		for (const seed of SEEDS) outcomes.push(await run({ ...scenario, seed }));
		const payouts = scenario.executions * 100;
		for (const outcome of outcomes) {
			expect(outcome.lost).toBe(0);
			expect(outcome.doubled).toBe(0);
			expect(outcome.paid).toBe(payouts);
			// Executions apart each find their share by their own 429s; in one process they share what one found.
			expect(outcome.refused / payouts).toBeLessThanOrEqual(scenario.apart ? 0.3 : 0.1);
		}
		const shares = outcomes.map((outcome) => outcome.share);
		const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
		// Every seed at least what the README promises; in one process the target on average too.
		// Executions apart fall short of it in some runs (bench/RESULTS.md, sections 6 and 12).
		const { share, floor } = target(scenario);
		expect(Math.min(...shares)).toBeGreaterThanOrEqual(floor);
		expect(mean).toBeGreaterThanOrEqual(scenario.apart ? floor + 0.04 : share);
	});
});

describe('pacing outcomes that do not depend on the limiter', () => {
	test('rate-limit headers other than Retry-After change nothing', async () => {
		for (const kind of ['fixed', 'sliding', 'bucket'] as const) {
			const scenario = { kind, executions: 4, apart: true, seed: 3 };
			const [without, x, ietf] = [await run(scenario), await run({ ...scenario, headers: 'x' }), await run({ ...scenario, headers: 'ietf' })];
			expect(x).toEqual(without);
			expect(ietf).toEqual(without);
		}
	});

	test('a server that never refuses is never slowed: Concurrency alone bounds the sending', async () => {
		const outcome = await run({ rate: 100_000, latencyMs: 20, rows: 200, concurrency: 4 });
		expect(outcome.refused).toBe(0);
		// 200 rows, 4 at a time, 20 ms (±10%) each: 50 rounds of about 20 ms.
		expect(outcome.seconds).toBeLessThan(1.15);
	});

	test('a first 429 before anything was accepted sets no pace: the requests after it are not held', async () => {
		const pace = new AccountPace(4, () => 0);
		const sentAt = await pace.acquire();
		pace.release();
		await pace.refused(1000, sentAt);
		const before = clock.now();
		for (let i = 0; i < 5; i++) {
			const at = await pace.acquire();
			pace.release();
			pace.answered(at);
		}
		// Paced at "what was accepted in the second before" (nothing: one a second) they would take 4 s.
		expect(clock.now() - before).toBeLessThan(100);
	});

	test('a long steady batch stays under the limit: few 429s, whatever the limiter', async () => {
		for (const kind of ['fixed', 'sliding', 'bucket'] as const) {
			const outcome = await run({ kind, rate: 20, latencyMs: 50, rows: 1000 });
			expect(outcome.share).toBeGreaterThanOrEqual(0.9);
			expect(outcome.refused).toBeLessThanOrEqual(35);
			expect(outcome.lost + outcome.doubled).toBe(0);
		}
	});

});
