import { SERVER_CLOCK_SKEW_MS as CLOCK_SKEW_MS } from '../../../../nodes/Wistfare/api/clock';
import { readFloor, scanFloor, upgradeState, type TriggerState } from '../../../../nodes/Wistfare/trigger/state';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const MINUTE = 60_000;
const WINDOW = 10 * MINUTE;
const state = (fields: Partial<TriggerState>): TriggerState => ({ v: 2, cursor: null, seen: {}, tracked: {}, watch: {}, ...fields });
const at = (ms: number) => new Date(ms).toISOString();

describe('scanFloor: one rule, from the state alone', () => {
	test('a busy business: the window under the cursor', () => {
		expect(scanFloor(state({ cursor: at(T0), scannedAt: T0 + 5000, windowMs: WINDOW }), WINDOW)).toBe(T0 - WINDOW);
	});

	test('a quiet business: the window under the last scan, less the clocks\' skew, however old the cursor', () => {
		expect(scanFloor(state({ cursor: at(T0 - 30 * 86_400_000), scannedAt: T0, windowMs: WINDOW }), WINDOW)).toBe(T0 - WINDOW - CLOCK_SKEW_MS);
	});

	test('time passing since the last scan does not move it: it has no input for the time of the poll', () => {
		const quiet = state({ cursor: null, scannedAt: T0, windowMs: WINDOW });
		expect(scanFloor(quiet, WINDOW)).toBe(T0 - WINDOW - CLOCK_SKEW_MS);
		expect(scanFloor.length).toBe(2);
	});

	test('what the last scan could not verify is read once more', () => {
		expect(scanFloor(state({ cursor: at(T0), scannedAt: T0, windowMs: WINDOW, recheckFrom: T0 - 86_400_000 }), WINDOW)).toBe(T0 - 86_400_000);
	});

	test('while a cut scan is caught up, its floor holds', () => {
		const catchUp = { floor: T0 - 86_400_000, page: 7, top: at(T0), startedAt: T0, firstRead: T0 - 86_400_000 };
		expect(scanFloor(state({ cursor: at(T0 - 3600_000), scannedAt: T0 - 60_000, catchUp }), WINDOW)).toBe(T0 - 86_400_000);
	});

	test('a state saved before scans were timed reads no lower than the oldest id it kept', () => {
		const untimed = state({ cursor: at(T0), seen: { a: T0 - 2 * MINUTE, b: T0 } });
		expect(scanFloor(untimed, WINDOW)).toBe(T0 - 2 * MINUTE);
		expect(scanFloor(state({ cursor: null }), WINDOW)).toBe(0);
	});

	test('the window kept with the state is the one the floor is read with; a widened one reads lower, for the record only', () => {
		const kept = state({ cursor: at(T0), scannedAt: T0, windowMs: WINDOW });
		expect(scanFloor(kept, 60 * MINUTE)).toBe(T0 - WINDOW);
		expect(readFloor(kept, 60 * MINUTE)).toBe(T0 - 60 * MINUTE);
		expect(readFloor(kept, 5 * MINUTE)).toBe(T0 - WINDOW);
	});
});

describe('upgradeState', () => {
	test('a catch-up saved by date goes on from the top of its listing, started no later than its floor', () => {
		const old = { ...state({ cursor: at(T0) }), catchUp: { floor: T0 - 3600_000, below: T0 - 60_000, top: at(T0 + 60_000) } };
		expect(upgradeState(old)?.catchUp).toEqual({ floor: T0 - 3600_000, page: 1, top: at(T0 + 60_000), startedAt: T0 - 3600_000, firstRead: T0 - 3600_000 });
	});

	test('today\'s state comes back as it is', () => {
		const today = state({ cursor: at(T0), scannedAt: T0, windowMs: WINDOW });
		expect(upgradeState(today)).toBe(today);
	});
});
