import { eventsOf, triggerPoller, useSandbox } from '../../../helpers';

/** The trigger against large histories: one kind of server, since what is measured is the size. */
const handle = useSandbox();

describe('Wistfare Trigger at scale', () => {
	test('activation is cheap: 100,000 payouts in the week before cost the newest page, the window and the in-flight pages', async () => {
		handle.sandbox.store.seedHistory(100_000, 30, 'biz_123', 6000);
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		expect(await poller.poll()).toBeNull();
		const activation = handle.sandbox.requestsFor('list').length;
		// Page 1, the 25 minutes under the newest payout (250 payouts: 3 pages), pending, processing.
		expect(activation).toBeLessThanOrEqual(7);
		handle.sandbox.clearRequests();
		expect(await poller.poll()).toBeNull();
		// Later polls walk the week back a few pages at a time.
		expect(handle.sandbox.requestsFor('list').filter((request) => request.understood.toDate)).toHaveLength(3);
	});

	test('at the cap the oldest payouts are dropped, never the newest, and the user is told with the next events', async () => {
		handle.sandbox.store.seedHistory(10_001, 10_001, 'biz_123', 10);
		const poller = triggerPoller(handle, { businessId: 'biz_123' });
		await poller.poll();
		const state = (poller.snapshot()['node:Wistfare Trigger'] as { state: { tracked: Record<string, unknown>; warnings: string[] } }).state;
		expect(Object.keys(state.tracked)).toHaveLength(10_000);
		const oldest = handle.sandbox.store.ordered[handle.sandbox.store.ordered.length - 1];
		expect(state.tracked[oldest.id]).toBeUndefined();
		expect(state.warnings).toHaveLength(1);
		const newest = handle.sandbox.store.ordered[0];
		handle.sandbox.store.setStatus(newest.id, 'completed');
		const events = eventsOf(await poller.poll());
		expect(events).toEqual([expect.objectContaining({ id: newest.id, status: 'completed', triggerWarnings: [expect.stringContaining('the 1 oldest (by creation) are no longer watched')] })]);
	});
});
