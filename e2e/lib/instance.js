'use strict';
// One n8n with our package, its owner, the sandbox, the credential and the example workflows: what
// each e2e suite starts in beforeAll and stops in afterAll.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureRuntime, installPackage, startN8n, N8nClient } = require('./n8n');
const setup = require('./setup');
const { Sandbox } = require('../../sandbox/server');

const KEY = 'wf_test_e2e_key';

async function bootInstance({ port, sandboxOptions = {} }) {
	ensureRuntime();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'wistfare-e2e-'));
	installPackage(userFolder);
	const sandbox = new Sandbox({ apiKeys: [KEY], autoAdvance: false, ...sandboxOptions });
	const sandboxUrl = await sandbox.start();
	const started = Date.now();
	let n8n;
	try {
		n8n = await startN8n({ userFolder, port, brokerPort: port + 1 });
	} catch (error) {
		await sandbox.stop();
		throw error;
	}
	process.stdout.write(`n8n booted in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	const client = new N8nClient(n8n.url);
	await client.ownerSession(setup.OWNER);
	const credentialId = await setup.ensureCredential(client, { apiKey: KEY, baseUrl: sandboxUrl });
	const workflows = await setup.ensureExamples(client, credentialId);
	const instance = {
		n8n,
		client,
		sandbox,
		workflows,
		credentialId,
		/** On failure, the n8n log comes with the error. */
		async withLog(test) {
			try {
				await test();
			} catch (error) {
				error.message += `\n--- n8n log (last lines) ---\n${instance.n8n.log().split('\n').slice(-80).join('\n')}`;
				throw error;
			}
		},
		/** Stops n8n and starts it again on the same database (what a restart keeps is what n8n saved). */
		async restart() {
			await instance.n8n.stop(); // a no-op when it is already stopped
			instance.n8n = await startN8n({ userFolder, port, brokerPort: port + 1 });
			await client.ownerSession(setup.OWNER);
		},
		async stop() {
			await instance.n8n.stop();
			await sandbox.stop();
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
	return instance;
}

module.exports = { bootInstance, KEY };
