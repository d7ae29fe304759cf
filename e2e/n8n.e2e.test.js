'use strict';
// The package inside a real n8n (the pinned 2.41.1 on Node 24), driven through its REST API,
// against the sandbox. Run with `npm run test:e2e`.
const { bootInstance, KEY } = require('./lib/instance');
const setup = require('./lib/setup');

let instance;
let sandbox;
let client;
let workflows;
const withLog = (test) => instance.withLog(test);

beforeAll(async () => {
	instance = await bootInstance({ port: 5688 });
	({ sandbox, client, workflows } = instance);
}, 900_000);

afterAll(async () => {
	await instance?.stop();
});

test('n8n lists our three node types and the credential type', () =>
	withLog(async () => {
		const nodes = (await client.getRoot('/types/nodes.json')).map((type) => type.name);
		expect(nodes).toEqual(expect.arrayContaining(['n8n-nodes-wistfare.wistfare', 'n8n-nodes-wistfare.wistfareTrigger', 'n8n-nodes-wistfare.wistfareWebhookTrigger']));
		const credentials = (await client.getRoot('/types/credentials.json')).map((type) => type.name);
		expect(credentials).toContain('wistfareApi');
	}));

test('the credential Test: a good key passes; a malformed key is refused before any request, its problem first', () =>
	withLog(async () => {
		const test = (apiKey) =>
			client.request('POST', '/credentials/test', {
				// id '' with the owner: an unsaved credential, tested as the credential form does.
				credentials: { id: '', name: 'Wistfare probe', type: 'wistfareApi', data: { apiKey, baseUrl: sandbox.url, apiDialect: 'auto' } },
			});
		sandbox.clearRequests();
		expect(await test(KEY)).toMatchObject({ status: 'OK' });
		expect(sandbox.requests.map((request) => [request.path, request.status])).toEqual([['/v1/disbursements', 200]]);
		sandbox.clearRequests();
		const refused = await test('sk_live_not_a_wistfare_key');
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^The Wistfare API key has an unknown format/);
		expect(sandbox.requests).toHaveLength(0);
	}));

test('"Pay a list of vendors" in Preview mode sends nothing; a batch its wallet cannot cover is refused whole', () =>
	withLog(async () => {
		const example = workflows['pay-vendors.json'];
		const full = await client.request('GET', `/workflows/${example.id}`);
		const asPreview = {
			name: 'Pay a list of vendors (preview)',
			nodes: full.nodes.map((node) => (node.name === 'Pay vendor' ? { ...node, parameters: { ...node.parameters, mode: 'preview' } } : node)),
			connections: full.connections,
			settings: full.settings,
		};
		const preview = await setup.createWorkflow(client, asPreview, instance.credentialId);
		sandbox.wallets.configure({ wallets: { wal_demo: { businessId: 'biz_demo', balance: 100_000 } }, fees: { biz_demo: { feeModel: 'percentage', percentageRate: '1.5' } } });
		try {
			sandbox.clearRequests();
			const previewed = await setup.runManually(client, preview);
			expect(previewed.status).toBe('success');
			const rows = setup.outputOf(previewed, 'Pay vendor');
			expect(rows.map((row) => [row.action, row.wouldSend, row.referenceId, row.debit])).toEqual([
				['pay', false, 'INV-2026-001', '15225'],
				['pay', false, 'INV-2026-002', '8323'],
				['pay', false, 'INV-2026-003', '121800'],
			]);
			expect(rows[0].batch).toMatchObject({ payouts: 0, fundsCheck: 'refused', refusal: expect.stringMatching(/^Nothing was sent: wallet "wal_demo" has 100,000 RWF and this batch needs 145,348 RWF/) });
			expect(sandbox.requestsFor('initiate')).toHaveLength(0);

			const refused = await setup.runManually(client, example);
			expect(refused.status).toBe('error');
			expect(refused.data.resultData.error.message).toBe(rows[0].batch.refusal);
			expect(sandbox.requestsFor('initiate')).toHaveLength(0);
			expect(sandbox.store.all()).toHaveLength(0);
		} finally {
			sandbox.wallets.reset();
		}
	}));

