import { CREDENTIAL_BLANKING_VALUE, NodeHelpers } from 'n8n-workflow';

import { WistfareApi } from '../../credentials/WistfareApi.credentials';
import { KEY_FORMAT_PROBLEM, keyProblem } from '../../nodes/Wistfare/api/credentials';

// The credential panel names a malformed key under the field (n8n hides a failed test's reason behind
// "More details"). The editor decides with n8n-workflow's displayParameter, as here.
const notice = new WistfareApi().properties.find((property) => property.name === 'formatWarning')!;
const shown = (apiKey: string) => NodeHelpers.displayParameter({ apiKey }, notice, null, null);

test('the notice says what the credential test would refuse', () => {
	expect(notice.type).toBe('notice');
	expect(notice.displayName).toBe(KEY_FORMAT_PROBLEM);
});

test.each(['sk_live_123', 'wf_Test_abc', 'wf_test_ab c', 'wf_live', ' x wf_test_abc'])('shown for %j, which the credential refuses', (apiKey) => {
	expect(keyProblem(apiKey)).toBe(KEY_FORMAT_PROBLEM);
	expect(shown(apiKey)).toBe(true);
});

test.each(['wf_test_abc', 'wf_live_abc', ' wf_test_abc \n', 'wf_test_'])('hidden for %j, which the credential accepts', (apiKey) => {
	expect(keyProblem(apiKey)).toBeUndefined();
	expect(shown(apiKey)).toBe(false);
});

test.each([
	['an empty field', ''],
	['a saved key, which n8n sends back blanked', CREDENTIAL_BLANKING_VALUE],
	['an expression', '={{ $env.WISTFARE_KEY }}'],
])('hidden for %s', (_, apiKey) => {
	expect(shown(apiKey)).toBe(false);
});
