import { Limiter } from '../../sandbox/limiter';

/** Sends `count` requests `gapMs` apart from `start`; the times accepted. */
function send(limiter: Limiter, count: number, gapMs: number, start = 1_000_000): number[] {
	const accepted: number[] = [];
	for (let i = 0; i < count; i++) if (limiter.take(start + i * gapMs).allowed) accepted.push(start + i * gapMs);
	return accepted;
}

/** The most requests accepted in any 1,000 ms. */
const busiestSecond = (times: number[]) => Math.max(0, ...times.map((at) => times.filter((other) => other >= at && other < at + 1000).length));

describe('the sandbox\'s rate limiters', () => {
	test('fixed: whole seconds, refused requests counted; two windows back to back let through twice the rate within a second', () => {
		const limiter = new Limiter({ rate: 10, kind: 'fixed' });
		const accepted = send(limiter, 40, 50, 1_000_500);
		expect(busiestSecond(accepted)).toBe(20);
		expect(limiter.take(1_003_100)).toMatchObject({ retryAfter: 1 });
	});

	test('sliding: never more than the rate in any 1,000 ms; Retry-After until the oldest leaves the window', () => {
		const limiter = new Limiter({ rate: 10, kind: 'sliding' });
		const accepted = send(limiter, 200, 7);
		expect(busiestSecond(accepted)).toBeLessThanOrEqual(10);
		expect(accepted.length).toBeGreaterThanOrEqual(10);
		const full = new Limiter({ rate: 2, kind: 'sliding' });
		full.take(0);
		full.take(100);
		expect(full.take(200)).toMatchObject({ allowed: false, remaining: 0, resetMs: 800, retryAfter: 1 });
	});

	test('bucket: a burst up to its size, then the refill rate', () => {
		const limiter = new Limiter({ rate: 10, kind: 'bucket', burst: 5, refill: 10 });
		expect(send(limiter, 8, 0)).toHaveLength(5);
		const steady = new Limiter({ rate: 10, kind: 'bucket', burst: 5, refill: 10 });
		// Ten seconds at 100 requests a second: the burst, then 10 a second.
		expect(send(steady, 1000, 10).length).toBeGreaterThanOrEqual(100);
		expect(send(new Limiter({ rate: 10, kind: 'bucket', burst: 5, refill: 10 }), 1000, 10).length).toBeLessThanOrEqual(106);
		const slow = new Limiter({ rate: 1, kind: 'bucket', burst: 1, refill: 0.5 });
		slow.take(0);
		expect(slow.take(0)).toMatchObject({ allowed: false, resetMs: 2000, retryAfter: 2 });
	});

	test('an unknown kind is refused', () => {
		expect(() => new Limiter({ rate: 1, kind: 'leaky' as never })).toThrow('unknown rate limiter "leaky"');
	});
});