test('Preview and Pay of the same sheet with a bad row: the rows Preview would send are the rows Pay sends', () =>
	withLog(async () => {
		const example = workflows['pay-vendors.json'];
		const full = await client.request('GET', `/workflows/${example.id}`);
		const sheet = [
			{ vendor: 'Row one', phone: '+250 788 120 001', amount: '1000', invoice: 'SHEET-1' },
			{ vendor: 'Row two', phone: '250788120002', amount: '2000', invoice: 'SHEET-2' },
			{ vendor: 'Bad number', phone: '12', amount: '3000', invoice: 'SHEET-3' },
			{ vendor: 'Row four', phone: '250788120004', amount: '4000', invoice: 'SHEET-4' },
		];
		const jsCode = `return ${JSON.stringify(sheet.map((json) => ({ json })))};`;
		const variant = (name, mode, onError) => ({
			name,
			nodes: full.nodes.map((node) => {
				if (node.type === 'n8n-nodes-base.code') return { ...node, parameters: { ...node.parameters, jsCode } };
				if (node.name === 'Pay vendor') return { ...node, parameters: { ...node.parameters, mode }, ...(onError ? { onError } : {}) };
				return node;
			}),
			connections: full.connections,
			settings: full.settings,
		});
		sandbox.wallets.configure({ wallets: { wal_demo: { businessId: 'biz_demo', balance: 1_000_000 } }, fees: { biz_demo: { feeModel: 'percentage', percentageRate: '1.5' } } });
		try {
			// Without Continue On Fail: Preview says nothing would be sent; Pay sends nothing.
			const preview = await setup.runManually(client, await setup.createWorkflow(client, variant('Sheet (preview)', 'preview'), instance.credentialId));
			const shown = setup.outputOf(preview, 'Pay vendor');
			expect(shown.map((row) => row.wouldSend)).toEqual([false, false, false, false]);
			expect(shown[0].batch).toMatchObject({ payouts: 0, stop: 'Pay would send nothing: row 3 (item 2) is invalid, and Continue On Fail is off' });
			expect(shown[0].destinationRef).toBe('250788120001');
			const pay = await setup.runManually(client, await setup.createWorkflow(client, variant('Sheet (pay)', 'pay'), instance.credentialId));
			expect(pay.status).toBe('error');
			expect(pay.data.resultData.error.message).toMatch(/^Invalid "Destination Ref" in row 3 \(item 2\)/);
			expect(sandbox.requestsFor('initiate')).toHaveLength(0);

			// With it: the rows Preview marks are the rows Pay pays.
			const previewEach = await setup.runManually(client, await setup.createWorkflow(client, variant('Sheet (preview, continue)', 'preview', 'continueRegularOutput'), instance.credentialId));
			const wouldSend = setup.outputOf(previewEach, 'Pay vendor').filter((row) => row.wouldSend).map((row) => row.referenceId);
			expect(wouldSend).toEqual(['SHEET-1', 'SHEET-2', 'SHEET-4']);
			const payEach = await setup.runManually(client, await setup.createWorkflow(client, variant('Sheet (pay, continue)', 'pay', 'continueRegularOutput'), instance.credentialId));
			expect(payEach.status).toBe('success');
			expect(sandbox.requestsFor('initiate').map((request) => request.body.referenceId ?? request.body.reference_id).sort()).toEqual(wouldSend);
		} finally {
			sandbox.wallets.reset();
			// The examples after this one start from an empty Wistfare.
			sandbox.store.reset();
			sandbox.clearRequests();
		}
	}));

