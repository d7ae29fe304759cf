import { retryAfterMs } from '../../../../nodes/Wistfare/api/rate-limit';

describe('retryAfterMs reads Retry-After, the one rate-limit header the contract names', () => {
	test.each([
		['whole seconds', { 'retry-after': '2' }, 2000],
		['with spaces', { 'retry-after': ' 1 ' }, 1000],
		['a header array (axios keeps repeats)', { 'retry-after': ['3', '5'] }, 3000],
		['none: a second', {}, 1000],
		['no headers at all: a second', undefined, 1000],
		['an HTTP date (not what the contract says): a second', { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 1000],
		['a negative number: a second', { 'retry-after': '-1' }, 1000],
	])('%s', (_name, headers, expected) => {
		expect(retryAfterMs(headers)).toBe(expected);
	});

	test('other rate-limit headers change nothing', () => {
		const headers = { 'retry-after': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1', ratelimit: '"default";r=0;t=1' };
		expect(retryAfterMs(headers)).toBe(1000);
	});
});
