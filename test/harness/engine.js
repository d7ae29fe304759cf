'use strict';
// Runs our nodes under the real n8n-core engine: WorkflowExecute for actions, PollContext for the
// trigger, with a credentials helper that applies the credential type's own `authenticate`.
const { ExecutionLifecycleHooks, HookContext, LoadOptionsContext, WorkflowExecute, PollContext, TriggersAndPollers, WebhookContext } = require('n8n-core');
const {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
} = require('n8n-workflow');

/** A start node that emits the items given in its `items` parameter (an array of JSON objects). */
class ItemsSource {
	constructor() {
		this.description = {
			displayName: 'Items',
			name: 'items',
			group: ['input'],
			version: 1,
			description: 'Emits fixed items',
			defaults: { name: 'Items' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const raw = this.getNodeParameter('items', 0);
		const items = typeof raw === 'string' ? JSON.parse(raw) : raw;
		return [items.map((json) => ({ json }))];
	}
}

class NodeTypes {
	/** @param {Record<string, object>} types  type name → node type instance */
	constructor(types) {
		this.types = { 'test.items': new ItemsSource(), ...types };
	}

	getByName(name) {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name, version) {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** Holds decrypted credentials by type; authenticates with the credential type's real definition. */
class CredentialsHelper extends ICredentialsHelper {
	/** @param {Record<string, object>} credentialTypes  name → credential type instance */
	constructor(credentialTypes, credentials = {}) {
		super();
		this.credentialTypes = credentialTypes;
		this.credentials = credentials;
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = this.credentialTypes[typeName];
		const authenticate = type && type.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic') throw new Error(`Unsupported authenticate type ${authenticate.type}`);
		const resolve = (value) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const options = { ...requestOptions };
		for (const [target, values] of Object.entries(authenticate.properties)) {
			options[target] = { ...(options[target] || {}) };
			for (const [key, value] of Object.entries(values)) options[target][resolve(key)] = await resolve(value);
		}
		return options;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getParentTypes() {
		return [];
	}

	getCredentialsProperties(type) {
		return this.credentialTypes[type]?.properties ?? [];
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const data = this.credentials[type];
		if (!data) throw new Error(`No credentials of type ${type}`);
		return { ...data };
	}

	/** @returns {Promise<any>} */
	async getCredentials() {
		throw new Error('not used');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	isCredentialUsableByNode() {
		return true;
	}

	getOAuth2Options() {
		return undefined;
	}
}

/** @returns {any} n8n's IWorkflowExecuteAdditionalData, as much of it as the nodes use */
function additionalDataFor(credentialsHelper, hooks) {
	return {
		credentialsHelper,
		hooks,
		executionId: 'test-execution',
		currentNodeParameters: undefined,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		userId: 'test-user',
		executionTimeoutTimestamp: undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of these tests');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Code runners are not part of these tests');
		},
	};
}

function workflowBase(nodes, connections) {
	return {
		id: 'test-workflow',
		name: 'Test workflow',
		nodes,
		connections,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	};
}

/**
 * Runs a whole workflow under WorkflowExecute, from its node named `Items` (a test.items node).
 * @param {object} args
 * @param {Record<string, object>} args.nodeTypes  type name → node type instance
 * @param {Record<string, object>} args.credentialTypes  name → credential type instance
 * @param {Record<string, object>} args.credentials  type → decrypted data
 * @param {object[]} args.nodes  INode[]
 * @param {object} args.connections
 * @param {number} [args.cancelAfterMs]  presses Stop this long (real time) after the start
 * @returns {Promise<any>} the IRun
 */
async function runWorkflow({ nodeTypes, credentialTypes, credentials, nodes, connections, cancelAfterMs }) {
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test workflow',
		nodes,
		connections,
		active: false,
		nodeTypes: new NodeTypes(nodeTypes),
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowBase(nodes, connections));
	let finished;
	const done = new Promise((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished(fullRunData));
	const additionalData = additionalDataFor(new CredentialsHelper(credentialTypes, credentials), hooks);
	/** @type {any} */
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: /** @type {any} */ (workflow.getNode('Items')), data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	};
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	// The Stop button: n8n cancels the execution, which aborts its cancel signal.
	const stop = cancelAfterMs === undefined ? undefined : setTimeout(() => execution.cancel(), cancelAfterMs);
	await execution;
	// An execution that ended before the Stop leaves no timer behind to keep the test worker alive.
	clearTimeout(stop);
	return await done;
}

/** Output items of a node's first run in an IRun. */
function outputOf(run, nodeName) {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0];
}

/**
 * Runs a workflow "Items → node" under WorkflowExecute.
 * @param {object} args  as runWorkflow, with `node` (the node under test: { type, parameters, … })
 *   and `items` (input items' JSON) instead of nodes and connections; `cancelAfterMs` presses Stop
 * @returns {Promise<{ run: any, output: any[] | undefined, error: any, taskData: any }>}
 */
async function runNode({ nodeTypes, credentialTypes, credentials, node, items = [{}], cancelAfterMs }) {
	const nodeName = node.name ?? 'Node';
	const credentialType = node.credentialType ?? Object.keys(credentials)[0];
	/** @type {any[]} */
	const nodes = [
		{ id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items } },
		{
			id: 'under-test',
			name: nodeName,
			type: node.type,
			typeVersion: node.typeVersion ?? 1,
			position: [200, 0],
			parameters: node.parameters,
			credentials: credentialType ? { [credentialType]: { id: '1', name: 'Test credential' } } : undefined,
			retryOnFail: node.retryOnFail,
			maxTries: node.maxTries,
			waitBetweenTries: node.waitBetweenTries,
			continueOnFail: node.continueOnFail,
			onError: node.onError,
		},
	];
	const connections = { Items: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } };
	const run = await runWorkflow({ nodeTypes, credentialTypes, credentials, nodes, connections, cancelAfterMs });
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	return {
		run,
		taskData,
		output: taskData?.data?.main?.[0] ?? undefined,
		error: taskData?.error ?? run.data.resultData.error,
	};
}

