import { rateLimitSignal, waitAfter429 } from '../../../../nodes/Wistfare/api/rate-limit';

const NOW = Date.parse('2026-11-24T12:00:00.250Z');

describe('rateLimitSignal reads every common spelling of the rate-limit headers', () => {
	test.each([
		['Retry-After only', { 'retry-after': '2' }, { retryAfterMs: 2000 }],
		['X-RateLimit with a reset in seconds from now', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }, { remaining: 0, resetMs: 1000 }],
		['X-RateLimit with an epoch reset (GitHub)', { 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': String(Math.ceil(NOW / 1000)) }, { remaining: 7, resetMs: 750 }],
		['RateLimit-Remaining / RateLimit-Reset (IETF draft, early)', { 'ratelimit-remaining': '3', 'ratelimit-reset': '0.5' }, { remaining: 3, resetMs: 500 }],
		['RateLimit (IETF draft, old list form)', { ratelimit: 'limit=40, remaining=0, reset=1' }, { remaining: 0, resetMs: 1000 }],
		['RateLimit (IETF draft, structured)', { ratelimit: '"default";r=12;t=2' }, { remaining: 12, resetMs: 2000 }],
		['a header array (axios keeps repeats)', { 'x-ratelimit-remaining': ['4', '5'] }, { remaining: 4 }],
	])('%s', (_name, headers, expected) => {
		expect(rateLimitSignal(headers, NOW)).toEqual({ remaining: undefined, resetMs: undefined, retryAfterMs: undefined, ...expected });
	});

	test.each([
		['an epoch minutes away (the server clock is off)', { 'x-ratelimit-reset': String(Math.ceil(NOW / 1000) + 600) }],
		['a negative reset', { 'x-ratelimit-reset': '-1' }],
		['words', { 'x-ratelimit-remaining': 'many', 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }],
	])('%s is not believed', (_name, headers) => {
		expect(rateLimitSignal(headers, NOW)).toEqual({ remaining: undefined, resetMs: undefined, retryAfterMs: undefined });
	});

	test('a 429 waits for the reset when given (Retry-After rounds up to whole seconds), else Retry-After, else 1 s', () => {
		expect(waitAfter429({ retryAfterMs: 1000, resetMs: 300 })).toBe(300);
		expect(waitAfter429({ retryAfterMs: 2000 })).toBe(2000);
		expect(waitAfter429({})).toBe(1000);
	});
});
