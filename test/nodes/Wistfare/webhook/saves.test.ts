import { deliveryBody } from '../../../../sandbox/webhooks';
import { seed, useSandbox, webhookReceiver } from '../../../helpers';

/**
 * What a real n8n keeps: the receiver saves the static data only where n8n 2.41 does (see
 * test/harness/engine.js), and `restart()` drops what the package keeps in the process.
 */
const handle = useSandbox();
const scope = { businessId: 'biz_123', statuses: ['completed', 'failed'] };

function settled(count: number) {
	return seed(handle.sandbox, count, {}, Date.now()).map((payout: { id: string }) => {
		handle.sandbox.store.setStatus(payout.id, 'completed');
		return deliveryBody(handle.sandbox.store.get(payout.id), 'disbursement.completed');
	});
}

const firedBy = async (results: Array<Promise<{ fired: unknown[]; error?: Error }>>) => {
	const done = await Promise.all(results);
	expect(done.map((result) => result.error)).toEqual(done.map(() => undefined));
	return done.reduce((sum, result) => sum + result.fired.length, 0);
};

describe('the webhook trigger\'s memory, as n8n saves it', () => {
	test('one delivery, then the same again after it ran: one execution, and the saved memory holds it', async () => {
		const receiver = webhookReceiver(handle, scope);
		const [body] = settled(1);
		expect(await firedBy([receiver.deliver({ body })])).toBe(1);
		const after = JSON.stringify(receiver.saved);
		expect(await firedBy([receiver.deliver({ body })])).toBe(0);
		// Each further payout is saved too (n8n 2.41 lost every save after the first before the node answered itself).
		const [second] = settled(1);
		expect(await firedBy([receiver.deliver({ body: second })])).toBe(1);
		expect(JSON.stringify(receiver.saved)).not.toBe(after);
		receiver.restart();
		expect(await firedBy([receiver.deliver({ body }), receiver.deliver({ body: second })])).toBe(0);
	});

	test('5 payouts delivered one at a time, then each again: 5 executions, and 5 after a restart too', async () => {
		const receiver = webhookReceiver(handle, scope);
		const bodies = settled(5);
		let fired = 0;
		for (const body of bodies) fired += await firedBy([receiver.deliver({ body })]);
		for (const body of bodies) fired += await firedBy([receiver.deliver({ body })]);
		expect(fired).toBe(5);
		receiver.restart();
		for (const body of bodies) fired += await firedBy([receiver.deliver({ body })]);
		expect(fired).toBe(5);
	});

	test('30 delivered at once, then each again: 30 executions; after a restart, what the last save kept', async () => {
		const receiver = webhookReceiver(handle, scope);
		const bodies = settled(30);
		expect(await firedBy(bodies.map((body) => receiver.deliver({ body })))).toBe(30);
		expect(await firedBy(bodies.map((body) => receiver.deliver({ body })))).toBe(0);
		// Saves made at the same time overwrite each other (n8n saves the data whole); each joins what the
		// process fired before it, so the last save holds all 30 unless two saved at the very same time.
		receiver.restart();
		const again = await firedBy(bodies.map((body) => receiver.deliver({ body })));
		expect(again).toBeLessThanOrEqual(1);
	});
});

describe('a webhook trigger in a workflow that also holds the polling trigger', () => {
	test('fires, and the item tells the user to give each trigger a workflow of its own', async () => {
		const receiver = webhookReceiver(handle, scope);
		receiver.saved = { global: { wistfarePollingTrigger: 'Payout completed or failed' } };
		const [body] = settled(1);
		const { fired } = await receiver.deliver({ body });
		expect(fired).toHaveLength(1);
		expect(fired[0].triggerWarnings).toEqual([expect.stringMatching(/^This workflow also holds a Wistfare Trigger \("Payout completed or failed"\)/)]);
		expect((receiver.saved as { global: Record<string, unknown> }).global.wistfareWebhookTrigger).toBe('Wistfare Webhook Trigger');
	});
});
