import type { IPollFunctions } from 'n8n-workflow';

import { observe } from '../../../../nodes/Wistfare/trigger/observe';
import type { TriggerState } from '../../../../nodes/Wistfare/trigger/state';
import { seed, triggerPoller, useSandbox } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

/** A poll's I/O, called directly under n8n-core's PollContext against the sandbox. */
const handle = useSandbox();
const scope = () => ({ businessId: 'biz_123', session: {} });
const context = () => triggerPoller(handle, { businessId: 'biz_123' }).context() as unknown as IPollFunctions;
const WINDOW = 10 * 60_000;
const options = () => ({ windowMs: WINDOW, deadline: Infinity });
const lists = () => handle.sandbox.requestsFor('list').map((request) => ({ page: Number(request.understood.page), status: request.understood.status }));

test('the first poll: the newest page, every payout in flight by status, and where the walk starts', async () => {
	const made = seed(handle.sandbox, 120, {}, virtualClock.now() - 3 * 3600_000);
	for (const payout of made.slice(0, 100)) handle.sandbox.store.setStatus(payout.id, 'completed');
	const observation = await observe.call(context(), undefined, scope(), options());
	expect(observation.scanned).toHaveLength(100);
	expect(Object.keys(observation.refreshed)).toHaveLength(20);
	expect(observation.backfill).toMatchObject({ to: made[119].createdAt, page: 1 });
	expect(lists()).toEqual([{ page: 1, status: undefined }, { page: 1, status: 'pending' }, { page: 1, status: 'processing' }]);
});

test('a poll a day after the last scan reads the whole day down to the floor, and nothing under it', async () => {
	const lastScan = virtualClock.now();
	seed(handle.sandbox, 50, { referenceId: 'before' }, lastScan - 3 * 3600_000);
	virtualClock.offset += 86_400_000;
	const day = seed(handle.sandbox, 150, { referenceId: 'day' }, lastScan + 60_000);
	const previous: TriggerState = { v: 2, cursor: new Date(lastScan - 3600_000).toISOString(), scannedAt: lastScan, windowMs: WINDOW, seen: {}, tracked: {}, watch: {} };
	const observation = await observe.call(context(), previous, scope(), options());
	expect(observation.scanned.map((payout) => payout.id).sort()).toEqual(day.map((payout: { id: string }) => payout.id).sort());
	expect(observation).toMatchObject({ scanComplete: true, scanVerified: true });
});

test('a scan cut short goes on from its page at the next poll', async () => {
	seed(handle.sandbox, 300, {}, virtualClock.now() - 3600_000);
	const floor = virtualClock.now() - 2 * 3600_000;
	const catchUp = { floor, page: 3, top: null, startedAt: virtualClock.now(), firstRead: floor };
	const previous: TriggerState = { v: 2, cursor: null, scannedAt: floor, seen: {}, tracked: {}, watch: {}, catchUp };
	const observation = await observe.call(context(), previous, scope(), options());
	expect(lists().map((request) => request.page)).toEqual([3]);
	expect(observation.scanned).toHaveLength(100);
	expect(observation).toMatchObject({ scanComplete: true, scanVerified: false });
});
