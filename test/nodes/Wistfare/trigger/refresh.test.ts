import type { IPollFunctions } from 'n8n-workflow';

import type { Disbursement } from '../../../../nodes/Wistfare/payout/types';
import { Budget, type Scope } from '../../../../nodes/Wistfare/trigger/reading';
import { BACKFILL_PAGES_PER_POLL, listByStatus, refresh, walkBack, watchRotation } from '../../../../nodes/Wistfare/trigger/refresh';
import type { TriggerState } from '../../../../nodes/Wistfare/trigger/state';
import { restartSandbox, seed, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

/** The poll's look at payouts in flight and watched, called directly under n8n-core's PollContext. */
const handle = useSandbox();
const scope = (): Scope => ({ businessId: 'biz_123', session: {} });
const context = () => triggerPoller(handle, { businessId: 'biz_123' }).context() as unknown as IPollFunctions;
const noLimit = () => new Budget(Infinity);
const lists = () => handle.sandbox.requestsFor('list');

describe('listByStatus', () => {
	afterEach(async () => await restartSandbox(handle, {}));

	test('every payout in scope with the status, to the end of the list', async () => {
		const made = seed(handle.sandbox, 150, {}, virtualClock.now() - 3600_000);
		seed(handle.sandbox, 5, { walletId: 'wal_other', referenceId: 'other' }, virtualClock.now() - 60_000);
		const into: Record<string, Disbursement | null> = {};
		await listByStatus.call(context(), { ...scope(), walletId: 'wal_456' }, 'pending', into, noLimit());
		expect(Object.keys(into).sort()).toEqual(made.map((payout: { id: string }) => payout.id).sort());
		expect(lists()).toHaveLength(2);
	});

	test('only the ones wanted: it stops as soon as all are found', async () => {
		const made = seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		const wanted = new Set([made[249].id]);
		const into: Record<string, Disbursement | null> = {};
		await listByStatus.call(context(), scope(), 'pending', into, noLimit(), wanted);
		expect(Object.keys(into)).toEqual([made[249].id]);
		expect(lists()).toHaveLength(1);
	});

	test('a server that ignores the status filter: the first page shows it, and the rest is left to look-ups by id', async () => {
		await restartSandbox(handle, { ignoreFilters: ['status'] });
		const made = seed(handle.sandbox, 250, {}, virtualClock.now() - 3600_000);
		handle.sandbox.store.setStatus(made[249].id, 'completed');
		const into: Record<string, Disbursement | null> = {};
		await listByStatus.call(context(), scope(), 'pending', into, noLimit(), new Set([made[0].id]));
		expect(into).toEqual({});
		expect(lists()).toHaveLength(1);
	});

	test('no request once the budget is spent', async () => {
		seed(handle.sandbox, 10);
		await listByStatus.call(context(), scope(), 'pending', {}, new Budget(0));
		expect(lists()).toEqual([]);
	});
});

describe('refresh', () => {
	test('a tracked payout that left its status list is fetched by id; one gone (404) comes back as null', async () => {
		const [moved, stays] = seed(handle.sandbox, 2, {}, virtualClock.now() - 3600_000);
		handle.sandbox.store.setStatus(moved.id, 'processing');
		const previous: TriggerState = {
			v: 2,
			cursor: null,
			seen: {},
			tracked: { [moved.id]: ['pending', 0], [stays.id]: ['pending', 0], disb_gone: ['under_review', 0] },
			watch: {},
		};
		const refreshed = await refresh.call(context(), previous, scope(), new Set(), virtualClock.now(), noLimit());
		expect(refreshed[stays.id]?.status).toBe('pending');
		expect(refreshed[moved.id]?.status).toBe('processing');
		expect(refreshed.disb_gone).toBeNull();
		// pending by list; the one that moved on, and the one in a status no list asks for, by id.
		expect(handle.sandbox.requestsFor('get').map((request) => request.path.split('/').pop()).sort()).toEqual([moved.id, 'disb_gone'].sort());
	});
});

describe('the activation\'s walk and the watch rotation', () => {
	test(`walkBack reads ${BACKFILL_PAGES_PER_POLL} pages a poll and says where to go on; done past its start`, async () => {
		const made = seed(handle.sandbox, 450, {}, virtualClock.now() - 86_400_000);
		for (const payout of made) handle.sandbox.store.setStatus(payout.id, 'completed');
		const backfill = { to: new Date(virtualClock.now()).toISOString(), from: virtualClock.now() - 2 * 86_400_000, page: 1 };
		const first = await walkBack.call(context(), scope(), backfill, noLimit());
		expect(first.next).toEqual({ ...backfill, page: 4 });
		expect(first.found).toHaveLength(300);
		const rest = await walkBack.call(context(), scope(), first.next!, noLimit());
		expect(rest.next).toBeUndefined();
		expect(rest.found).toHaveLength(150);
	});

	test('watchRotation turns a slice a minute, so every watched payout is looked at', () => {
		const ids = Array.from({ length: 25 }, (_, i) => `d${String(i).padStart(2, '0')}`);
		const seen = new Set<string>();
		for (let minute = 0; minute < 3; minute++) for (const id of watchRotation(ids, minute * 60_000, 10)) seen.add(id);
		expect(seen.size).toBe(25);
		expect(watchRotation(ids.slice(0, 5), 0, 10)).toEqual(ids.slice(0, 5));
	});
});
