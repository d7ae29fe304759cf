import { fingerprint, REMEMBER_DAYS, type FiredMemory } from '../../../../nodes/Wistfare/webhook/memory';
import { deliveryBody } from '../../../../sandbox/webhooks';
import { seed, useSandbox, webhookReceiver } from '../../../helpers';
import { virtualClock } from '../../../virtual-clock';

/** The webhook trigger at its edges, under n8n-core's WebhookContext against the sandbox: memory, failing closed, cost, one deadline. */
const handle = useSandbox();
const scope = { businessId: 'biz_123', statuses: ['completed', 'failed'] };
const DAY = 86_400_000;
const gets = () => handle.sandbox.requestsFor('get');

function settled(status = 'completed', overrides: Record<string, unknown> = {}) {
	const [payout] = seed(handle.sandbox, 1, overrides, virtualClock.now());
	handle.sandbox.store.setStatus(payout.id, status);
	return { payout: handle.sandbox.store.get(payout.id)!, body: deliveryBody(handle.sandbox.store.get(payout.id), `disbursement.${status}`) };
}

/** The saved memory with `count` more outcomes a day for the 30 days up to now, as deliveries would have left it. */
function withOthers(saved: Record<string, unknown>, perDay: number): Record<string, unknown> {
	const memory = saved['node:Wistfare Webhook Trigger'] as { fired: FiredMemory };
	const days = { ...memory.fired.days };
	for (let day = 0; day < REMEMBER_DAYS; day++) {
		const number = Math.floor((virtualClock.now() - day * DAY) / DAY);
		const prints = Array.from({ length: perDay }, (_, i) => fingerprint(`other-${day}-${i}:completed`));
		const existing = days[number] ?? '';
		for (let i = 0; i < existing.length; i += 8) prints.push(existing.slice(i, i + 8));
		days[number] = prints.sort().join('');
	}
	return { ...saved, 'node:Wistfare Webhook Trigger': { ...memory, fired: { ...memory.fired, days } } };
}

describe('Wistfare Webhook Trigger at its edges', () => {
	test('10,000 other outcomes a day for 30 days later, a redelivery of the first still starts nothing', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { body } = settled('completed');
		expect((await receiver.deliver({ body })).fired).toHaveLength(1);
		receiver.saved = withOthers(receiver.saved as Record<string, unknown>, 10_000);
		expect(JSON.stringify(receiver.saved).length).toBeLessThan(2_500_000);
		const replay = await receiver.deliver({ body });
		expect(replay.fired).toEqual([]);
		expect(replay.response.body.ignored).toContain('already fired as completed');
	});

	test('past its 30 days the memory says what it forgot: a redelivery of an older outcome starts nothing, and the next item fired tells the user', async () => {
		const receiver = webhookReceiver(handle, scope);
		const first = settled('completed');
		expect((await receiver.deliver({ body: first.body })).fired).toHaveLength(1);
		virtualClock.offset += (REMEMBER_DAYS + 1) * DAY;
		expect((await receiver.deliver({ body: settled('failed').body })).fired).toHaveLength(1);
		const late = await receiver.deliver({ body: first.body });
		expect(late.fired).toEqual([]);
		expect(late.response.body.ignored).toContain('cannot tell whether it fired then');
		const next = await receiver.deliver({ body: settled('completed').body });
		expect(next.fired[0].triggerWarnings).toEqual([expect.stringContaining('cannot tell whether it fired then')]);
		// Told once.
		expect((await receiver.deliver({ body: settled('completed').body })).fired[0].triggerWarnings).toBeUndefined();
	});

	test('fails closed: a server answering another payout, or one without its business or wallet, starts nothing and says why', async () => {
		const walletScoped = { ...scope, options: { walletId: 'wal_456' } };
		const cases: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
			[scope, { set: { id: 'disb_someone_else' } }, 'when asked for'],
			[scope, { unset: ['businessId'] }, 'names no business'],
			[scope, { set: { businessId: '' } }, 'names no business'],
			[walletScoped, { unset: ['walletId'] }, 'names no wallet'],
		];
		for (const [parameters, rewrite, reason] of cases) {
			handle.sandbox.clearRequests();
			const { body } = settled('completed');
			handle.sandbox.inject('get', { type: 'rewrite', ...rewrite });
			const { fired, response } = await webhookReceiver(handle, parameters).deliver({ body });
			expect(fired).toEqual([]);
			expect(response.body.ignored).toContain(reason);
			expect(gets()).toHaveLength(1);
		}
	});

	test('a forged random id costs two look-ups in all, and Wistfare is answered before the second', async () => {
		const receiver = webhookReceiver(handle, scope);
		let looksWhenAnswered = -1;
		const { fired, response } = await receiver.deliver({ body: { event: 'disbursement.completed', transaction_id: 'disb_forged_000' } }, () => (looksWhenAnswered = gets().length));
		expect(fired).toEqual([]);
		expect(response).toEqual({ status: 200, body: { received: true } });
		expect(looksWhenAnswered).toBe(1);
		expect(gets()).toHaveLength(2);
	});

	test('a final status that does not fire is looked at once; one not final yet is looked at again until it is', async () => {
		const onlyFailed = webhookReceiver(handle, { ...scope, statuses: ['failed'] });
		expect((await onlyFailed.deliver({ body: settled('completed').body })).fired).toEqual([]);
		expect(gets()).toHaveLength(1);
		handle.sandbox.clearRequests();
		const { payout } = settled('processing');
		const original = handle.sandbox.route.bind(handle.sandbox);
		handle.sandbox.route = (method: string, url: URL, body: unknown, route: string) => {
			if (route === 'GET /v1/disbursements/:id' && gets().length === 3) handle.sandbox.store.setStatus(payout.id, 'completed');
			return original(method, url, body, route);
		};
		try {
			const { fired } = await webhookReceiver(handle, scope).deliver({ body: deliveryBody(payout, 'disbursement.completed') });
			expect(fired.map((event) => event.status)).toEqual(['completed']);
			expect(gets()).toHaveLength(3);
		} finally {
			handle.sandbox.route = original;
		}
	});

	test('one deadline for the whole confirmation: a server throttling with Retry-After 20 is asked at most 4 times in a minute, then the execution fails', async () => {
		const { body } = settled('completed');
		handle.sandbox.inject('get', { type: 'status', status: 429, retryAfter: 20, times: 1000 });
		const started = virtualClock.now();
		const { error, fired, response } = await webhookReceiver(handle, scope).deliver({ body });
		expect(fired).toEqual([]);
		expect(response.status).toBe(200);
		expect(error?.constructor.name).toBe('NodeApiError');
		expect(gets().length).toBeLessThanOrEqual(4);
		expect(virtualClock.now() - started).toBeLessThanOrEqual(60_000);
	});
});

