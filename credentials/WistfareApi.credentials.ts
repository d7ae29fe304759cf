import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { KEY_FORMAT_PROBLEM, keyProblem, WELL_FORMED_KEY } from '../nodes/Wistfare/api/credentials';

export class WistfareApi implements ICredentialType {
	name = 'wistfareApi';

	displayName = 'Wistfare API';

	icon: Icon = { light: 'file:../nodes/Wistfare/wistfare.svg', dark: 'file:../nodes/Wistfare/wistfare.dark.svg' };

	documentationUrl = 'https://github.com/wistfare-community/n8n-nodes-wistfare#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'Starts with wf_test_ (test mode, no real money) or wf_live_ (live mode)',
			description: 'The secret key from your Wistfare dashboard',
		},
		{
			// n8n shows a failed test as "Couldn't connect" with the reason behind "More details": a key
			// that cannot be a Wistfare key is named here, under the field, as it is typed. Hidden for a
			// saved key (n8n sends it back blanked), an expression and an empty field.
			displayName: KEY_FORMAT_PROBLEM,
			name: 'formatWarning',
			type: 'notice',
			default: '',
			displayOptions: {
				hide: {
					apiKey: [
						'',
						{ _cnd: { regex: WELL_FORMED_KEY } },
						{ _cnd: { startsWith: '__n8n_BLANK_VALUE_' } },
						{ _cnd: { startsWith: '=' } },
					],
				},
			},
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api-production.wistfare.com',
			description:
				'Where the Wistfare API lives. Keep the default unless you use the local sandbox (http://127.0.0.1:…) or a proxy. Plain http:// is accepted only for this machine.',
		},
		{
			displayName: 'Default Business ID',
			name: 'defaultBusinessId',
			type: 'string',
			default: '',
			placeholder: 'biz_…',
			description: 'Used by every Wistfare node whose Business ID is left empty, so that it is typed once',
		},
		{
			displayName: 'Default Wallet ID',
			name: 'defaultWalletId',
			type: 'string',
			default: '',
			placeholder: 'wal_…',
			description: 'Used by Initiate and Wallet → Get when their Wallet ID is left empty',
		},
		{
			displayName: 'Advanced Settings',
			name: 'advanced',
			type: 'boolean',
			default: false,
			description: 'Whether to show settings few servers need (the wire dialect)',
		},
		{
			displayName: 'API Dialect',
			name: 'apiDialect',
			type: 'options',
			displayOptions: { show: { advanced: [true] } },
			default: 'auto',
			options: [
				{
					name: 'Automatic',
					value: 'auto',
					description: 'Learn from the server: field names go out in both spellings until it shows which it knows',
				},
				{
					name: 'camelCase (Vendor Docs Page)',
					value: 'camel',
					description: 'businessId, referenceId, perPage …',
				},
				{
					name: 'Snake_case (Vendor SDKs)',
					value: 'snake',
					description: 'business_id, reference_id, per_page …',
				},
			],
			description:
				'How field names are spelled on the wire. Wistfare\'s docs page and its SDKs disagree; keep Automatic unless you know your server.',
		},
		{
			displayName: 'Max Amount Per Payout (In the Payout\'s Currency)',
			name: 'maxAmountPerPayout',
			type: 'string',
			default: '',
			placeholder: 'No limit',
			hint: 'In each payout\'s own currency, e.g. 500000 for 500,000 RWF. Empty: no limit.',
			description:
				'Payout guard: an Initiate above this amount fails before anything is sent. Recommended when an AI agent uses the Wistfare node as a tool.',
		},
		{
			displayName: 'Max Total Per Day (In Each Currency)',
			name: 'maxTotalPerDay',
			type: 'string',
			default: '',
			placeholder: 'No limit',
			hint: 'What each business may pay in a day, in each currency on its own, e.g. 2000000 for 2,000,000 RWF. Empty: no limit.',
			description:
				'Payout guard: counted from Wistfare\'s own list of today\'s payouts (the workflow\'s time zone; failed and refunded ones excluded) before the first payout request, and across executions running at once in one n8n process. A batch that would pass it is refused whole. Across queue-mode workers, executions checking at the same moment each count on their own.',
		},
		{
			displayName: 'Allowed Destination Types',
			name: 'allowedDestinationTypes',
			type: 'string',
			default: '',
			placeholder: 'Any',
			description:
				'Payout guard: comma-separated destination types Initiate may use, e.g. mobile_money. Empty: any.',
		},
		{
			displayName: 'Allowed Destinations',
			name: 'allowedDestinations',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: '250788000001, 250788000002',
			description:
				'Payout guard: the only Destination Refs Initiate may pay (phone numbers in international form, a leading + ignored), separated by commas or new lines. Empty: any.',
		},
	];

	// A key that cannot be a Wistfare key is refused before any request is sent, the credential's Test
	// included: the problem is the first line of what n8n shows.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const problem = keyProblem(credentials.apiKey);
		if (problem) throw new UserError(problem);
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), 'X-API-Key': String(credentials.apiKey).trim() },
		};
	};

	// A key is never sent over plain http:// to another machine: such a Base URL is tested over https://.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ /^http:\\/\\/(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d+)?(\\/|$)/i.test($credentials.baseUrl) ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.baseUrl.replace(/^http:/i, "https:").replace(/\\/+$/, "") }}',
			url: '/v1/disbursements',
			// `page` is spelled alike in both dialects: a strict server of either kind accepts the test.
			qs: { page: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Wistfare rejected this API key (401): it is wrong, expired or revoked. Copy it again from the Wistfare dashboard, and check that the Base URL is the server the key belongs to.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The API key is valid but may not list disbursements (403): check its permissions.',
				},
			},
		],
	};
}