/** An active workflow of one trigger node, rebuilt from given static data as n8n does from its database. */
/**
 * @param {{ nodeTypes: Record<string, any>, credentialTypes: Record<string, any>, credentials: Record<string, any>, node: any, id: string, webhookId?: string }} options
 */
function activeWorkflowOf({ nodeTypes, credentialTypes, credentials, node, id, webhookId }) {
	const credentialType = Object.keys(credentials)[0];
	/** @type {any[]} */
	const nodes = [
		{
			id,
			name: node.name,
			type: node.type,
			typeVersion: node.typeVersion ?? 1,
			position: [0, 0],
			parameters: node.parameters,
			...(webhookId ? { webhookId } : {}),
			credentials: { [credentialType]: { id: '1', name: 'Test credential' } },
		},
	];
	const types = new NodeTypes(nodeTypes);
	const makeWorkflow = (staticData, workflowId = 'test-workflow') =>
		new Workflow({ id: workflowId, name: 'Test workflow', nodes, connections: {}, active: true, nodeTypes: types, staticData, settings: {} });
	return { nodeName: node.name, nodes, types, credentialsHelper: new CredentialsHelper(credentialTypes, credentials), makeWorkflow };
}

/**
 * A poller bound to one trigger node on a real Workflow. Each `poll()` runs the node's poll() through
 * n8n-core's TriggersAndPollers in a fresh PollContext, on the workflow's own static data.
 *
 * `pollBudgetMs` sets what the context's getPollBudgetMs() answers.
 *
 * Persistence is modelled on n8n 2.41: static data is saved after activation (the first poll) and
 * whenever a poll returns items; `restart()` rebuilds the workflow from what was saved, so the
 * changes of polls that returned null are lost, as they are when n8n restarts.
 */