test('"Pay a sheet with approval": nothing is paid until a person approves the previewed totals in the form; then the rows are paid', () =>
	withLog(async () => {
		const workflow = await client.request('GET', `/workflows/${workflows['pay-with-approval.json'].id}`);
		sandbox.wallets.configure({ wallets: { wal_demo: { businessId: 'biz_demo', balance: 1_000_000 } }, fees: { biz_demo: { feeModel: 'percentage', percentageRate: '1.5' } } });
		try {
			const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
			const { executionId } = await client.request('POST', `/workflows/${workflow.id}/run`, { triggerToStartFrom: { name: trigger.name } });
			// The execution waits for the form; Preview has run and nothing was paid.
			const deadline = Date.now() + 60_000;
			let execution;
			do {
				await new Promise((resolve) => setTimeout(resolve, 500));
				execution = await client.request('GET', `/executions/${executionId}`);
			} while (execution.status !== 'waiting' && Date.now() < deadline);
			expect(execution.status).toBe('waiting');
			expect(sandbox.requestsFor('initiate')).toHaveLength(0);
			const data = setup.executionData(execution);
			const totals = setup.outputOf({ data }, 'Totals to approve')[0];
			expect(totals).toMatchObject({ payouts: 3, fundsCheck: 'pass' });
			// A person approves in the form.
			const form = new FormData();
			form.append('field-0', 'Approve and pay');
			const url = `${instance.n8n.url}/form-waiting/${executionId}${data.resumeToken ? `?signature=${encodeURIComponent(data.resumeToken)}` : ''}`;
			const answer = await fetch(url, { method: 'POST', body: form });
			expect(answer.status).toBeLessThan(400);
			const finished = await setup.waitForExecution(client, executionId);
			expect(finished.status).toBe('success');
			expect(setup.outputOf(finished, 'Pay vendors').map((payout) => payout.referenceId)).toEqual(['INV-2026-001', 'INV-2026-002', 'INV-2026-003']);
			expect(sandbox.requestsFor('initiate')).toHaveLength(3);
		} finally {
			sandbox.wallets.reset();
			sandbox.store.reset();
			sandbox.clearRequests();
		}
	}));

test('the AI example with human review imports, its Pay tool behind n8n\'s chat review', () =>
	withLog(async () => {
		const workflow = await client.request('GET', `/workflows/${workflows['ai-payouts-with-review.json'].id}`);
		expect(workflow.nodes.map((node) => node.type)).toEqual(expect.arrayContaining(['n8n-nodes-wistfare.wistfareTool', '@n8n/n8n-nodes-langchain.chatHitlTool']));
		expect(workflow.connections.Pay.ai_tool[0][0].node).toBe('Approve payout in chat');
		// n8n knows both types: the tool variant of our node, and the review variant of its Chat node.
		const known = new Set((await client.getRoot('/types/nodes.json')).map((type) => type.name));
		expect(['n8n-nodes-wistfare.wistfareTool', '@n8n/n8n-nodes-langchain.chatHitlTool'].filter((type) => !known.has(type))).toEqual([]);
	}));

test('"Pay a list of vendors" pays each row once, and a re-run pays nobody again', () =>
	withLog(async () => {
		const first = await setup.runManually(client, workflows['pay-vendors.json']);
		expect(first.status).toBe('success');
		const paid = setup.outputOf(first, 'Pay vendor');
		expect(paid.map((payout) => [payout.referenceId, payout.status, payout.amount, payout.destinationRef])).toEqual([
			['INV-2026-001', 'pending', '15000', '250788123456'],
			['INV-2026-002', 'pending', '8200', '250722987654'],
			['INV-2026-003', 'pending', '120000', '250788110000'],
		]);
		expect(paid.every((payout) => /^n8n-wf-[0-9a-f]{40}$/.test(payout.idempotencyKey))).toBe(true);
		expect(sandbox.store.all()).toHaveLength(3);

		const again = await setup.runManually(client, workflows['pay-vendors.json']);
		expect(again.status).toBe('success');
		expect(setup.outputOf(again, 'Pay vendor').map((payout) => [payout.id, payout.duplicate])).toEqual(paid.map((payout) => [payout.id, true]));
		expect(sandbox.store.all()).toHaveLength(3);
		expect(sandbox.requestsFor('initiate')).toHaveLength(3);
	}));

