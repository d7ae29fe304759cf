/**
 * The start of the calendar day holding `now` in `timeZone` (an IANA name, n8n's workflow time
 * zone), as epoch milliseconds. Built on Intl alone: a community node may not depend on Luxon.
 */
export function startOfDay(now: number, timeZone: string): number {
	const parts = (at: number) => {
		const fields = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		}).formatToParts(at);
		const get = (type: string) => Number(fields.find((field) => field.type === type)?.value);
		return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
	};
	const offsetAt = (at: number) => {
		const p = parts(at);
		return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
	};
	const today = parts(now);
	const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day);
	// The offset at midnight may differ from now's (a daylight-saving change during the day).
	const guess = midnightAsUtc - offsetAt(now);
	return midnightAsUtc - offsetAt(guess);
}
