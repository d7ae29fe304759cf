import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { WistfareApi } from '../../../credentials/WistfareApi.credentials';
import { initiateDisbursement } from '../../../nodes/Wistfare/transport/client';
import { runNode } from '../../harness/engine';
import { TEST_KEY, useSandbox } from '../../helpers';

const handle = useSandbox();

/** A node that calls the typed client directly, to test the transport's rules apart from Initiate's. */
class RawInitiate implements INodeType {
	description = {
		displayName: 'Raw Initiate',
		name: 'rawInitiate',
		group: ['output'],
		version: 1,
		description: 'test',
		defaults: { name: 'Raw Initiate' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'wistfareApi', required: true }],
		properties: [{ displayName: 'Key', name: 'key', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions) {
		const key = this.getNodeParameter('key', 0) as string;
		const body = { businessId: 'biz_123', walletId: 'wal_456', amount: '10', destinationType: 'mobile_money', destinationRef: '250788000001' };
		const result = await initiateDisbursement.call(this, body, key ? { idempotencyKey: key } : {});
		return [[{ json: result, pairedItem: { item: 0 } }]];
	}
}

const run = (key: string) =>
	runNode({
		nodeTypes: { 'test.rawInitiate': new RawInitiate() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: { wistfareApi: { apiKey: TEST_KEY, baseUrl: handle.url } },
		node: { name: 'Raw', type: 'test.rawInitiate', parameters: { key } },
	});

describe('transport: a POST is retried only with an Idempotency-Key', () => {
	test.each([
		['500', { type: 'status', status: 500 }],
		['dropped connection after commit', { type: 'commitThenDrop' }],
	])('without a key, %s is not retried', async (_name, fault) => {
		handle.sandbox.inject('initiate', fault);
		const { error } = await run('');
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
		expect(handle.sandbox.requestsFor('initiate')[0].headers['idempotency-key']).toBeUndefined();
		expect(error).toBeDefined();
	});

	test('without a key, a 429 is still retried (the server did nothing)', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 0 });
		const { error } = await run('');
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.status)).toEqual([429, 201]);
	});

	test('with a key, a 500 is retried with the same key', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 500 });
		const { error } = await run('k-1');
		expect(error).toBeUndefined();
		expect(handle.sandbox.requestsFor('initiate').map((request) => [request.status, request.headers['idempotency-key']])).toEqual([
			[500, 'k-1'],
			[201, 'k-1'],
		]);
	});

	test('a Retry-After above 30 s is not waited for', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 120 });
		const { error } = await run('k-2');
		expect(error?.httpCode).toBe('429');
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
	});
});
