import { startOfDay } from '../../../../nodes/Wistfare/payout/day';

test.each([
	['2026-12-01T09:30:00Z', 'UTC', '2026-12-01T00:00:00.000Z'],
	['2026-12-01T23:30:00Z', 'Africa/Kigali', '2026-12-01T22:00:00.000Z'],
	['2026-12-01T21:59:59Z', 'Africa/Kigali', '2026-11-30T22:00:00.000Z'],
	['2026-03-08T12:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z'],
	['2026-11-01T03:00:00Z', 'America/New_York', '2026-10-31T04:00:00.000Z'],
	['2026-11-01T12:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z'],
	['2026-12-01T01:00:00Z', 'Asia/Kolkata', '2026-11-30T18:30:00.000Z'],
])('the day holding %s in %s starts at %s', (now, zone, expected) => {
	expect(new Date(startOfDay(Date.parse(now), zone)).toISOString()).toBe(expected);
});
