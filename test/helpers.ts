import { WistfareApi } from '../credentials/WistfareApi.credentials';
import { Wistfare } from '../nodes/Wistfare/Wistfare.node';
import { createPoller, createWebhookReceiver, runNode } from './harness/engine';
import { Sandbox } from '../sandbox/server';
import { serverKind } from './servers';
import { virtualClock } from './virtual-clock';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- the sandbox's test key, not a secret
export const TEST_KEY = 'wf_test_0123456789abcdef';
export const NODE_TYPE = 'n8n-nodes-wistfare.wistfare';

export interface SandboxHandle {
	sandbox: Sandbox;
	url: string;
}

type SandboxOptions = NonNullable<ConstructorParameters<typeof Sandbox>[0]>;

/**
 * A sandbox on a free loopback port for the whole file, reset before each test. It speaks the
 * dialect and strictness of the run's server kind (test/servers.ts), on the suite's virtual clock.
 */
export function useSandbox(options: SandboxOptions = {}): SandboxHandle {
	const handle = {} as SandboxHandle;
	beforeAll(async () => {
		handle.sandbox = newSandbox(options);
		handle.url = await handle.sandbox.start();
	});
	afterAll(async () => {
		await handle.sandbox.stop();
	});
	beforeEach(() => {
		handle.sandbox.store.reset();
		handle.sandbox.wallets.reset();
		handle.sandbox.clearRequests();
		handle.sandbox.clearFaults();
	});
	return handle;
}

/** A sandbox of the run's server kind (not started). */
export function newSandbox(options: SandboxOptions = {}): Sandbox {
	const { dialect, strict } = serverKind();
	return new Sandbox({ apiKeys: [TEST_KEY], autoAdvance: false, dialect, strict, now: virtualClock.now, ...options });
}

/** Replaces the handle's sandbox with one of other options, for the rest of the file. */
export async function restartSandbox(handle: SandboxHandle, options: SandboxOptions): Promise<void> {
	await handle.sandbox.stop();
	handle.sandbox = newSandbox(options);
	handle.url = await handle.sandbox.start();
}

export interface RunOptions {
	parameters: Record<string, unknown>;
	items?: Array<Record<string, unknown>>;
	apiKey?: string;
	baseUrl?: string;
	continueOnFail?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	/** More credential fields, e.g. the payout guard. */
	credential?: Record<string, unknown>;
	/** Presses Stop this long (real time) after the start. */
	cancelAfterMs?: number;
}

export async function runWistfare(handle: SandboxHandle, options: RunOptions) {
	return await runNode({
		nodeTypes: { [NODE_TYPE]: new Wistfare() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: {
			wistfareApi: { apiKey: options.apiKey ?? TEST_KEY, baseUrl: options.baseUrl ?? handle.url, ...options.credential },
		},
		node: {
			name: 'Wistfare',
			type: NODE_TYPE,
			parameters: { resource: 'disbursement', ...options.parameters },
			continueOnFail: options.continueOnFail,
			retryOnFail: options.retryOnFail,
			maxTries: options.maxTries,
			waitBetweenTries: options.waitBetweenTries,
		},
		items: options.items,
		cancelAfterMs: options.cancelAfterMs,
	});
}

export const initiateParameters = {
	operation: 'initiate',
	businessId: 'biz_123',
	walletId: 'wal_456',
	amount: '5000',
	destinationType: 'mobile_money',
	destinationRef: '250788000001',
	referenceId: 'vendor_payout_001',
	additionalFields: { description: 'Vendor payout' },
};

/** Initiate's optional settings, each where the panel puts it: Advanced Options, beside them, or Additional Fields. */
export function initiateOptions(options: Record<string, unknown>) {
	const advanced = ['concurrency', 'idempotencyKey', 'requestTimeoutSeconds', 'settleSeconds'];
	const beside = ['fundsCheck', 'waitForFinalStatus', 'timeoutSeconds', 'pollIntervalSeconds', 'mode'];
	const pick = (names: string[], keep: boolean) => Object.fromEntries(Object.entries(options).filter(([name]) => names.includes(name) === keep));
	return {
		additionalFields: pick([...advanced, ...beside], false),
		advancedOptions: pick(advanced, true),
		...pick(beside, true),
	};
}

/** Creates payouts straight in the sandbox store (history for list tests), oldest first. */
export function seed(sandbox: Sandbox, count: number, overrides: Record<string, unknown> = {}, startMs = Date.parse('2026-01-01T00:00:00Z')) {
	const created = [];
	for (let i = 0; i < count; i++) {
		created.push(
			sandbox.store.create(
				{
					businessId: 'biz_123',
					walletId: 'wal_456',
					amount: String(1000 + i),
					destinationType: 'mobile_money',
					destinationRef: `25078800${String(i).padStart(4, '0')}`.replace(/0000$/, '0001'),
					referenceId: `ref_${i}`,
					...overrides,
				},
				startMs + i * 1000,
			),
		);
	}
	return created;
}

export const TRIGGER_TYPE = 'n8n-nodes-wistfare.wistfareTrigger';
export const WEBHOOK_TRIGGER_TYPE = 'n8n-nodes-wistfare.wistfareWebhookTrigger';

export function triggerPoller(handle: SandboxHandle, parameters: Record<string, unknown>, pollBudgetMs?: number, credential: Record<string, unknown> = {}) {
	// Loaded lazily so that action-node tests do not compile the trigger.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { WistfareTrigger } = require('../nodes/Wistfare/WistfareTrigger.node') as typeof import('../nodes/Wistfare/WistfareTrigger.node');
	return createPoller({
		nodeTypes: { [TRIGGER_TYPE]: new WistfareTrigger() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: { wistfareApi: { apiKey: TEST_KEY, baseUrl: handle.url, ...credential } },
		node: { name: 'Wistfare Trigger', type: TRIGGER_TYPE, parameters },
		pollBudgetMs,
	});
}

/** The Wistfare Webhook Trigger as a production webhook in n8n, with the sandbox as Wistfare. */
/** The Secret the receivers are set up with unless a test gives its own; their calls carry it unless they give a query. */
export const WEBHOOK_SECRET = 'test-webhook-secret';

export function webhookReceiver(handle: SandboxHandle, parameters: Record<string, unknown>) {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { WistfareWebhookTrigger } = require('../nodes/Wistfare/WistfareWebhookTrigger.node') as typeof import('../nodes/Wistfare/WistfareWebhookTrigger.node');
	const withSecret = { secret: WEBHOOK_SECRET, ...parameters };
	const receiver = createWebhookReceiver({
		nodeTypes: { [WEBHOOK_TRIGGER_TYPE]: new WistfareWebhookTrigger() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: { wistfareApi: { apiKey: TEST_KEY, baseUrl: handle.url } },
		node: { name: 'Wistfare Webhook Trigger', type: WEBHOOK_TRIGGER_TYPE, parameters: withSecret },
	});
	const query = { secret: withSecret.secret };
	const deliver = receiver.deliver.bind(receiver);
	const context = receiver.context.bind(receiver);
	receiver.deliver = (request, onAnswer) => deliver({ query, ...request }, onAnswer);
	receiver.context = (request = {}) => context({ query, ...request });
	return receiver;
}

/** The JSON of a poll's items, or null. */
export function eventsOf(result: Array<Array<{ json: Record<string, unknown> }>> | null) {
	return result === null ? null : result[0].map((item) => item.json);
}
