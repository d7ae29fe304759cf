import {
	emptyMemory,
	FINGERPRINT_CHARS,
	hasFired,
	mayBeForgotten,
	readMemory,
	remember,
	REMEMBER_DAYS,
	REMEMBER_MAX,
	type FiredMemory,
} from '../../../../nodes/Wistfare/webhook/memory';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');

/** A memory of `count` outcomes a day for `days` days up to NOW, built day by day as strings (fast). */
function filled(count: number, days: number): FiredMemory {
	let memory = emptyMemory();
	for (let day = days - 1; day >= 0; day--) {
		const at = NOW - day * DAY;
		const one = remember(emptyMemory(), `day${day}-0:completed`, at);
		const prints = new Set<string>([Object.values(one.days)[0]]);
		for (let i = 1; i < count; i++) prints.add(Object.values(remember(emptyMemory(), `day${day}-${i}:completed`, at).days)[0]);
		memory = { ...memory, days: { ...memory.days, [Math.floor(at / DAY)]: [...prints].sort().join('') } };
	}
	return memory;
}

describe('the webhook trigger\'s memory', () => {
	test('remembers each outcome once; a look-up finds it in any day', () => {
		let memory = remember(emptyMemory(), 'a:completed', NOW - 3 * DAY);
		memory = remember(memory, 'b:failed', NOW);
		memory = remember(memory, 'b:failed', NOW);
		expect(hasFired(memory, 'a:completed')).toBe(true);
		expect(hasFired(memory, 'b:failed')).toBe(true);
		expect(hasFired(memory, 'b:completed')).toBe(false);
		expect(Object.values(memory.days).join('')).toHaveLength(2 * FINGERPRINT_CHARS);
		expect(memory.forgottenBefore).toBeNull();
	});

	test(`after ${REMEMBER_DAYS} days a day is forgotten, and outcomes from before it are said to be`, () => {
		const memory = remember(remember(emptyMemory(), 'old:completed', NOW - REMEMBER_DAYS * DAY), 'new:completed', NOW);
		expect(hasFired(memory, 'old:completed')).toBe(false);
		expect(memory.forgottenBefore).toBe((Math.floor((NOW - REMEMBER_DAYS * DAY) / DAY) + 1) * DAY);
		expect(mayBeForgotten(memory, NOW - REMEMBER_DAYS * DAY)).toBe(true);
		expect(mayBeForgotten(memory, NOW - DAY)).toBe(false);
		expect(mayBeForgotten(emptyMemory(), 0)).toBe(false);
	});

	test('10,000 outcomes a day for 30 days are all remembered, in 8 bytes each', () => {
		const memory = filled(10_000, REMEMBER_DAYS);
		const next = remember(memory, 'fresh:completed', NOW);
		expect(hasFired(next, 'day29-9999:completed')).toBe(true);
		expect(hasFired(next, 'day0-0:completed')).toBe(true);
		expect(next.forgottenBefore).toBeNull();
		expect(JSON.stringify(next).length).toBeLessThan(300_001 * FINGERPRINT_CHARS + 1000);
	});

	test(`past ${REMEMBER_MAX.toLocaleString('en')} the oldest days go, and the user is told`, () => {
		const memory = filled(REMEMBER_MAX / 10 + 1, 10);
		const next = remember(memory, 'fresh:completed', NOW);
		expect(hasFired(next, 'day9-0:completed')).toBe(false);
		expect(hasFired(next, 'day8-0:completed')).toBe(true);
		expect(next.notices).toEqual([expect.stringContaining('a redelivery of one of them will not start the workflow')]);
	});

	test('a record saved by the earlier version is read: what it held is remembered, what it may have dropped is forgotten', () => {
		const upgraded = readMemory({ 'a:completed': NOW - DAY, 'b:failed': NOW }, NOW);
		expect(hasFired(upgraded, 'a:completed')).toBe(true);
		expect(hasFired(upgraded, 'b:failed')).toBe(true);
		expect(upgraded.forgottenBefore).toBe(NOW - REMEMBER_DAYS * DAY);
		expect(readMemory(undefined, NOW)).toEqual(emptyMemory());
		expect(readMemory(upgraded, NOW)).toBe(upgraded);
	});
});
