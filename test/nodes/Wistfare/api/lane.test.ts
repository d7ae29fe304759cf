import { RequestGate } from '../../../../nodes/Wistfare/api/gate';
import { Lane } from '../../../../nodes/Wistfare/api/lane';
import { virtualClock } from '../../../virtual-clock';

// Real time stands still: each figure comes from the gate and its lanes alone.
beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-03T12:00:00.000Z')));
afterEach(() => jest.restoreAllMocks());

const turns = async () => {
	for (let turn = 0; turn < 20; turn++) await Promise.resolve();
};

test('each lane bounds its own requests in flight; a place freed in one lane goes to that lane\'s next request', async () => {
	const shared = new RequestGate(Infinity, () => 0);
	const [a, b] = [new Lane(shared, 1), new Lane(shared, 1)];
	await a.acquire();
	let second = false;
	const aSecond = a.acquire().then(() => (second = true));
	await turns();
	expect(second).toBe(false);
	// b has its own place: not held back by a's.
	await b.acquire();
	a.release();
	await aSecond;
	expect(second).toBe(true);
});

test('a 429 heard in one lane paces the others: they share the account\'s pace', async () => {
	const shared = new RequestGate(Infinity, () => 0);
	const [a, b] = [new Lane(shared, 4), new Lane(shared, 4)];
	// 20 accepted within a second through a, then a 429: the pace is set just under 20/s.
	for (let i = 0; i < 20; i++) {
		await a.acquire();
		a.release();
		virtualClock.offset += 50;
		a.answered();
	}
	const sentAt = await a.acquire();
	a.release();
	const refused = a.refused({ retryAfterMs: 1000 }, undefined, sentAt);
	// b sends twice: the second waits a paced interval (about 1/20 s), though b never saw a 429.
	await b.acquire();
	b.release();
	const before = virtualClock.now();
	await b.acquire();
	b.release();
	b.answered();
	await refused;
	expect(virtualClock.now() - before).toBeGreaterThanOrEqual(45);
});

test('a request waiting for its lane\'s place counts as pending: refused requests do not probe while it waits', async () => {
	const shared = new RequestGate(Infinity, () => 0);
	const lane = new Lane(shared, 2);
	shared.answered();
	const [one, two] = [await lane.acquire(), await lane.acquire()];
	const third = lane.acquire();
	// Both refused; the third has not had its place yet. A probe would wait a quarter of the second.
	lane.release();
	const firstRefused = shared.refused({ retryAfterMs: 1000 }, undefined, one);
	lane.release();
	const before = virtualClock.offset;
	const secondRefused = shared.refused({ retryAfterMs: 1000 }, undefined, two);
	expect(virtualClock.offset - before).toBe(1000);
	await Promise.all([firstRefused, secondRefused, third]);
	lane.release();
});
