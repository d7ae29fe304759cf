import { WistfareApi } from '../../credentials/WistfareApi.credentials';
import { checkCredentials, keyMode } from '../../nodes/Wistfare/api/credentials';
import { resolveCredentialExpression } from '../harness/engine';
import { TEST_KEY, useSandbox } from '../helpers';

const handle = useSandbox();
const credential = new WistfareApi();

const authenticate = credential.authenticate as (credentials: object, options: object) => Promise<{ headers: Record<string, string> }>;

/** Runs the credential's declarative test the way n8n's credential tester does: resolve, authenticate, send, apply rules. */
async function runCredentialTest(apiKey: string, baseUrl: string) {
	const credentials = { apiKey, baseUrl };
	const { request, rules } = credential.test;
	const base = resolveCredentialExpression(request.baseURL as string, credentials) as string;
	let headers: Record<string, string>;
	try {
		({ headers } = await authenticate(credentials, { url: request.url }));
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const url = new URL(`${base}${request.url}`);
	for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
	const response = await fetch(url, { headers });
	if (response.ok) return { status: 'OK' };
	const rule = rules?.find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === response.status);
	return { status: 'Error', message: rule && 'message' in rule.properties ? rule.properties.message : `HTTP ${response.status}` };
}

describe('credential Wistfare API', () => {
	test('authenticates with the X-API-Key header', () => {
		expect(credential.name).toBe('wistfareApi');
		expect(credential.displayName).toBe('Wistfare API');
		expect(typeof credential.authenticate).toBe('function');
		expect(credential.properties.find((property) => property.name === 'apiKey')?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://api-production.wistfare.com');
	});

	test('authenticate sets X-API-Key and refuses a malformed key before any request, the problem first', async () => {
		expect(await authenticate({ apiKey: ` ${TEST_KEY} ` }, { url: '/x', headers: { Accept: 'application/json' } })).toEqual({
			url: '/x',
			headers: { Accept: 'application/json', 'X-API-Key': TEST_KEY },
		});
		for (const apiKey of ['sk_live_abc', '', 'wf_test_a b', undefined]) {
			await expect(authenticate({ apiKey }, { url: '/x' })).rejects.toThrow(/^The Wistfare API key has an unknown format/);
		}
		expect(await runCredentialTest('sk_live_abc', handle.url)).toEqual({ status: 'Error', message: expect.stringMatching(/^The Wistfare API key has an unknown format/) });
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	test('its test tells a good key from a bad one against the API', async () => {
		expect(await runCredentialTest(TEST_KEY, handle.url)).toEqual({ status: 'OK' });
		expect(await runCredentialTest('wf_test_wrong', handle.url)).toEqual({
			status: 'Error',
			message: expect.stringContaining('Wistfare rejected this API key (401)'),
		});
		// `page` is spelled alike in both dialects: strict servers of either kind accept the test.
		expect(handle.sandbox.requests.map((request) => [request.path, request.query, request.status])).toEqual([
			['/v1/disbursements', { page: '1' }, 200],
			['/v1/disbursements', { page: '1' }, 401],
		]);
	});

	test.each([
		['http://127.0.0.1:4010/', 'http://127.0.0.1:4010'],
		['http://localhost:4010', 'http://localhost:4010'],
		['http://[::1]:4010', 'http://[::1]:4010'],
		['https://api-production.wistfare.com/', 'https://api-production.wistfare.com'],
		['http://api.example.com', 'https://api.example.com'],
		['http://127.0.0.1.evil.com', 'https://127.0.0.1.evil.com'],
	])('the test never sends the key over plain http to another host: %s → %s', (baseUrl, expected) => {
		expect(resolveCredentialExpression(credential.test.request.baseURL as string, { apiKey: TEST_KEY, baseUrl })).toBe(expected);
	});
});

describe('checkCredentials', () => {
	test('reads the mode from the key prefix', () => {
		expect(keyMode('wf_test_x')).toBe('test');
		expect(keyMode('wf_live_x')).toBe('live');
		expect(keyMode('wf_x')).toBeUndefined();
	});

	test.each([
		[{ apiKey: 'wf_live_abc', baseUrl: '' }, { ok: true, value: { baseUrl: 'https://api-production.wistfare.com', mode: 'live', dialect: 'auto' } }],
		[{ apiKey: 'wf_test_abc', baseUrl: 'http://127.0.0.1:4010/' }, { ok: true, value: { baseUrl: 'http://127.0.0.1:4010', mode: 'test', dialect: 'auto' } }],
		[{ apiKey: 'wf_test_abc', baseUrl: '', apiDialect: 'snake' }, { ok: true, value: { baseUrl: 'https://api-production.wistfare.com', mode: 'test', dialect: 'snake' } }],
		[{ apiKey: 'abc', baseUrl: '' }, { ok: false, problem: expect.stringContaining('unknown format') }],
		[{ apiKey: 'wf_test_abc', baseUrl: 'http://10.0.0.5' }, { ok: false, problem: expect.stringContaining('plain http://') }],
		[{ apiKey: 'wf_test_abc', baseUrl: 'ftp://x' }, { ok: false, problem: expect.stringContaining('must start with https://') }],
		[{ apiKey: 'wf_test_abc', baseUrl: 'not a url' }, { ok: false, problem: expect.stringContaining('not a valid URL') }],
	])('%o', (input, expected) => {
		expect(checkCredentials(input)).toEqual(expected);
	});
});
