#!/usr/bin/env node
'use strict';
// `npm run sandbox`: a local Wistfare API for trying the nodes without real money.
const { Sandbox } = require('./server');

function option(name, fallback) {
	const flag = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	if (!flag) return fallback;
	return flag.includes('=') ? flag.slice(name.length + 3) : 'true';
}

const number = (name, fallback) => Number(option(name, String(fallback)));
const flag = (name) => option(name, 'false') === 'true';

const USAGE = `Flags (all optional):
  --port=4010 --key=wf_test_sandbox_key --file=data.json
  --rate-limit=N                 requests per second before 429 (0: none); Retry-After in whole seconds
  --rate-limit-kind=fixed|sliding|bucket   windows of whole seconds (default), a sliding 1 s window,
                                 or a token bucket
  --rate-limit-burst=N --rate-limit-refill=N   the token bucket's size and tokens a second (default: N)
  --rate-limit-headers=x|ietf    also send X-RateLimit-* (x) or the IETF draft's RateLimit fields (ietf)
  --processing-after-ms=3000 --final-after-ms=8000   the payout lifecycle
  --dialect=camel|snake          field names read and answered (vendor docs page | vendor SDKs)
  --strict                       refuse unknown fields and query parameters with a 422
  --short-initiate-answer        answer a payout request with only id, status and fees (Dart SDK)
  --ignore-idempotency-key       two POSTs make two payouts
  --list-lag-ms=N --get-lag-ms=N a new payout shows in the list / on Get only N ms after creation
  --ignore-filters=referenceId,status,…   list filters this server does not apply
  --echo-formats                 amounts as "5000.00", phones with "+" toggled, no currency
  --max-per-page=N --thin-envelope         smaller pages than asked; list answers with only data
  --ignore-page                  answer the first page whatever page is asked for
  --shuffle-ties                 payouts sharing one createdAt in a new order on each request
  --clock-skew-ms=N              the server's clock runs N ms ahead of this machine's (negative: behind)
  --webhook-url=URL              deliver disbursement.completed/.failed there on each status change
  --webhook-repeat=N --webhook-at-once   send each delivery N times, one after another or at once
  --webhook-delay-ms=N --webhook-dialect=camel   deliver late; in camelCase instead of snake_case
  --wallet=ID:BALANCE[:CURRENCY[:BUSINESS]]   a wallet (repeatable), e.g. --wallet=wal_demo:100000:RWF:biz_demo
  --fee=BUSINESS:RATE[:FLAT[:CURRENCY]]       a business's fee: RATE percent plus FLAT, e.g. --fee=biz_demo:1.5`;

/** Every value of a repeatable flag. */
const all = (name) => process.argv.filter((arg) => arg.startsWith(`--${name}=`)).map((arg) => arg.slice(name.length + 3));

/**
 * The wallets and fees the flags set, in the shape of the sandbox's `funds` option.
 * @returns {import('./wallets').WalletOptions}
 */
function fundsOf() {
	/** @type {Record<string, import('./wallets').WalletSetting>} */
	const wallets = {};
	for (const spec of all('wallet')) {
		const [id, balance, currency = 'RWF', businessId] = spec.split(':');
		if (!id || !/^\d+(\.\d+)?$/.test(balance ?? '')) throw new Error(`--wallet=${spec}: use ID:BALANCE[:CURRENCY[:BUSINESS]]`);
		wallets[id] = { balance: Number(balance), currency: currency.toUpperCase(), ...(businessId ? { businessId } : {}) };
	}
	/** @type {Record<string, import('./wallets').FeeSetting>} */
	const fees = {};
	for (const spec of all('fee')) {
		const [businessId, rate, flat, currency = 'RWF'] = spec.split(':');
		if (!businessId || !/^\d+(\.\d+)?$/.test(rate ?? '')) throw new Error(`--fee=${spec}: use BUSINESS:RATE[:FLAT[:CURRENCY]]`);
		fees[businessId] = { feeModel: flat ? 'percentage_plus_flat' : 'percentage', percentageRate: rate, ...(flat ? { flatAmount: flat } : {}), currency: currency.toUpperCase() };
	}
	return { wallets, fees };
}

async function main() {
	if (flag('help')) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const key = option('key', 'wf_test_sandbox_key');
	const ignored = option('ignore-filters', '');
	const sandbox = new Sandbox({
		apiKeys: [key],
		rateLimit: number('rate-limit', 0),
		rateLimitKind: ['fixed', 'sliding', 'bucket'].includes(option('rate-limit-kind', 'fixed')) ? option('rate-limit-kind', 'fixed') : 'fixed',
		rateLimitBurst: number('rate-limit-burst', 0),
		rateLimitRefill: number('rate-limit-refill', 0),
		rateLimitHeaders: ['x', 'ietf'].includes(option('rate-limit-headers', '')) ? option('rate-limit-headers', '') : false,
		processingAfterMs: number('processing-after-ms', 3000),
		finalAfterMs: number('final-after-ms', 8000),
		file: option('file', undefined),
		dialect: option('dialect', 'camel') === 'snake' ? 'snake' : 'camel',
		strict: flag('strict'),
		shortInitiateAnswer: flag('short-initiate-answer'),
		ignoreIdempotencyKey: flag('ignore-idempotency-key'),
		listLagMs: number('list-lag-ms', 0),
		getLagMs: number('get-lag-ms', 0),
		ignoreFilters: ignored ? ignored.split(',') : [],
		echoFormats: flag('echo-formats'),
		maxPerPage: number('max-per-page', 100),
		thinEnvelope: flag('thin-envelope'),
		ignorePage: flag('ignore-page'),
		shuffleTies: flag('shuffle-ties'),
		clockSkewMs: number('clock-skew-ms', 0),
		funds: fundsOf(),
		webhooks: {
			url: option('webhook-url', undefined),
			repeat: number('webhook-repeat', 1),
			atOnce: flag('webhook-at-once'),
			delayMs: number('webhook-delay-ms', 0),
			dialect: option('webhook-dialect', 'snake') === 'camel' ? 'camel' : 'snake',
		},
	});
	const url = await sandbox.start(number('port', 4010), '127.0.0.1');
	process.stdout.write(
		[
			`Wistfare sandbox listening on ${url} (${sandbox.dialect}${sandbox.strict ? ', strict' : ''})`,
			`  API key:   ${key}`,
			`  Base URL:  ${url}   (use both in the "Wistfare API" credential)`,
			'  Payouts go pending → processing → completed; a destinationRef ending in 0000 ends failed.',
			`  Control:   POST ${url}/_sandbox/disbursements/<id>/status {"status":"refunded"}`,
			'  --help lists the flags that make it behave like other servers. Ctrl-C stops it.',
			'',
		].join('\n'),
	);
	const stop = () => sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
