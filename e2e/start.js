#!/usr/bin/env node
'use strict';
// `npm start`: a real n8n editor on 127.0.0.1 with this package installed, the sandbox, a
// "Wistfare sandbox" credential and the example workflows. Ctrl-C stops everything it started.
const path = require('node:path');

const { ensureRuntime, installPackage, startN8n, N8nClient, ROOT } = require('./lib/n8n');
const setup = require('./lib/setup');
const { Sandbox } = require('../sandbox/server');
const { DEMO_FUNDS } = require('../sandbox/demo');

const KEY = 'wf_test_sandbox_key';
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 4010);
const userFolder = path.join(ROOT, '.n8n');
// n8n's schedules and dates ("Reconcile a day": from the start of today) follow GENERIC_TIMEZONE:
// this machine's zone unless it is set.
const TIMEZONE = process.env.GENERIC_TIMEZONE || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

async function main() {
	const started = Date.now();
	ensureRuntime();
	installPackage(userFolder);
	const sandbox = new Sandbox({
		apiKeys: [KEY],
		processingAfterMs: 5_000,
		finalAfterMs: 20_000,
		file: path.join(userFolder, 'sandbox-data.json'),
		funds: DEMO_FUNDS,
	});
	const sandboxUrl = await sandbox.start(SANDBOX_PORT);
	let n8n;
	const stop = async () => {
		process.stdout.write('\nStopping n8n and the sandbox…\n');
		await n8n?.stop();
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	try {
		n8n = await startN8n({ userFolder, port: N8N_PORT, brokerPort: N8N_PORT + 1, env: { GENERIC_TIMEZONE: TIMEZONE, TZ: TIMEZONE } });
		const client = new N8nClient(n8n.url);
		await client.ownerSession(setup.OWNER);
		const credentialId = await setup.ensureCredential(client, { apiKey: KEY, baseUrl: sandboxUrl });
		const workflows = await setup.ensureExamples(client, credentialId);
		// The webhook example is published, and the sandbox delivers outcomes to it, as Wistfare would
		// once its URL is pasted in the dashboard.
		const webhookExample = await client.request('GET', `/workflows/${workflows['instant-outcomes.json'].id}`);
		if (!(webhookExample.activeVersionId ?? webhookExample.active)) await setup.activate(client, webhookExample.id);
		const webhookUrl = `${n8n.url}/webhook/wistfare-instant-outcomes/wistfare?secret=demo-webhook-secret`;
		sandbox.webhooks.configure({ url: webhookUrl });
		process.stdout.write(
			[
				'',
				`n8n with n8n-nodes-wistfare is ready (${((Date.now() - started) / 1000).toFixed(0)} s):`,
				'',
				`  Editor:    ${n8n.url}`,
				`  Login:     ${setup.OWNER.email} / ${setup.OWNER.password}`,
				`  Sandbox:   ${sandboxUrl} (key ${KEY}); credential "${setup.CREDENTIAL_NAME}" points at it`,
				`  Timezone:  ${TIMEZONE} (this machine's; set GENERIC_TIMEZONE to use another)`,
				`  Webhooks:  "Instant payout outcomes" is published; the sandbox delivers payout outcomes to ${webhookUrl}`,
				'  Funds:     wallet wal_demo of biz_demo holds 1,000,000 RWF; fees 1.5 % (the sandbox resets them at each start)',
				'  Workflows:',
				...Object.values(workflows).map((workflow) => `    - ${workflow.name}: ${n8n.url}/workflow/${workflow.id}`),
				'',
				`  n8n log:   ${n8n.logFile}`,
				'Ctrl-C stops n8n and the sandbox.',
				'',
			].join('\n'),
		);
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		await n8n?.stop();
		await sandbox.stop();
		process.exit(1);
	}
}

main();
