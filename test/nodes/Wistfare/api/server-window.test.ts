import { heldFor, ServerWindow } from '../../../../nodes/Wistfare/api/server-window';

/** A fixed random sequence, so that parts rounded at random come out the same every run. */
function seeded(seed = 1): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

/** A window shown to refill at its reset only: in three windows before t = 0, a request sent after it was used up was refused before its reset. */
function refillingAtReset(random: () => number = () => 0): ServerWindow {
	const window = new ServerWindow(random);
	for (let at = -4000; at < -1000; at += 1000) {
		window.usedUp(at, 900);
		window.refused(at + 300, at + 260, 600);
	}
	return window;
}

describe('one execution', () => {
	/** A window of 40 until t = 1000, a quarter of whose use is this execution's, seen over 250 ms. */
	function quarterShare(): ServerWindow {
		const window = refillingAtReset();
		window.answered(0, 40, 1000, 0, 0);
		window.answered(50, 36, 950, 0, 30); // 4 used since, 1 of them ours
		window.answered(250, 32, 750, 0, 230); // 8 used, 2 ours; the reset stayed put for 250 ms
		return window;
	}

	test('sends its share of what is left (less a margin), then holds until the reset', () => {
		const window = quarterShare();
		// 32 left × a quarter × 0.8 = 6.4: 6.
		for (let sent = 0; sent < 6; sent++) {
			expect(window.heldUntil(260)).toBe(0);
			window.sent(260);
		}
		expect(window.heldUntil(270)).toBe(1000);
		expect(window.heldUntil(999)).toBe(1000);
	});

	test('at the reset, before an answer of the new window, it sends its share of a whole window, then holds', () => {
		const window = quarterShare();
		for (let sent = 0; sent < 6; sent++) window.sent(260);
		// 41 (the most the window held) × a quarter × 0.8 = 8.2: 8, until the next reset a window later.
		for (let sent = 0; sent < 8; sent++) {
			expect(window.heldUntil(1000)).toBe(0);
			window.sent(1000);
		}
		expect(window.heldUntil(1001)).toBe(2000);
	});

	test('each answer gives the part again from what is left, counting its requests still out', () => {
		const window = quarterShare();
		window.answered(300, 12, 700, 2, 270); // 28 used, 3 ours: 12 × 3/28 × 0.8 = 1.03: 1, with 2 out: none
		expect(window.heldUntil(300)).toBe(1000);
	});

	test('a reset given as whole seconds from now, not a moment that stays put, holds nothing', () => {
		const window = refillingAtReset();
		for (let at = 0; at < 3000; at += 150) {
			window.answered(at, 40 - ((at / 150) % 40), 1000, 0, at);
			window.sent(at);
			expect(window.heldUntil(at)).toBe(0);
		}
	});

	test('a remaining that grows before the reset (a sliding window, a bucket) turns its window headers off: no part, no hold', () => {
		const window = quarterShare();
		window.answered(260, 31, 740, 0, 250);
		expect(window.refills).toBe(false);
		// Sent after the last answer, answered before the same reset, with more left: freed meanwhile.
		window.answered(280, 33, 720, 0, 261);
		expect(window.refills).toBe(true);
		for (let sent = 0; sent < 40; sent++) window.sent(300);
		expect(window.heldUntil(300)).toBe(0);
	});

	test('more left on an answer to a request sent before the last answer came (answers out of order) says nothing', () => {
		const window = quarterShare();
		window.answered(260, 31, 740, 0, 250);
		window.answered(280, 33, 720, 0, 240);
		expect(window.refills).toBe(false);
	});

	test('a used-up window holds a quarter second, until requests sent after it were refused before its reset in three windows', () => {
		const window = new ServerWindow(() => 0);
		for (let at = 0; at < 3000; at += 1000) {
			expect(window.usedUp(at, 900)).toBe(250);
			window.refused(at + 300, at + 260, 600);
		}
		expect(window.usedUp(3000, 900)).toBe(900);
		// A reset of one to two seconds may be a one-second window's rounded up: a second at most.
		expect(heldFor(1800)).toBe(1000);
		expect(heldFor(3000)).toBe(3000);
	});

	test('a window that refills as it goes (sliding, or a bucket: no reset ahead) holds nothing', () => {
		const window = new ServerWindow(() => 0);
		for (let at = 0; at < 1000; at += 10) {
			expect(window.answered(at, 3, 0, 0, at)).toBe(0);
			window.sent(at);
			expect(window.heldUntil(at)).toBe(0);
		}
	});
});

/**
 * Executions sharing a fixed window of `limit` a second, each sending every `everyMs` while its
 * part lasts, answers at once. A refused request holds its execution until the reset (the gate
 * does that with headers). `alone` from that window on only the first execution sends.
 */
function share(executions: number, { limit = 40, everyMs = 5, windows = 20, alone = Infinity } = {}) {
	const random = seeded();
	const parties = Array.from({ length: executions }, () => ({ window: refillingAtReset(random), until: 0 }));
	const accepted: number[] = new Array(windows).fill(0);
	const refused: number[] = new Array(windows).fill(0);
	for (let now = 0; now < windows * 1000; now++) {
		const index = Math.floor(now / 1000);
		const resetMs = (index + 1) * 1000 - now;
		parties.forEach((party, e) => {
			if ((now + e) % everyMs !== 0 || (index >= alone && e > 0)) return;
			if (now < party.until || party.window.heldUntil(now) > now) return;
			party.window.sent(now);
			if (accepted[index] >= limit) {
				refused[index]++;
				party.until = now + resetMs;
				return;
			}
			accepted[index]++;
			party.window.answered(now, limit - accepted[index], resetMs, 0, now);
		});
	}
	return { accepted, refused };
}

test('until the window showed it refills at its reset only, no part is given and nothing held: a sliding window or a bucket would free requests before the reset', () => {
	const window = new ServerWindow(() => 0);
	window.answered(0, 40, 1000, 0, 0);
	window.answered(50, 36, 950, 0, 30);
	window.answered(250, 32, 750, 0, 230);
	for (let sent = 0; sent < 20; sent++) window.sent(260);
	expect(window.heldUntil(270)).toBe(0);
	// Nor is the spare of a window the account would leave unused given.
	expect(window.answered(300, 31, 700, 0, 270)).toBe(0);
});

test('executions that each take their share use a fixed window to its end, refused less than half as often as without shares', () => {
	for (const executions of [4, 10]) {
		const { accepted, refused } = share(executions);
		// Without shares each execution sends until it is refused: one 429 each a window.
		const settled = refused.slice(3);
		expect(settled.reduce((sum, count) => sum + count, 0) / settled.length).toBeLessThan(executions / 2);
		for (const count of accepted.slice(3)) expect(count).toBeGreaterThanOrEqual(38);
	}
});

test('an execution left alone after a crowded window uses the whole window again within two windows', () => {
	const { accepted } = share(10, { alone: 5, windows: 10 });
	for (const count of accepted.slice(7)) expect(count).toBeGreaterThanOrEqual(38);
});