/**
 * @param {{ nodeTypes: Record<string, any>, credentialTypes: Record<string, any>, credentials: Record<string, any>, node: any, pollBudgetMs?: number }} options
 */
function createPoller({ nodeTypes, credentialTypes, credentials, node, pollBudgetMs }) {
	const { nodeName, nodes, types, credentialsHelper, makeWorkflow } = activeWorkflowOf({ nodeTypes, credentialTypes, credentials, node: { ...node, name: node.name ?? 'Trigger' }, id: 'trigger' });
	const triggersAndPollers = new TriggersAndPollers();
	let workflow = makeWorkflow({});
	let saved;
	let activated = false;
	const snapshot = () => JSON.parse(JSON.stringify(workflow.staticData));
	return {
		get workflow() {
			return workflow;
		},
		/** What n8n has saved of the static data. */
		get saved() {
			return saved;
		},
		/** The static data as it is in memory now. */
		snapshot,
		/** n8n restarts: the workflow is rebuilt from the saved static data. */
		restart() {
			workflow = makeWorkflow(saved === undefined ? {} : JSON.parse(JSON.stringify(saved)));
		},
		/** A PollContext of the active workflow, for calling the trigger's I/O directly. */
		/** @param {any} [mode] */
		context(mode = 'trigger') {
			const hooks = new ExecutionLifecycleHooks(mode, 'poll', workflowBase(nodes, {}));
			return new PollContext(workflow, /** @type {any} */ (workflow.getNode(nodeName)), additionalDataFor(credentialsHelper, hooks), mode, 'init');
		},
		/** @returns {Promise<any[][] | null>} */
		/** @param {any} [mode] */
		async poll(mode = 'trigger') {
			const hooks = new ExecutionLifecycleHooks(mode, 'poll', workflowBase(nodes, {}));
			const additionalData = additionalDataFor(credentialsHelper, hooks);
			const activation = activated ? 'init' : 'activate';
			const context = new PollContext(workflow, /** @type {any} */ (workflow.getNode(nodeName)), additionalData, mode, activation);
			// n8n's budget for one poll (5 minutes in n8n-core 2.41 unless the tick engine says otherwise).
			if (pollBudgetMs !== undefined) /** @type {any} */ (context).getPollBudgetMs = () => pollBudgetMs;
			const result = await triggersAndPollers.runPollFunction(workflow, /** @type {any} */ (workflow.getNode(nodeName)), context);
			if (mode !== 'manual' && (!activated || result !== null)) saved = snapshot();
			if (mode !== 'manual') activated = true;
			return result;
		},
	};
}

/** What n8n's webhook server needs of express's response: the status and body sent, once. */
function responseRecorder() {
	const res = {
		headersSent: false,
		/** @type {any} the status and body sent, once sent */
		sent: undefined,
		statusCode: 200,
		status(code) {
			res.statusCode = code;
			return res;
		},
		json(body) {
			if (res.headersSent) throw new Error('Cannot set headers after they are sent to the client');
			res.headersSent = true;
			res.sent = { status: res.statusCode, body };
			return res;
		},
		setHeader() {},
		end() {
			res.json(undefined);
		},
	};
	return res;
}

/**
 * A production webhook of a node, delivered to as n8n 2.41's live webhooks do (webhooks/live-webhooks
 * and webhook-helpers): each delivery builds the workflow from the static data saved so far (null
 * before the first save), runs the node's `webhook()` in n8n-core's WebhookContext, and saves the
 * static data whole, as n8n does, only where n8n does:
 * - a node that answered the call itself (`noWebhookResponse`) gets its save at once, when n8n's
 *   response callback runs, if the data's changed flag is set;
 * - otherwise, when the node fires, n8n starts the workflow before the callback, and WorkflowRunner
 *   wraps the same loaded static data in a new Workflow, which clears the changed flag: the save that
 *   follows finds nothing changed (measured in n8n 2.41.1: the second delivery of the "Instant payout
 *   outcomes" example left the saved memory as the first had written it);
 * - a call that starts nothing is saved when it is answered.
 * Deliveries at the same time each start from what was saved before them, and the last save wins. A
 * node that throws gets no save; n8n answers 500 and records a failed execution. `restart()` is a new
 * n8n process: what the package keeps in the process (its registry) is not there.
 */
