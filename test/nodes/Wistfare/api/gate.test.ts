import { RequestGate } from '../../../../nodes/Wistfare/api/gate';
import { virtualClock } from '../../../virtual-clock';

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
/**
 * Shows the gate a window that refills at its reset only: in three windows of 40, a request sent
 * after the window was used up was refused before its reset. Ends a second after the last of them.
 */
async function refillsAtReset(gate: RequestGate): Promise<void> {
	for (let window = 0; window < 3; window++) {
		for (let i = 0; i < 39; i++) gate.answered();
		gate.answered({ remaining: 0, resetMs: 900 });
		const sentAt = await gate.acquire();
		gate.release();
		await gate.refused({ remaining: 0, resetMs: 500, retryAfterMs: 1000 }, undefined, sentAt);
		virtualClock.offset += 1000;
	}
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

test('an answer saying the window is used up (remaining 0) holds every request, without a 429: a quarter second while the server may free requests before its reset', async () => {
	const gate = new RequestGate(4, () => 0);
	gate.answered({ remaining: 0, resetMs: 400 });
	const before = virtualClock.now();
	await gate.acquire();
	gate.release();
	expect(virtualClock.now() - before).toBe(250);
});

test('a used-up window sets the pace as a first 429 would', async () => {
	const gate = new RequestGate(4, () => 0);
	for (let i = 0; i < 29; i++) gate.answered();
	gate.answered({ remaining: 0, resetMs: 400 }); // 30 accepted in the second before
	const sentAt = await send(gate, 11);
	expect(rate(sentAt)).toBeCloseTo(30 / 1.03, 0);
});

test('once the window is known to refill at its reset only, a used-up window holds until the reset, and that hold is no quiet to climb on', async () => {
	const gate = new RequestGate(4, () => 0);
	for (let i = 0; i < 10; i++) gate.answered();
	// Three windows in which a request sent after the window was used up was refused before its reset
	// (the execution's oldest request of the second before it had left a window that slides).
	for (let window = 0; window < 3; window++) {
		virtualClock.offset += 800;
		gate.answered({ remaining: 0, resetMs: 900 });
		const sentAt = await gate.acquire();
		gate.release();
		await gate.refused({ remaining: 0, resetMs: 500, retryAfterMs: 1000 }, undefined, sentAt);
	}
	const paced = rate(await send(gate, 6));
	gate.answered({ remaining: 0, resetMs: 3000 });
	const before = virtualClock.now();
	const sentAt = await send(gate, 6);
	expect(sentAt[0] - before).toBeGreaterThanOrEqual(3000);
	// Cut once (the used-up window is news), not climbed by 40% a tick over the held second.
	expect(rate(sentAt)).toBeLessThan(paced);
});

test('left alone after a crowded second, the pace climbs back from 4/s to a limit of 40/s within 4 s', async () => {
	const gate = new RequestGate(4, () => 0);
	for (let i = 0; i < 4; i++) gate.answered();
	gate.rateLimited({ retryAfterMs: 0 });
	const start = virtualClock.now();
	const sentAt = await send(gate, 400, () => 'ok');
	const reached = sentAt.findIndex((at, i) => i >= 40 && (40 * 1000) / (at - sentAt[i - 40]) >= 38);
	expect(reached).toBeGreaterThan(0);
	expect(sentAt[reached] - start).toBeLessThan(4_000);
});

test('once the window showed it refills as it goes, half of it or more left climbs the pace by 40% a tick at once, and less left only by the small step, whatever the time since the last 429', async () => {
	const climbed = async (remaining: number) => {
		const gate = new RequestGate(4, () => 0);
		gate.answered({ remaining: 30, resetMs: 900 }, virtualClock.now());
		gate.answered({ remaining: 35, resetMs: 900 }, virtualClock.now()); // the window refills as it goes
		for (let i = 0; i < 8; i++) gate.answered();
		gate.rateLimited({ retryAfterMs: 0 });
		const before = rate(await send(gate, 3));
		virtualClock.offset += 2000; // quiet for longer than an execution left alone waits without headers
		gate.answered({ remaining, resetMs: 0 });
		return rate(await send(gate, 3)) / before;
	};
	expect(await climbed(20)).toBeCloseTo(1.4, 1);
	expect(await climbed(10)).toBeLessThan(1.1);
});

test('room in a window that refills is room now: the climb on it stops at what the window holds, or 40% over what this execution got accepted in the last second', async () => {
	const climbed = async (acceptedBefore: number) => {
		const gate = new RequestGate(4, () => 0);
		gate.answered({ remaining: 30, resetMs: 900 }, virtualClock.now());
		gate.answered({ remaining: 35, resetMs: 900 }, virtualClock.now()); // refills as it goes; holds 36
		for (let i = 0; i < 38; i++) gate.answered();
		gate.rateLimited({ retryAfterMs: 0 }); // about 39/s
		virtualClock.offset += 2000;
		// Answers with little left: no climb but the small step.
		for (let i = 0; i < acceptedBefore; i++) gate.answered({ remaining: 5, resetMs: 0 });
		const sendTight = async () => {
			const sentAt: number[] = [];
			for (let i = 0; i < 3; i++) {
				sentAt.push(await gate.acquire());
				gate.release();
				gate.answered({ remaining: 5, resetMs: 0 });
			}
			return rate(sentAt);
		};
		const before = await sendTight();
		virtualClock.offset += 300;
		gate.answered({ remaining: 30, resetMs: 0 });
		return (await sendTight()) / before;
	};
	// A burst's requests have just left a sliding window: room now, not a limit above 36.
	expect(await climbed(0)).toBeLessThan(1.1);
	// 39 accepted in the last second: 40% more may be asked for.
	expect(await climbed(39)).toBeCloseTo(1.4, 1);
});

describe('sharing a limit', () => {
	/** A gate paced at about 10/s by a first 429. */
	const pacedAt10 = () => {
		const gate = new RequestGate(4, () => 0);
		for (let i = 0; i < 10; i++) gate.answered();
		gate.rateLimited({ retryAfterMs: 0 });
		return gate;
	};

	test('a 429 to a request sent after the last cut, once the cut pace was accepted, cuts the pace to 85%', async () => {
		const gate = pacedAt10();
		const before = rate(await send(gate, 6));
		const sentAt = virtualClock.now();
		gate.rateLimited({ retryAfterMs: 0 }, sentAt);
		expect(rate(await send(gate, 6))).toBeCloseTo(before * 0.85, 0);
	});

	test('sending into a full window (fewer accepted in the last second than the pace), a news 429 cuts towards what was accepted, to 70% at most', async () => {
		const gate = pacedAt10();
		const before = rate(await send(gate, 6));
		// A second later, with nothing accepted since: the pace, not what was accepted (0), is the floor.
		virtualClock.offset += 1000;
		gate.rateLimited({ retryAfterMs: 0 }, virtualClock.now());
		const cut = rate(await send(gate, 4));
		expect(cut).toBeGreaterThan(before * 0.65);
		expect(cut).toBeLessThan(before * 0.8);
	});

	test('429s to requests sent before the cut, or before the cut pace was accepted, do not cut it again', async () => {
		const gate = pacedAt10();
		const sentBefore = virtualClock.now() - 1;
		await send(gate, 3);
		const before = rate(await send(gate, 6));
		// Sent before the cut: its neighbours in the same full window.
		gate.rateLimited({ retryAfterMs: 0 }, sentBefore);
		const uncut = rate(await send(gate, 6));
		expect(uncut).toBeCloseTo(before, 0);
		// A news 429 cuts once; the next, before anything sent since was accepted, does not.
		gate.rateLimited({ retryAfterMs: 0 }, virtualClock.now());
		gate.rateLimited({ retryAfterMs: 0 }, virtualClock.now());
		const cut = rate(await send(gate, 6));
		expect(cut).toBeGreaterThan(uncut * 0.8);
		expect(cut).toBeLessThan(uncut * 0.9);
	});

	test('without a 429 the pace grows by one request/s a second, and after 1.5 s by 40% a quarter second', async () => {
		const gate = pacedAt10();
		const start = virtualClock.now();
		const sentAt = await send(gate, 60);
		const rateAround = (ms: number) => rate(sentAt.filter((at) => at >= start + ms && at < start + ms + 250));
		// 10/1.03 at first, about one more a second later.
		expect(rateAround(1000)).toBeGreaterThan(10);
		expect(rateAround(1000)).toBeLessThan(11.5);
		// Past 1.5 s quiet: 40% more each quarter second.
		expect(rateAround(2250)).toBeGreaterThan(rateAround(1000) * 1.9);
	});
});

test('with rate-limit headers on a window that refills at its reset only, the pace takes half of what the account would leave unused of the window, and nothing when it would use it all', async () => {
	const paced = async () => {
		const gate = new RequestGate(4, () => 0);
		await refillsAtReset(gate);
		for (let i = 0; i < 10; i++) gate.answered();
		gate.rateLimited({ retryAfterMs: 0 }); // cut towards the 10 accepted in the second before
		return gate;
	};
	const before = rate(await send(await paced(), 6));

	// The window is used at 3.3/s (1 request in 0.3 s) with 29 left for 0.6 s: about 27 would go
	// unused, 45/s; half of it is taken.
	const spare = await paced();
	spare.answered({ remaining: 30, resetMs: 900 });
	virtualClock.offset += 300;
	spare.answered({ remaining: 29, resetMs: 600 });
	expect(rate(await send(spare, 6))).toBeCloseTo(before + (29 - (1 / 0.3) * 0.6) / 0.6 / 2, 0);

	// Used at 33/s (all by this execution) with 20 left for 0.6 s: all of it will be used, the pace stays.
	const full = await paced();
	full.answered({ remaining: 30, resetMs: 900 });
	for (let used = 1; used <= 10; used++) {
		virtualClock.offset += 30;
		full.answered({ remaining: 30 - used, resetMs: 900 - 30 * used });
	}
	expect(rate(await send(full, 6))).toBeCloseTo(before, 0);
});

test('with rate-limit headers on a window that refills at its reset only, an execution that has sent its share of what is left of the window holds until the reset', async () => {
	const gate = new RequestGate(4, () => 0);
	await refillsAtReset(gate);
	gate.answered({ remaining: 30, resetMs: 900 });
	virtualClock.offset += 300;
	// 10 used in 0.3 s, 1 by this execution: its part of the 20 left is 20 × 1/10 × 0.8, 1.
	gate.answered({ remaining: 20, resetMs: 600 });
	const start = virtualClock.now();
	await gate.acquire();
	gate.release();
	expect(virtualClock.now()).toBe(start);
	await gate.acquire();
	gate.release();
	expect(virtualClock.now() - start).toBeGreaterThanOrEqual(600);
});

describe('a refused request', () => {
	/** The waits asked of the clock; none takes any time, and none ends unless `ends`. */
	const waits = (ends = true) => jest.spyOn(virtualClock, 'sleep').mockImplementation(async () => await (ends ? Promise.resolve() : new Promise<void>(() => {})));

	test('when others of the execution wait out 429s and nothing else is out, the last one asks again after a quarter of a Retry-After of 1 s (the probe)', async () => {
		const sleep = waits(false);
		const gate = new RequestGate(4, () => 0);
		const out = await gate.acquire();
		void gate.refused({ retryAfterMs: 1000 }); // the first refused, while another is out: no probe
		gate.release();
		void gate.refused({ retryAfterMs: 1000 }); // the last refused, with nothing out: the probe
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1000, 250]);
		gate.answered({}, out);
	});

	test('a 429 whose reset the headers give holds every request of the execution, not only the refused one: a quarter second while the server may free requests before its reset', async () => {
		const sleep = waits(false);
		const gate = new RequestGate(4, () => 0);
		await gate.acquire(); // another request out: the refused one is no probe
		void gate.refused({ remaining: 0, resetMs: 300, retryAfterMs: 1000 });
		void gate.acquire();
		await Promise.resolve();
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([300, 250]);
	});

	test('before the server showed it refills at its reset only, a 429 to a request sent after the window was known full holds until the execution\'s oldest request of the last second leaves a window that slides, not until a reset up to a second later', async () => {
		const sleep = waits();
		const gate = new RequestGate(4, () => 0);
		gate.answered();
		virtualClock.offset += 300;
		// Sent before the window was known full: a quarter second (nothing else out: it is the probe).
		await gate.refused({ remaining: 0, resetMs: 1500, retryAfterMs: 2000 }, undefined, virtualClock.now() - 10);
		virtualClock.offset += 250;
		// The probe, sent after, refused: the oldest request accepted leaves a sliding window in 450 ms.
		await gate.refused({ remaining: 0, resetMs: 1250, retryAfterMs: 2000 }, undefined, virtualClock.now() - 10);
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 450]);
	});

	test('once the window showed it refills as it goes (more left before the same reset), its headers are set aside: a 429 waits its Retry-After and holds nothing else', async () => {
		const sleep = waits(false);
		const gate = new RequestGate(4, () => 0);
		gate.answered({ remaining: 5, resetMs: 900 }, virtualClock.now());
		gate.answered({ remaining: 7, resetMs: 900 }, virtualClock.now());
		await gate.acquire(); // another request out: the refused one is no probe
		void gate.refused({ remaining: 0, resetMs: 300, retryAfterMs: 1000 }, undefined, virtualClock.now());
		void gate.acquire();
		await Promise.resolve();
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1000]);
	});

	test('once the window showed it refills as it goes, a lone refused request with nothing else out asks again after a quarter of a Retry-After of 1 s: a window that slides frees a place within it', async () => {
		const sleep = waits();
		const gate = new RequestGate(4, () => 0);
		gate.answered({ remaining: 5, resetMs: 900 }, virtualClock.now());
		gate.answered({ remaining: 7, resetMs: 900 }, virtualClock.now());
		await gate.refused({ remaining: 0, resetMs: 300, retryAfterMs: 1000 }, undefined, virtualClock.now());
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250]);
	});

	test('the probe goes when the oldest request accepted in the last second leaves a sliding window, when that comes before a quarter second; that sooner time once between accepted answers', async () => {
		const sleep = waits();
		const gate = new RequestGate(4, () => 0);
		gate.answered();
		virtualClock.offset += 10;
		gate.answered();
		virtualClock.offset += 790;
		await gate.acquire(); // another request out: the first refused waits
		const first = gate.refused({ retryAfterMs: 1000 });
		gate.release();
		await gate.refused({ retryAfterMs: 1000 }); // the probe: the oldest accepted leaves in 200 ms
		await first;
		virtualClock.offset += 200;
		// Refused again: the next oldest leaves in 10 ms, but a window that refused its place may be
		// fixed; a quarter second, not a 429 each time one more of them leaves.
		await gate.refused({ retryAfterMs: 1000 });
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([1000, 200, 250]);
	});

	test('a lone refused request probes once after a quarter of Retry-After: 1; refused again before anything was accepted, it waits the whole second', async () => {
		const sleep = waits();
		const gate = new RequestGate(4, () => 0);
		await gate.refused({ retryAfterMs: 1000 });
		await gate.refused({ retryAfterMs: 1000 });
		// An accepted answer: the next lone refusal may probe again.
		gate.answered();
		await gate.refused({ retryAfterMs: 1000 });
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 1000, 250]);
	});

	test('a refused request whose Retry-After is longer than a second waits it whole, alone or not', async () => {
		const sleep = waits();
		await new RequestGate(4, () => 0).refused({ retryAfterMs: 2000 });
		const gate = new RequestGate(4, () => 0);
		void gate.refused({ retryAfterMs: 2000 }); // waiting: the next one is not alone, and still waits it all
		await gate.refused({ retryAfterMs: 2000 });
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([2000, 2000, 2000]);
	});

	test('a refused request whose reset the headers give, with nothing else out, asks again when the execution\'s hold ends: the reset once the window is known to refill at its reset only, a quarter second before', async () => {
		const gate = new RequestGate(4, () => 0);
		await refillsAtReset(gate);
		const sleep = waits();
		await new RequestGate(4, () => 0).refused({ retryAfterMs: 1000, resetMs: 700 });
		await gate.refused({ retryAfterMs: 1000, resetMs: 700 });
		expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 700]);
	});

	test('while another request is out, waits for Retry-After or, sooner, for a request sent after the 429 to be accepted', async () => {
		const gate = new RequestGate(4, () => 0);
		// The long wait never ends by itself here: only the accepted answer can end it.
		const sleep = waits(false);
		const before = await gate.acquire(); // out before the 429: its answer proves nothing
		let woken = false;
		const waiting = gate.refused({ retryAfterMs: 1000 }).then(() => (woken = true));
		expect(sleep).toHaveBeenCalledWith(1000, undefined);
		gate.release();
		gate.answered({}, before);
		await Promise.resolve();
		expect(woken).toBe(false);
		sleep.mockRestore();
		virtualClock.offset += 10;
		const after = await gate.acquire();
		gate.release();
		gate.answered({}, after);
		await waiting;
		expect(woken).toBe(true);
	});
});
