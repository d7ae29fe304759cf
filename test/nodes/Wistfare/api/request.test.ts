import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { WistfareApi } from '../../../../credentials/WistfareApi.credentials';
import { initiateDisbursement, listDisbursements } from '../../../../nodes/Wistfare/api/client';
import type { WistfareSession } from '../../../../nodes/Wistfare/api/session';
import { runNode } from '../../../harness/engine';
import { TEST_KEY, useSandbox } from '../../../helpers';
import { onTheWire, serverKind } from '../../../servers';

const handle = useSandbox();

/** A node that calls the typed client directly, to test the transport's rules apart from Initiate's. */
class RawClient implements INodeType {
	description = {
		displayName: 'Raw Client',
		name: 'rawClient',
		group: ['output'],
		version: 1,
		description: 'test',
		defaults: { name: 'Raw Client' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'wistfareApi', required: true }],
		properties: [
			{ displayName: 'Key', name: 'key', type: 'string', default: '' },
			{ displayName: 'Call', name: 'call', type: 'string', default: 'initiate' },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions) {
		const key = this.getNodeParameter('key', 0) as string;
		const session: WistfareSession = {};
		if (this.getNodeParameter('call', 0) === 'list') {
			await listDisbursements.call(this, { businessId: 'biz_123', referenceId: 'r', perPage: 5 }, { session });
			await listDisbursements.call(this, { businessId: 'biz_123', perPage: 5 }, { session });
			return [[{ json: { dialect: session.dialect ?? null }, pairedItem: { item: 0 } }]];
		}
		const body = { businessId: 'biz_123', walletId: 'wal_456', amount: '10', destinationType: 'mobile_money', destinationRef: '250788000001' };
		const result = await initiateDisbursement.call(this, body, { ...(key ? { idempotencyKey: key } : {}), session });
		return [[{ json: result, pairedItem: { item: 0 } }]];
	}
}

const run = (key: string, call = 'initiate', credential: Record<string, unknown> = {}) =>
	runNode({
		nodeTypes: { 'test.rawClient': new RawClient() },
		credentialTypes: { wistfareApi: new WistfareApi() },
		credentials: { wistfareApi: { apiKey: TEST_KEY, baseUrl: handle.url, ...credential } },
		node: { name: 'Raw', type: 'test.rawClient', parameters: { key, call } },
	});

describe('transport: a POST is never sent again by the transport', () => {
	test.each([
		['500, no key', '', { type: 'status', status: 500 }],
		['500, with a key', 'k-1', { type: 'status', status: 500 }],
		['dropped connection after commit, with a key', 'k-1', { type: 'commitThenDrop' }],
		['409 in progress', 'k-1', { type: 'commitThenStatus', status: 409 }],
	])('%s: one POST, the error to the caller', async (_name, key, fault) => {
		handle.sandbox.inject('initiate', fault);
		const { error } = await run(key, 'initiate', { apiDialect: serverKind().dialect });
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
		expect(error).toBeDefined();
	});

	test('a 429 is sent again (the server did nothing)', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 0 });
		await run('', 'initiate', { apiDialect: serverKind().dialect });
		expect(handle.sandbox.requestsFor('initiate').map((request) => request.status)).toEqual([429, 201]);
	});

	test('a Retry-After above 30 s is not waited for', async () => {
		handle.sandbox.inject('initiate', { type: 'status', status: 429, retryAfter: 120 });
		const { error } = await run('k-2', 'initiate', { apiDialect: serverKind().dialect });
		expect(error?.httpCode).toBe('429');
		expect(handle.sandbox.requestsFor('initiate')).toHaveLength(1);
	});
});

describe('transport: the dialect', () => {
	test('unknown, a list goes out in both spellings; a strict server refuses once and is then spoken to in its own', async () => {
		const { output, error } = await run('', 'list');
		expect(error).toBeUndefined();
		const { strict, dialect } = serverKind();
		expect(handle.sandbox.rejections.map((request) => request.query)).toEqual(
			strict ? [{ businessId: 'biz_123', business_id: 'biz_123', referenceId: 'r', reference_id: 'r', perPage: '5', per_page: '5' }] : [],
		);
		expect(handle.sandbox.requestsFor('list').map((request) => request.query)).toEqual([
			onTheWire({ businessId: 'biz_123', referenceId: 'r', perPage: '5' }),
			onTheWire({ businessId: 'biz_123', perPage: '5' }),
		]);
		expect(output?.[0].json.dialect).toBe(strict ? dialect : null);
	});

	test('the credential may fix the dialect: then only that spelling is sent', async () => {
		const { dialect } = serverKind();
		await run('', 'list', { apiDialect: dialect });
		expect(handle.sandbox.rejections).toHaveLength(0);
		const name = dialect === 'snake' ? 'business_id' : 'businessId';
		expect(handle.sandbox.requestsFor('list').map((request) => Object.keys(request.query))).toEqual([
			[name, dialect === 'snake' ? 'reference_id' : 'referenceId', dialect === 'snake' ? 'per_page' : 'perPage'],
			[name, dialect === 'snake' ? 'per_page' : 'perPage'],
		]);
	});

	test('a POST refused for its spelling is handed to the caller with the dialect learned, not sent again', async () => {
		const { error } = await run('k-3');
		if (!serverKind().strict) {
			expect(error).toBeUndefined();
			return;
		}
		expect(error?.httpCode).toBe('422');
		expect(error?.context).toMatchObject({ dialect: serverKind().dialect });
		expect(error?.description).toContain('API Dialect');
		expect(handle.sandbox.rejections).toHaveLength(1);
		expect(handle.sandbox.store.all()).toHaveLength(0);
	});
});