test('"Reconcile a day of payouts" lists today\'s payouts and totals them', () =>
	withLog(async () => {
		const execution = await setup.runManually(client, workflows['reconcile-day.json']);
		expect(execution.status).toBe('success');
		expect(setup.outputOf(execution, "Today's payouts")).toHaveLength(3);
		expect(setup.outputOf(execution, 'Totals by status')).toEqual([{ status: 'pending', payouts: 3, amount: 143200, currency: 'RWF' }]);
	}));

test('"React to payout outcomes": activated, one payout completed → exactly one execution carrying it', () =>
	withLog(async () => {
		const workflow = await client.request('GET', `/workflows/${workflows['react-to-outcomes.json'].id}`);
		sandbox.clearRequests();
		const scans = () => sandbox.requestsFor('list').filter((request) => !request.query.status && !request.query.referenceId).length;
		await client.request('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
		// n8n 2.41 takes the activation poll (our baseline) shortly after answering: wait for it.
		const baselineBy = Date.now() + 90_000;
		while (scans() === 0 && Date.now() < baselineBy) await new Promise((resolve) => setTimeout(resolve, 500));
		expect(scans()).toBeGreaterThanOrEqual(1);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await setup.executionsOf(client, workflow.id)).toHaveLength(0);

		const target = sandbox.store.all().find((payout) => payout.referenceId === 'INV-2026-001');
		sandbox.store.setStatus(target.id, 'completed');
		const deadline = Date.now() + 150_000;
		let executions = [];
		while (executions.length === 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 2000));
			executions = await setup.executionsOf(client, workflow.id);
		}
		expect(executions).toHaveLength(1);
		const execution = await setup.waitForExecution(client, executions[0].id);
		expect(execution.mode).toBe('trigger');
		const events = setup.outputOf(execution, 'Payout completed or failed');
		expect(events).toEqual([expect.objectContaining({ id: target.id, referenceId: 'INV-2026-001', status: 'completed', previousStatus: 'pending', event: 'disbursement.completed' })]);
		expect(setup.outputOf(execution, 'Mark the invoice paid')).toHaveLength(1);

		// One more poll happens with nothing new: still exactly one execution.
		const seen = scans();
		const next = Date.now() + 90_000;
		while (scans() === seen && Date.now() < next) await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(scans()).toBeGreaterThan(seen);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(await setup.executionsOf(client, workflow.id)).toHaveLength(1);
		await client.request('POST', `/workflows/${workflow.id}/deactivate`, {});
	}));

/** Waits until the workflow has at least `count` executions and then `settleMs` more; returns them all. */
async function executionsAfter(workflowId, count, settleMs = 4000) {
	const deadline = Date.now() + 60_000;
	let executions = [];
	while (executions.length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		executions = await setup.executionsOf(client, workflowId);
	}
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return await setup.executionsOf(client, workflowId);
}

