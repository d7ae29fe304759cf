#!/usr/bin/env node
'use strict';
// `npm run sandbox`: a local Wistfare API for trying the nodes without real money.
const { Sandbox } = require('./server');

function option(name, fallback) {
	const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
	return flag ? flag.slice(name.length + 3) : fallback;
}

async function main() {
	const key = option('key', 'wf_test_sandbox_key');
	const sandbox = new Sandbox({
		apiKeys: [key],
		rateLimit: Number(option('rate-limit', '0')),
		processingAfterMs: Number(option('processing-after-ms', '3000')),
		finalAfterMs: Number(option('final-after-ms', '8000')),
		file: option('file', undefined),
	});
	const url = await sandbox.start(Number(option('port', '4010')), '127.0.0.1');
	process.stdout.write(
		[
			`Wistfare sandbox listening on ${url}`,
			`  API key:   ${key}`,
			`  Base URL:  ${url}   (use both in the "Wistfare API" credential)`,
			'  Payouts go pending → processing → completed; a destinationRef ending in 0000 ends failed.',
			`  Control:   POST ${url}/_sandbox/disbursements/<id>/status {"status":"refunded"}`,
			'Ctrl-C stops it.',
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
