import { MAX_RATE_LIMIT_RETRIES } from '../../../../nodes/Wistfare/api/request';
import { eventsOf, restartSandbox, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

// A small deterministic PRNG (the simulation's), so that a failing soak can be replayed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seeded: prng } = require('../../../../bench/simulation') as { seeded: (seed: number) => () => number };

const NEXT: Record<string, string[]> = {
	pending: ['processing', 'completed', 'failed', 'under_review'],
	processing: ['completed', 'failed'],
	under_review: ['processing'],
	completed: ['refunded'],
};

/**
 * 150 polls against one server behaviour, seconds to days apart, with random payouts, status
 * changes, faults, restarts and pages shifting under the reader: every change fires once, none twice. Each behaviour set has a
 * test file of its own, so that the two run side by side.
 */
export function soak(name: string, behaviour: Record<string, unknown>, maxLagMs: number): void {
	const handle = useSandbox();
	test(`soak, 150 polls with random faults, restarts and page shifts: 0 missed, 0 duplicate; ${name}`, async () => {
		await restartSandbox(handle, behaviour);
		const SEED = 20261123;
		const random = prng(SEED);
		const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
		const { sandbox } = handle;
		const history = new Map<string, string[]>();
		let refs = 0;
		// A tie with the newest payout while that one is a few seconds old: a payout's createdAt is when its request started.
		const tieTime = () => {
			const newest = sandbox.store.ordered[0]?.createdAtMs;
			return newest !== undefined && sandbox.store.now() - newest < 10_000 ? newest : sandbox.store.now();
		};
		const create = (count: number, sameTime: boolean, at = sameTime ? tieTime() : sandbox.store.now()) => {
			// Some payouts commit late: listed a while after their createdAt.
			const lag = random() < 0.3 ? Math.floor(random() * maxLagMs) : 0;
			for (let i = 0; i < count; i++) {
				const record = sandbox.store.create(
					{
						businessId: 'biz_123',
						walletId: 'wal_456',
						amount: '100',
						destinationType: 'mobile_money',
						destinationRef: '250788000001',
						referenceId: `soak_${++refs}`,
					},
					at,
				);
				// Listed at most `maxLagMs` after its createdAt (the trigger's window is 10 minutes), never in the past.
				if (lag) (record as { visibleAtMs?: number }).visibleAtMs = Math.max(sandbox.store.now(), at + lag);
				history.set(record.id, ['pending']);
			}
		};
		const change = () => {
			const movable = sandbox.store.ordered.filter((record: { status: string }) => NEXT[record.status]);
			if (!movable.length) return;
			const record = pick(movable);
			const status = pick(NEXT[record.status]);
			sandbox.store.setStatus(record.id, status);
			history.get(record.id)!.push(status);
		};

		// History from an hour ago: its payouts in flight are far under the cursor, found only by status lists and GETs.
		const lagging = maxLagMs;
		maxLagMs = 0; // the history is long listed
		for (let i = 0; i < 40; i++) create(1, false, sandbox.store.now() - 3600_000 + i * 1000);
		maxLagMs = lagging;
		for (let i = 0; i < 30; i++) change();
		// Watched long enough that a refund days later still counts as a change to fire.
		const poller = triggerPoller(handle, { businessId: 'biz_123', options: { watchRefundsDays: 60 } });
		expect(await poller.poll()).toBeNull();
		// Completed payouts older than the newest page are watched once the activation's walk reaches them
		// (a poll or two): a refund before that is not seen as a change (README, Wistfare Trigger, Cost).
		for (let i = 0; i < 5 && poller.snapshot()['node:Wistfare Trigger'].state.backfill; i++) expect(await poller.poll()).toBeNull();
		const atBaseline = new Map(sandbox.store.all().map((record: { id: string; status: string }) => [record.id, record.status]));

		const events: Array<Record<string, unknown>> = [];
		const counts = { polls: 0, failed: 0, restarts: 0, shifted: 0, slowFaults: 0, longGaps: 0 };
		const originalRoute = sandbox.route.bind(sandbox);
		// Time between polls: mostly n8n's every 20 seconds, sometimes minutes, hours or days (slow Poll
		// Times, n8n down); payouts are created and change during every gap.
		const gap = () => {
			const roll = random();
			if (roll < 0.7) return 20_000;
			if (roll < 0.85) return 60_000 + Math.floor(random() * 59 * 60_000);
			if (roll < 0.95) return 3600_000 + Math.floor(random() * 23 * 3600_000);
			return 86_400_000 + Math.floor(random() * 2 * 86_400_000);
		};
		for (let round = 0; round < 150; round++) {
			const elapsed = gap();
			counts.longGaps += elapsed >= 3600_000 ? 1 : 0;
			virtualClock.offset += elapsed;
			const roll = random();
			if (roll < 0.25) create(1 + Math.floor(random() * 4), random() < 0.4);
			const changes = Math.floor(random() * 4);
			for (let i = 0; i < changes; i++) change();
			if (random() < 0.04) {
				poller.restart();
				counts.restarts++;
			}
			const fault = random();
			// One 429 more than a request waits out: the poll fails.
			if (fault < 0.06) sandbox.inject('list', { type: 'status', status: 429, retryAfter: 0, skip: Math.floor(random() * 3), times: MAX_RATE_LIMIT_RETRIES + 1 });
			else if (fault < 0.07 && counts.slowFaults < 4) {
				counts.slowFaults++;
				sandbox.inject(pick(['list', 'get']), { type: pick(['drop', 'status']), status: 502, skip: Math.floor(random() * 2), times: 3 });
			} else if (fault < 0.1) sandbox.inject('list', { type: 'status', status: 500, retryAfter: 0, skip: 1 });
			if (random() < 0.1) {
				counts.shifted++;
				let inserted = 0;
				sandbox.route = (method: string, url: URL, body: unknown, route: string) => {
					if (route === 'GET /v1/disbursements' && inserted < 2) {
						create(2, random() < 0.5);
						inserted++;
						if (random() < 0.5) change();
					}
					return originalRoute(method, url, body, route);
				};
			}
			try {
				counts.polls++;
				events.push(...(eventsOf(await poller.poll()) ?? []));
			} catch {
				counts.failed++;
			} finally {
				sandbox.route = originalRoute;
				sandbox.clearFaults();
			}
		}
		// Every late payout is listed by now.
		virtualClock.offset += maxLagMs + 60_000;
		for (let i = 0; i < 2; i++) events.push(...(eventsOf(await poller.poll()) ?? []));

		const pairs = events.map((event) => `${event.id}:${event.status}`);
		const duplicates = pairs.filter((pair, index) => pairs.indexOf(pair) !== index);
		const missed: string[] = [];
		for (const record of sandbox.store.all() as Array<{ id: string; status: string }>) {
			const changed = atBaseline.get(record.id) !== record.status;
			const fired = events.filter((event) => event.id === record.id).map((event) => event.status);
			if (changed && !fired.includes(record.status)) missed.push(`${record.id}:${record.status}`);
			if (!changed && fired.length) missed.push(`${record.id}: fired without a change`);
			for (const status of fired) expect(history.get(record.id)).toContain(status);
		}
		expect({ duplicates, missed }).toEqual({ duplicates: [], missed: [] });
		expect(counts.failed).toBeGreaterThan(5);
		expect(counts.restarts).toBeGreaterThan(1);
		expect(counts.shifted).toBeGreaterThan(8);
		expect(counts.longGaps).toBeGreaterThan(10);
		expect(events.length).toBeGreaterThan(100);
		// Every path of the poll was taken: the scan, status lists and GETs of payouts that left them.
		const statusLists = sandbox.requestsFor('list').filter((request) => request.understood?.status);
		expect(statusLists.length).toBeGreaterThan(20);
		expect(sandbox.requestsFor('get').length).toBeGreaterThan(10);
	}, 120_000);
}