let receivers = 0;

function createWebhookReceiver({ nodeTypes, credentialTypes, credentials, node }) {
	const { nodeName, nodes, types, credentialsHelper, makeWorkflow } = activeWorkflowOf({
		nodeTypes,
		credentialTypes,
		credentials,
		node: { ...node, name: node.name ?? 'Webhook Trigger' },
		id: 'webhook-trigger',
		webhookId: 'wistfare-webhook-test',
	});
	/** @type {object | null} */
	let saved = null;
	// The package keys what it keeps in the process by workflow: a new id is a process that never saw this one.
	let workflowId = `test-workflow-${++receivers}`;
	const load = () => (saved === null ? null : JSON.parse(JSON.stringify(saved)));
	return {
		/** What n8n has saved of the static data. */
		get saved() {
			return saved ?? {};
		},
		/** n8n restarted: the saved static data stays, the process's memory does not. */
		restart() {
			workflowId = `test-workflow-${++receivers}`;
		},
		/** Static data as if saved by earlier deliveries (a memory built without making them one by one). */
		set saved(value) {
			saved = value;
		},
		/** Activation as n8n 2.41 does it (WebhookService.createWebhookIfNotExists): `create` unless `checkExists`. */
		async activate() {
			const workflow = makeWorkflow({});
			const hooks = new ExecutionLifecycleHooks('trigger', 'activate', workflowBase(nodes, {}));
			const type = /** @type {any} */ (types.getByNameAndVersion(node.type, 1));
			/** @type {any} */
			const webhookData = { httpMethod: 'POST', node: nodeName, path: 'wistfare', webhookDescription: type.description.webhooks[0], workflowId: 'test-workflow', isTest: false };
			const context = new HookContext(workflow, /** @type {any} */ (workflow.getNode(nodeName)), additionalDataFor(credentialsHelper, hooks), 'trigger', 'activate', webhookData);
			const methods = type.webhookMethods.default;
			if (await methods.checkExists.call(context)) return true;
			return await methods.create.call(context);
		},
		/**
		 * A WebhookContext for one call, for calling the node's delivery code directly.
		 * @param {{ body?: unknown, query?: object }} [request]
		 */
		context(request = {}) {
			const workflow = makeWorkflow(load(), workflowId);
			const req = { method: 'POST', body: request.body, query: request.query ?? {}, headers: {}, params: {} };
			const hooks = new ExecutionLifecycleHooks('webhook', 'webhook', workflowBase(nodes, {}));
			const additionalData = { ...additionalDataFor(credentialsHelper, hooks), httpRequest: req, httpResponse: responseRecorder() };
			const type = /** @type {any} */ (types.getByNameAndVersion(node.type, 1));
			/** @type {any} */
			const webhookData = { httpMethod: 'POST', node: nodeName, path: 'wistfare', webhookDescription: type.description.webhooks[0], workflowId: 'test-workflow', isTest: false };
			return new WebhookContext(workflow, /** @type {any} */ (workflow.getNode(nodeName)), additionalData, 'webhook', webhookData, [], null);
		},
		/**
		 * @param {{ body: unknown, query?: object, headers?: object }} request
		 * @param {(sent: any) => void} [onAnswer] told when the caller gets its answer
		 * @returns {Promise<{ response: any, answeredByNode: boolean, fired: Array<Record<string, any>>, error?: Error }>}
		 */
		async deliver(request, onAnswer) {
			const loaded = load();
			const workflow = makeWorkflow(loaded, workflowId);
			const res = responseRecorder();
			const json = res.json;
			res.json = (body) => {
				json(body);
				onAnswer?.(res.sent);
				return res;
			};
			const req = { method: 'POST', body: request.body, query: request.query ?? {}, headers: request.headers ?? {}, params: {} };
			const hooks = new ExecutionLifecycleHooks('webhook', 'webhook', workflowBase(nodes, {}));
			const additionalData = { ...additionalDataFor(credentialsHelper, hooks), httpRequest: req, httpResponse: res };
			const type = /** @type {any} */ (types.getByNameAndVersion(node.type, 1));
			/** @type {any} */
			const webhookData = {
				httpMethod: 'POST',
				node: nodeName,
				path: `${nodes[0].webhookId}/${type.description.webhooks[0].path}`,
				webhookDescription: type.description.webhooks[0],
				workflowId: 'test-workflow',
				isTest: false,
			};
			const context = new WebhookContext(workflow, /** @type {any} */ (workflow.getNode(nodeName)), additionalData, 'webhook', webhookData, [], null);
			/** @type {any} */
			let result;
			try {
				result = await type.webhook.call(context);
			} catch (error) {
				if (!res.headersSent) res.status(500).json({ code: 500, message: 'Workflow Webhook Error: Workflow could not be started!' });
				return { response: res.sent, answeredByNode: false, fired: [], error: /** @type {Error} */ (error) };
			}
			const answeredByNode = res.headersSent;
			const save = () => {
				if (workflow.staticData.__dataChanged !== true) return;
				saved = JSON.parse(JSON.stringify(workflow.staticData));
				workflow.staticData.__dataChanged = false;
			};
			if (result.noWebhookResponse === true) save();
			// The execution's Workflow over the same loaded object (null loads a fresh one).
			if (result.workflowData) makeWorkflow(loaded, workflowId);
			save();
			if (!res.headersSent && result.noWebhookResponse !== true) {
				res.json(result.workflowData ? { message: 'Workflow was started' } : result.webhookResponse ?? { message: 'Webhook call received' });
			}
			return { response: res.sent, answeredByNode, fired: (result.workflowData?.[0] ?? []).map((item) => item.json) };
		},
	};
}