test('"Instant payout outcomes (webhook)": a forged call is refused; a payout that settles starts one execution though Wistfare delivers it 3 times', () =>
	withLog(async () => {
		const workflow = workflows['instant-outcomes.json'];
		const url = `${instance.n8n.url}/webhook/wistfare-instant-outcomes/wistfare`;
		sandbox.clearRequests();
		await setup.activate(client, workflow.id);
		// Nothing to register with Wistfare: activation checks that the key reads the business (n8n
		// 2.41 registers the webhook shortly after answering the REST call).
		const registeredBy = Date.now() + 60_000;
		while (sandbox.requestsFor('list').length === 0 && Date.now() < registeredBy) await new Promise((resolve) => setTimeout(resolve, 250));
		expect(sandbox.requestsFor('list').map((request) => request.status)).toEqual([200]);
		await new Promise((resolve) => setTimeout(resolve, 500));

		// Forged: without the secret, or with another one, refused before any request to Wistfare.
		sandbox.clearRequests();
		const target = sandbox.store.all().find((payout) => payout.referenceId === 'INV-2026-002');
		for (const query of ['', '?secret=guess']) {
			const [forged] = await sandbox.webhooks.send({ event: 'disbursement.completed', transaction_id: target.id }, { url, query, repeat: 1, atOnce: false, delayMs: 0 });
			expect(forged.status).toBe(403);
		}
		// With the secret: a collection event is answered and starts nothing.
		const [collection] = await sandbox.webhooks.send({ event: 'collection.completed', transaction_id: target.id }, { url, query: '?secret=demo-webhook-secret', repeat: 1, atOnce: false, delayMs: 0 });
		expect(collection.status).toBe(200);
		expect(sandbox.requests).toHaveLength(0);

		// The payout fails; Wistfare's delivery comes 3 times, one after another.
		sandbox.webhooks.configure({ url: `${url}?secret=demo-webhook-secret`, repeat: 3, atOnce: false, delayMs: 0 });
		try {
			sandbox.store.setStatus(target.id, 'failed');
			await sandbox.webhooks.settled();
			const deliveries = sandbox.webhooks.log.filter((entry) => entry.body.transaction_id === target.id && entry.body.event === 'disbursement.failed');
			expect(deliveries.map((entry) => entry.status)).toEqual([200, 200, 200]);
			const executions = await executionsAfter(workflow.id, 1);
			expect(executions).toHaveLength(1);
			const execution = await setup.waitForExecution(client, executions[0].id);
			expect(execution.mode).toBe('webhook');
			expect(setup.outputOf(execution, 'Wistfare reports an outcome')).toEqual([
				expect.objectContaining({ id: target.id, referenceId: 'INV-2026-002', status: 'failed', previousStatus: null, event: 'disbursement.failed', deliveredEvent: 'disbursement.failed' }),
			]);
			expect(setup.outputOf(execution, 'Alert: payout failed')).toHaveLength(1);
			// Wistfare was asked about the payout: one look a delivery, and nothing else.
			expect(sandbox.requestsFor('get').map((request) => request.path)).toEqual(Array(3).fill(`/v1/disbursements/${target.id}`));

			// A slow look-up (4 s, over the node's 3 s for its first try): Wistfare is answered first,
			// the node looks again itself, and the workflow still starts once.
			const slow = sandbox.store.all().find((payout) => payout.referenceId === 'INV-2026-001');
			sandbox.inject('get', { type: 'latency', ms: 4000 });
			sandbox.webhooks.configure({ repeat: 1 });
			const sentAt = Date.now();
			sandbox.store.setStatus(slow.id, 'failed');
			await sandbox.webhooks.settled();
			const [slowDelivery] = sandbox.webhooks.log.filter((entry) => entry.body.transaction_id === slow.id);
			const answeredIn = slowDelivery.answeredAt - sentAt;
			process.stdout.write(`webhook: with a 4 s look-up, Wistfare was answered in ${answeredIn} ms\n`);
			expect(slowDelivery.status).toBe(200);
			expect(answeredIn).toBeLessThan(3900);
			expect(await executionsAfter(workflow.id, 2)).toHaveLength(2);

			// The same delivery 3 times at the same time: n8n loads the static data for each delivery
			// before any has saved it, so more than one execution may start. Measured, not hidden.
			sandbox.webhooks.configure({ atOnce: true });
			const other = sandbox.store.all().find((payout) => payout.referenceId === 'INV-2026-003');
			sandbox.store.setStatus(other.id, 'completed');
			await sandbox.webhooks.settled();
			const after = await executionsAfter(workflow.id, 3);
			const started = after.length - 2;
			process.stdout.write(`webhook: 3 deliveries at the same time started ${started} execution(s)\n`);
			expect(started).toBeGreaterThanOrEqual(1);
			expect(started).toBeLessThanOrEqual(3);
		} finally {
			sandbox.webhooks.configure({ url: '', repeat: 1, atOnce: false });
			await client.request('POST', `/workflows/${workflow.id}/deactivate`, {});
		}
	}));
