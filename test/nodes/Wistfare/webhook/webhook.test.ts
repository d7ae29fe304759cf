/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code, never in the package: a receiver the sandbox delivers to over HTTP */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { deliveryBody } from '../../../../sandbox/webhooks';
import { seed, TEST_KEY, useSandbox, webhookReceiver } from '../../../helpers';

const handle = useSandbox();
const scope = { businessId: 'biz_123', statuses: ['completed', 'failed'] };
const SECRET = 'shared-in-the-url';
const gets = () => handle.sandbox.requestsFor('get');

/** A payout of biz_123 settled as `status`, and its delivery as Wistfare documents it (snake_case). */
function settled(status = 'completed', overrides: Record<string, unknown> = {}) {
	const [payout] = seed(handle.sandbox, 1, overrides, Date.now());
	handle.sandbox.store.setStatus(payout.id, status);
	return { payout: handle.sandbox.store.get(payout.id)!, body: deliveryBody(handle.sandbox.store.get(payout.id), `disbursement.${status}`) };
}

describe('Wistfare Webhook Trigger under n8n-core WebhookContext, against the sandbox', () => {
	test('a delivery fires once, with the payout as fetched (one GET), the event name and previousStatus null', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { payout, body } = settled('completed');
		const { response, fired, error } = await receiver.deliver({ body: { ...body, amount: '999999999', status: 'completed' } });
		expect(error).toBeUndefined();
		// The node answers the call itself before it fires (so that n8n saves what it remembered).
		expect(response).toEqual({ status: 200, body: { received: true } });
		expect(gets().map((request) => request.path)).toEqual([`/v1/disbursements/${payout.id}`]);
		expect(gets()[0].headers['x-api-key']).toBe(TEST_KEY);
		expect(fired).toEqual([
			{
				...JSON.parse(JSON.stringify({ ...payout, createdAtMs: undefined, manualStatus: undefined, endsFailed: undefined })),
				previousStatus: null,
				event: 'disbursement.completed',
				deliveredEvent: 'disbursement.completed',
			},
		]);
		// The payload's amount was not believed.
		expect(fired[0].amount).toBe(payout.amount);
	});

	test('a camelCase delivery works as the documented snake_case one does', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { payout } = settled('failed');
		const camel = deliveryBody(payout, 'disbursement.failed', 'camel');
		expect((camel as Record<string, unknown>).transactionId).toBe(payout.id);
		const { fired } = await receiver.deliver({ body: camel });
		expect(fired.map((event) => [event.id, event.status, event.event])).toEqual([[payout.id, 'failed', 'disbursement.failed']]);
	});

	test('collection events, unknown events and bodies naming no payout are answered 200 and start nothing, with no request', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { payout } = settled('completed');
		for (const body of [
			{ event: 'collection.completed', transaction_id: payout.id },
			{ event: 'disbursement.exploded', transaction_id: payout.id },
			{ event: 'disbursement.completed' },
			'not json',
		]) {
			const { response, fired } = await receiver.deliver({ body });
			expect(response.status).toBe(200);
			expect(fired).toEqual([]);
		}
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('with a Secret, a call without it or with another is refused with 403 before any request to Wistfare', async () => {
		const receiver = webhookReceiver(handle, { ...scope, secret: SECRET });
		const { body } = settled('completed');
		for (const query of [{}, { secret: 'wrong' }, { secret: SECRET.toUpperCase() }, { secret: `${SECRET}-and-more` }]) {
			const { response, fired } = await receiver.deliver({ body, query });
			expect(response.status).toBe(403);
			expect(fired).toEqual([]);
		}
		expect(handle.sandbox.requests).toHaveLength(0);
		const { fired } = await receiver.deliver({ body, query: { secret: SECRET } });
		expect(fired).toHaveLength(1);
	});

	test('without a Secret, publishing is refused and every call is answered 403 before any request to Wistfare', async () => {
		const receiver = webhookReceiver(handle, { ...scope, secret: '' });
		await expect(receiver.activate()).rejects.toThrow('Set a Secret before publishing');
		const { body } = settled('completed');
		for (const query of [{}, { secret: '' }, { secret: 'anything' }]) {
			const { response, fired } = await receiver.deliver({ body, query });
			expect(response).toEqual({ status: 403, body: { error: 'The Wistfare Webhook Trigger has no Secret set: set one, and add ?secret= to the URL' } });
			expect(fired).toEqual([]);
		}
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('nothing in the payload is believed: a forged "completed" for a pending payout, another business, another wallet and an unknown id start nothing', async () => {
		const receiver = webhookReceiver(handle, { ...scope, options: { walletId: 'wal_456' } });
		const [pending] = seed(handle.sandbox, 1, {}, Date.now());
		const other = settled('completed', { businessId: 'biz_other', referenceId: 'o1' }).payout;
		const otherWallet = settled('completed', { walletId: 'wal_other', referenceId: 'o2' }).payout;
		for (const id of [pending.id, other.id, otherWallet.id, 'disb_forged']) {
			const { fired, error } = await receiver.deliver({ body: { event: 'disbursement.completed', transaction_id: id, business_wallet_id: 'wal_456', status: 'completed' } });
			expect(error).toBeUndefined();
			expect(fired).toEqual([]);
		}
		// The pending payout and the unknown id were looked at again (a read may lag a delivery), the others once.
		const looks = (id: string) => gets().filter((request) => request.path.endsWith(`/${id}`)).length;
		expect(looks(other.id)).toBe(1);
		expect(looks(otherWallet.id)).toBe(1);
		expect(looks(pending.id)).toBeGreaterThan(1);
		expect(looks('disb_forged')).toBeGreaterThan(1);
	});

	test('the status as fetched decides: a "completed" delivery whose payout has since been refunded fires as refunded only if Refunded is selected', async () => {
		const { payout, body } = settled('completed');
		handle.sandbox.store.setStatus(payout.id, 'refunded');
		expect((await webhookReceiver(handle, scope).deliver({ body })).fired).toEqual([]);
		const { fired } = await webhookReceiver(handle, { ...scope, statuses: ['completed', 'refunded'] }).deliver({ body });
		expect(fired.map((event) => [event.status, event.event, event.deliveredEvent])).toEqual([['refunded', 'disbursement.refunded', 'disbursement.completed']]);
	});

	test('the same delivery three times, one after another, starts the workflow once', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { body } = settled('completed');
		const fired = [];
		for (let i = 0; i < 3; i++) fired.push(...(await receiver.deliver({ body })).fired);
		expect(fired).toHaveLength(1);
		// A later status of the same payout is a new outcome and fires.
		handle.sandbox.store.setStatus(String(body.transaction_id), 'failed');
		expect((await receiver.deliver({ body: { ...body, event: 'disbursement.failed' } })).fired).toHaveLength(1);
	});

	test('three at the same time start the workflow once: they take turns in the process', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { body } = settled('completed');
		const results = await Promise.all([1, 2, 3].map(() => receiver.deliver({ body })));
		expect(results.map((result) => result.fired.length).sort()).toEqual([0, 0, 1]);
		expect((await receiver.deliver({ body })).fired).toEqual([]);
	});

	test('a look-up that fails (503, 429, dropped, 404 while the read lags) is answered 200 at once and retried by the node, which then fires', async () => {
		for (const fault of [{ type: 'status', status: 503 }, { type: 'status', status: 429, retryAfter: 1 }, { type: 'drop' }]) {
			handle.sandbox.clearRequests();
			const receiver = webhookReceiver(handle, scope);
			const { body } = settled('completed');
			handle.sandbox.inject('get', fault);
			let looksWhenAnswered = -1;
			const { response, answeredByNode, fired } = await receiver.deliver({ body }, () => (looksWhenAnswered = gets().length));
			expect(response).toEqual({ status: 200, body: { received: true } });
			expect(answeredByNode).toBe(true);
			expect(looksWhenAnswered).toBe(1);
			expect(gets().length).toBe(2);
			expect(fired).toHaveLength(1);
		}
	});

	test('a look-up that keeps failing for a minute throws a NodeApiError (a failed execution in n8n) after Wistfare was answered', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { body } = settled('completed');
		handle.sandbox.inject('get', { type: 'status', status: 503, times: 1000 });
		const { response, error, fired } = await receiver.deliver({ body });
		expect(response.status).toBe(200);
		expect(fired).toEqual([]);
		expect(error?.constructor.name).toBe('NodeApiError');
		expect(String(error?.message)).not.toContain(TEST_KEY);
	});

	test('a bad key throws at once (401, no second look), and n8n answers 500', async () => {
		const receiver = webhookReceiver({ ...handle, url: handle.url }, scope);
		const { body } = settled('completed');
		handle.sandbox.inject('get', { type: 'status', status: 401, times: 10 });
		const { response, error } = await receiver.deliver({ body });
		expect(error?.constructor.name).toBe('NodeApiError');
		expect(response.status).toBe(500);
		expect(gets()).toHaveLength(1);
	});

	test('a payout the key may not read (403: another business\'s, or a forged id) starts nothing and fails nothing, after one look', async () => {
		const receiver = webhookReceiver(handle, scope);
		const { body } = settled('completed');
		handle.sandbox.inject('get', { type: 'status', status: 403 });
		const { response, error, fired } = await receiver.deliver({ body });
		expect(error).toBeUndefined();
		expect(fired).toEqual([]);
		expect(response).toEqual({ status: 200, body: { received: true, ignored: `the credential may not read payout ${body.transaction_id}` } });
		expect(gets()).toHaveLength(1);
	});

	test('activation (nothing to register with Wistfare) checks that the key can read the business: one GET; a bad key fails it', async () => {
		await expect(webhookReceiver(handle, scope).activate()).resolves.toBe(true);
		const lists = handle.sandbox.requestsFor('list');
		expect(lists).toHaveLength(1);
		expect(lists[0].query.perPage ?? lists[0].query.per_page).toBe('1');
		expect(lists[0].query.businessId ?? lists[0].query.business_id).toBe('biz_123');
		handle.sandbox.inject('list', { type: 'status', status: 401 });
		await expect(webhookReceiver(handle, scope).activate()).rejects.toThrow('Injected 401');
	});

	test('the sandbox delivers over HTTP on a status change, three times in a row: the workflow starts once', async () => {
		const receiver = webhookReceiver(handle, scope);
		const fired: unknown[] = [];
		const server = http.createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', async () => {
				const result = await receiver.deliver({ body: JSON.parse(text) });
				fired.push(...result.fired);
				res.writeHead(result.response.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.response.body));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			handle.sandbox.webhooks.configure({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, repeat: 3, atOnce: false });
			const [payout] = seed(handle.sandbox, 1, {}, Date.now());
			handle.sandbox.store.setStatus(payout.id, 'processing');
			handle.sandbox.store.setStatus(payout.id, 'completed');
			await handle.sandbox.webhooks.settled();
			expect(handle.sandbox.webhooks.log.map((entry) => [entry.body.event, entry.status])).toEqual([
				['disbursement.completed', 200],
				['disbursement.completed', 200],
				['disbursement.completed', 200],
			]);
			expect(fired).toHaveLength(1);
		} finally {
			handle.sandbox.webhooks.configure({ url: '' });
			handle.sandbox.webhooks.log = [];
			server.close();
		}
	});
});
