import { RequestGate } from '../../../nodes/Wistfare/transport/gate';
import { virtualClock } from '../../virtual-clock';

// The suite's clock is real time plus virtual waits; here real time stands still, so that each
// figure below comes from the gate alone.
beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-24T12:00:00.000Z')));
afterEach(() => jest.restoreAllMocks());

/** Sends `count` requests through the gate, one after another, each answered by `answer`. */
async function send(gate: RequestGate, count: number, answer: (at: number) => 'ok' | number = () => 'ok'): Promise<number[]> {
	const sentAt: number[] = [];
	for (let i = 0; i < count; i++) {
		await gate.acquire();
		const at = virtualClock.now();
		sentAt.push(at);
		gate.release();
		const outcome = answer(at);
		if (outcome === 'ok') gate.answered();
		else await virtualClock.sleep(gate.rateLimited({ retryAfterMs: outcome }));
	}
	return sentAt;
}
const rate = (sentAt: number[]) => (sentAt.length - 1) / ((sentAt[sentAt.length - 1] - sentAt[0]) / 1000);

test('not paced before the first 429; after it, just under what was accepted in the second before', async () => {
	const gate = new RequestGate(4, () => 0);
	const start = virtualClock.now();
	// 30 answered within a second, then a 429.
	for (let i = 0; i < 30; i++) {
		await gate.acquire();
		gate.release();
		virtualClock.offset += 30;
		gate.answered();
	}
	expect(virtualClock.now() - start).toBe(900);
	expect(gate.rateLimited({ retryAfterMs: 1000 })).toBe(1000);
	const paced = await send(gate, 11);
	expect(rate(paced)).toBeCloseTo(30 / 1.03, 0);
});

test('the refused request waits Retry-After plus at most 10% (50 ms at most) of jitter; the others go on', () => {
	const gate = new RequestGate(4, () => 0.999);
	gate.answered();
	const wait = gate.rateLimited({ retryAfterMs: 1000 });
	expect(wait).toBeGreaterThan(1049);
	expect(wait).toBeLessThanOrEqual(1050);
	expect(new RequestGate(4, () => 0.999).rateLimited({ retryAfterMs: 200 })).toBeCloseTo(220, 0);
});

test('an answer saying the window is used up (remaining 0) holds every request until its reset, without a 429', async () => {
	const gate = new RequestGate(4, () => 0);
	gate.answered({ remaining: 0, resetMs: 400 });
	const before = virtualClock.now();
	await gate.acquire();
	gate.release();
	expect(virtualClock.now() - before).toBeGreaterThanOrEqual(400);
});

test('left alone after a crowded second, the pace climbs back from 4/s to a limit of 40/s within 10 s', async () => {
	const gate = new RequestGate(4, () => 0);
	for (let i = 0; i < 4; i++) gate.answered();
	gate.rateLimited({ retryAfterMs: 0 });
	const start = virtualClock.now();
	const sentAt = await send(gate, 400, () => 'ok');
	const reached = sentAt.findIndex((at, i) => i >= 40 && (40 * 1000) / (at - sentAt[i - 40]) >= 38);
	expect(reached).toBeGreaterThan(0);
	expect(sentAt[reached] - start).toBeLessThan(10_000);
});

test('sharing a limit, each 429 cuts the pace and each quiet second grows it by a step that doubles', async () => {
	const gate = new RequestGate(4, () => 0);
	for (let i = 0; i < 10; i++) gate.answered();
	gate.rateLimited({ retryAfterMs: 0 });
	const first = rate(await send(gate, 10));
	virtualClock.offset += 1000;
	const second = rate(await send(gate, 10));
	expect(second).toBeGreaterThan(first);
	gate.rateLimited({ retryAfterMs: 0 });
	// Cut back to what was accepted in the last second.
	const third = rate(await send(gate, 5));
	expect(third).toBeLessThan(second);
});
