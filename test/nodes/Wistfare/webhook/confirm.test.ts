import type { IWebhookFunctions } from 'n8n-workflow';

import { confirm, CONFIRM_WITHIN_MS } from '../../../../nodes/Wistfare/webhook/confirm';
import { emptyMemory } from '../../../../nodes/Wistfare/webhook/memory';
import { seed, useSandbox, webhookReceiver } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

/** The look-ups of one delivery, called directly under n8n-core's WebhookContext against the sandbox. */
const handle = useSandbox();
const scope = { businessId: 'biz_123', statuses: ['completed', 'failed'] };
const context = () => webhookReceiver(handle, scope).context() as unknown as IWebhookFunctions;
const gets = () => handle.sandbox.requestsFor('get');

function run(id: string) {
	let acknowledged = -1;
	const started = virtualClock.now();
	return confirm
		.call(context(), id, scope, emptyMemory(), {}, () => (acknowledged = gets().length))
		.then((verdict) => ({ verdict, acknowledged, elapsed: virtualClock.now() - started }));
}

test('a payout that fires is looked up once, and Wistfare is not made to wait', async () => {
	const [payout] = seed(handle.sandbox, 1, {}, virtualClock.now());
	handle.sandbox.store.setStatus(payout.id, 'completed');
	const { verdict, acknowledged } = await run(payout.id);
	expect(verdict).toMatchObject({ fire: true, key: `${payout.id}:completed` });
	expect(gets()).toHaveLength(1);
	expect(acknowledged).toBe(-1);
});

test('a 404 is looked at once more, 2 s later, and never a third time', async () => {
	const { verdict, acknowledged, elapsed } = await run('disb_nobody');
	expect(verdict).toEqual({ fire: false, final: true, reason: 'Wistfare has no payout disb_nobody' });
	expect(gets()).toHaveLength(2);
	expect(acknowledged).toBe(1);
	expect(elapsed).toBeGreaterThanOrEqual(2000);
	expect(elapsed).toBeLessThan(3000);
});

test('a status not final yet is looked at again until the deadline, then starts nothing', async () => {
	const [payout] = seed(handle.sandbox, 1, {}, virtualClock.now());
	handle.sandbox.store.setStatus(payout.id, 'processing');
	const { verdict, elapsed } = await run(payout.id);
	expect(verdict).toMatchObject({ fire: false, final: false });
	// 1, 2, 4, 8, 16 s apart: the next wait (32 s) would end past the deadline.
	expect(gets()).toHaveLength(6);
	expect(elapsed).toBeLessThanOrEqual(CONFIRM_WITHIN_MS);
});

test('a 401 throws at once; a 403 rules the payout out after one look', async () => {
	handle.sandbox.inject('get', { type: 'status', status: 401 });
	await expect(run('disb_x')).rejects.toThrow('Injected 401');
	handle.sandbox.clearRequests();
	handle.sandbox.inject('get', { type: 'status', status: 403 });
	expect((await run('disb_x')).verdict).toEqual({ fire: false, final: true, reason: 'the credential may not read payout disb_x' });
	expect(gets()).toHaveLength(1);
});