/**
 * Runs a node's list search (a resource locator's "From List") as the editor does: in n8n-core's
 * LoadOptionsContext, with the node's current parameters.
 */
async function runListSearch({ nodeTypes, credentialTypes, credentials, node, method, filter }) {
	const types = new NodeTypes(nodeTypes);
	const credentialType = Object.keys(credentials)[0];
	/** @type {any} */
	const inode = {
		id: 'under-test',
		name: node.name ?? 'Node',
		type: node.type,
		typeVersion: 1,
		position: [0, 0],
		parameters: node.parameters,
		credentials: { [credentialType]: { id: '1', name: 'Test credential' } },
	};
	const workflow = new Workflow({ id: 'w', nodes: [inode], connections: {}, active: false, nodeTypes: types });
	const hooks = new ExecutionLifecycleHooks('internal', 'load-options', workflowBase([inode], {}));
	const additionalData = { ...additionalDataFor(new CredentialsHelper(credentialTypes, credentials), hooks), currentNodeParameters: node.parameters };
	const context = new LoadOptionsContext(workflow, inode, additionalData, `parameters.${node.locator ?? 'disbursementId'}`);
	const type = /** @type {any} */ (types.getByNameAndVersion(node.type, 1));
	return await type.methods.listSearch[method].call(context, filter);
}

/** Resolves a credential-time expression (`={{ … $credentials … }}`) as n8n does for a credential test. */
function resolveCredentialExpression(value, credentials) {
	/** @type {any} */
	const node = { id: 'n', name: 'N', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ id: 'w', nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes({}) });
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
}

module.exports = {
	runNode,
	runListSearch,
	runWorkflow,
	outputOf,
	createPoller,
	createWebhookReceiver,
	resolveCredentialExpression,
	NodeTypes,
	CredentialsHelper,
};
