'use strict';
// What `npm start` and the e2e tests do in a running n8n through its REST API: the owner, the
// sandbox credential, the example workflows, manual runs and their results.
const fs = require('node:fs');
const path = require('node:path');

const { RUNTIME, ROOT, LINE } = require('./n8n');

const OWNER = { email: 'demo@wistfare.local', firstName: 'Wistfare', lastName: 'Demo', password: 'Wistfare-demo-2026' };
const CREDENTIAL_NAME = 'Wistfare sandbox';
const EXAMPLES = path.join(ROOT, 'examples');

/** n8n stores execution data in the "flatted" format; its own copy reads it (once n8n is installed). */
const flatted = () => require(path.join(RUNTIME, 'node_modules', 'flatted'));

function examples() {
	return fs
		.readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) }));
}

/** The "Wistfare sandbox" credential, created or updated to point at this sandbox. */
async function ensureCredential(client, { apiKey, baseUrl }) {
	const data = { apiKey, baseUrl, maxAmountPerPayout: '', allowedDestinationTypes: '' };
	const existing = (await client.request('GET', '/credentials')).find((credential) => credential.name === CREDENTIAL_NAME);
	if (existing) {
		await client.request('PATCH', `/credentials/${existing.id}`, { name: CREDENTIAL_NAME, type: 'wistfareApi', data });
		return existing.id;
	}
	return (await client.request('POST', '/credentials', { name: CREDENTIAL_NAME, type: 'wistfareApi', data })).id;
}

function withCredential(workflow, credentialId) {
	return {
		...workflow,
		// n8n 1.x stores `active` with the workflow and refuses one without it (NOT NULL); 2.x publishes instead.
		...(LINE === 1 ? { active: false } : {}),
		nodes: workflow.nodes.map((node) =>
			node.credentials?.wistfareApi ? { ...node, credentials: { wistfareApi: { id: credentialId, name: CREDENTIAL_NAME } } } : node,
		),
	};
}

/** Creates each example workflow that does not exist yet; returns all of them by file name. */
async function ensureExamples(client, credentialId) {
	const existing = await client.request('GET', '/workflows');
	const byName = new Map((Array.isArray(existing) ? existing : existing.data ?? []).map((workflow) => [workflow.name, workflow]));
	const result = {};
	for (const { file, workflow } of examples()) {
		const found = byName.get(workflow.name);
		result[file] = found ?? (await client.request('POST', '/workflows', withCredential(workflow, credentialId)));
	}
	return result;
}

/** Creates one more workflow (e.g. a fixture) wired to the sandbox credential. */
async function createWorkflow(client, workflow, credentialId) {
	return await client.request('POST', '/workflows', withCredential(workflow, credentialId));
}

/** Publishes (2.x) or activates (1.x, where a workflow's `active` flag is set by updating it). */
async function activate(client, workflowId) {
	const workflow = await client.request('GET', `/workflows/${workflowId}`);
	if (LINE === 1) return await client.request('PATCH', `/workflows/${workflowId}`, { active: true, versionId: workflow.versionId });
	return await client.request('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
}

async function deactivate(client, workflowId) {
	if (LINE === 1) {
		const workflow = await client.request('GET', `/workflows/${workflowId}`);
		return await client.request('PATCH', `/workflows/${workflowId}`, { active: false, versionId: workflow.versionId });
	}
	return await client.request('POST', `/workflows/${workflowId}/deactivate`, {});
}

/** Runs a workflow from its manual trigger and waits for the saved execution. */
async function runManually(client, workflow, { timeoutMs = 60_000 } = {}) {
	const full = await client.request('GET', `/workflows/${workflow.id}`);
	const trigger = full.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	// n8n 1.x runs the workflow the editor sends (`workflowData`); 2.x the stored one.
	const body = { triggerToStartFrom: { name: trigger.name }, ...(LINE === 1 ? { workflowData: full } : {}) };
	const started = await client.request('POST', `/workflows/${workflow.id}/run`, body);
	return await waitForExecution(client, started.executionId, timeoutMs);
}

async function waitForExecution(client, executionId, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await client.request('GET', `/executions/${executionId}`);
		if (execution && execution.finished !== undefined && ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) {
			const data = typeof execution.data === 'string' ? flatted().parse(execution.data) : execution.data;
			// n8n 1.x may answer with the status already saved and the data not yet ("[]", which its own
			// log reports as "Found successful execution where data is empty stringified array"): ask again.
			if (data?.resultData || execution.status !== 'success') return { ...execution, data };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish in ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

/** An execution's data, parsed from n8n's "flatted" format when it comes as text. */
function executionData(execution) {
	return typeof execution.data === 'string' ? flatted().parse(execution.data) : execution.data;
}

/** The JSON of a node's output items in an execution. */
function outputOf(execution, nodeName, branch = 0) {
	const run = execution.data.resultData.runData[nodeName]?.[0];
	return (run?.data?.main?.[branch] ?? []).map((item) => item.json);
}

/** Executions of a workflow, newest first (without their data). */
async function executionsOf(client, workflowId) {
	const list = await client.request('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	return list.results ?? list.data ?? list;
}

/** How many executions a workflow has: the REST API's count, not the length of its first page. */
async function executionCount(client, workflowId) {
	const list = await client.request('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`);
	return typeof list.count === 'number' ? list.count : (list.results ?? list.data ?? list).length;
}

module.exports = { executionData, executionCount, createWorkflow, activate, deactivate, withCredential, OWNER, CREDENTIAL_NAME, ensureCredential, ensureExamples, runManually, waitForExecution, outputOf, executionsOf, examples };
