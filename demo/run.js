#!/usr/bin/env node
'use strict';
// `npm run demo`: the built nodes in a real n8n engine against the local sandbox, no account needed.
const path = require('node:path');

process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';

const dist = path.join(__dirname, '..', 'dist');
const { Wistfare } = require(path.join(dist, 'nodes/Wistfare/Wistfare.node.js'));
const { WistfareTrigger } = require(path.join(dist, 'nodes/Wistfare/WistfareTrigger.node.js'));
const { WistfareApi } = require(path.join(dist, 'credentials/WistfareApi.credentials.js'));
const { runWorkflow, outputOf, createPoller } = require('../test/harness/engine');
const { Sandbox } = require('../sandbox/server');
const { DEMO_FUNDS } = require('../sandbox/demo');

const KEY = 'wf_test_demo_key';
const TYPE = 'n8n-nodes-wistfare.wistfare';

const vendors = [
	{ name: 'Aline Uwase', phone: '+250788123456', amount: '15000', invoice: 'INV-2026-001' },
	{ name: 'Jean Bosco', phone: '250722987654', amount: '8200', invoice: 'INV-2026-002' },
	{ name: 'Kigali Movers Ltd', phone: '250788110000', amount: '120000', invoice: 'INV-2026-003' },
];

function table(title, rows, columns) {
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
	const line = (cells) => `  ${cells.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ')}`;
	return [
		`\n${title}`,
		line(columns),
		line(widths.map((width) => '-'.repeat(width))),
		...rows.map((row) => line(columns.map((column) => row[column]))),
	].join('\n');
}

function node(name, parameters, position, extra = {}) {
	return {
		id: name,
		name,
		type: TYPE,
		typeVersion: 1,
		position,
		parameters: { resource: 'disbursement', ...parameters },
		credentials: { wistfareApi: { id: '1', name: 'Wistfare sandbox' } },
		...extra,
	};
}

async function main() {
	const sandbox = new Sandbox({ apiKeys: [KEY], processingAfterMs: 1000, finalAfterMs: 2500, funds: DEMO_FUNDS });
	const url = await sandbox.start();
	const out = (text) => process.stdout.write(`${text}\n`);
	out(`Wistfare sandbox on ${url} (test key ${KEY.slice(0, 8)}…)`);
	out('Workflow: Items (3 vendors) → Wistfare Initiate → Wistfare Get → Wistfare List, in the n8n engine');
	const credentials = { wistfareApi: { apiKey: KEY, baseUrl: url } };
	try {
		const trigger = createPoller({
			nodeTypes: { 'n8n-nodes-wistfare.wistfareTrigger': new WistfareTrigger() },
			credentialTypes: { wistfareApi: new WistfareApi() },
			credentials,
			node: { name: 'Wistfare Trigger', type: 'n8n-nodes-wistfare.wistfareTrigger', parameters: { businessId: 'biz_demo' } },
		});
		await trigger.poll(); // activation: the baseline
		out('Wistfare Trigger activated (baseline taken: nothing fires for what already exists).');
		const nodes = [
			{ id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items: vendors } },
			node(
				'Initiate',
				{
					operation: 'initiate',
					businessId: 'biz_demo',
					walletId: 'wal_demo',
					amount: '={{ $json.amount }}',
					destinationType: 'mobile_money',
					destinationRef: '={{ $json.phone }}',
					referenceId: '={{ $json.invoice }}',
					additionalFields: { description: '=Vendor payout {{ $json.invoice }}', destinationName: '={{ $json.name }}' },
				},
				[200, 0],
			),
			node('Get', { operation: 'get', disbursementId: '={{ $json.id }}' }, [400, 0]),
			node('List', { operation: 'list', businessId: 'biz_demo', returnAll: true }, [600, 0], { executeOnce: true }),
		];
		const connections = {
			Items: { main: [[{ node: 'Initiate', type: 'main', index: 0 }]] },
			Initiate: { main: [[{ node: 'Get', type: 'main', index: 0 }]] },
			Get: { main: [[{ node: 'List', type: 'main', index: 0 }]] },
		};
		const run = await runWorkflow({
			nodeTypes: { [TYPE]: new Wistfare() },
			credentialTypes: { wistfareApi: new WistfareApi() },
			credentials,
			nodes,
			connections,
		});
		if (run.data.resultData.error) throw run.data.resultData.error;
		const columns = ['referenceId', 'id', 'amount', 'currency', 'destinationRef', 'status'];
		out(table('Initiate: one payout per vendor', outputOf(run, 'Initiate').map((item) => item.json), columns));
		out(table('Get: each payout read back', outputOf(run, 'Get').map((item) => item.json), columns));
		out(table('List: the business\'s payouts, newest first', outputOf(run, 'List').map((item) => item.json), [...columns, 'createdAt']));

		out('\nWistfare Trigger, polling every 500 ms while the sandbox moves the payouts on:');
		const ids = new Set(outputOf(run, 'Initiate').map((item) => item.json.id));
		const final = new Set();
		const deadline = Date.now() + 20_000;
		while (final.size < ids.size && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			const result = await trigger.poll();
			for (const { json } of result ? result[0] : []) {
				out(`  ${new Date().toISOString().slice(11, 23)}  ${String(json.event).padEnd(24)} ${json.referenceId}  ${json.previousStatus ?? '(new)'} → ${json.status}`);
				if (['completed', 'failed', 'refunded'].includes(String(json.status))) final.add(String(json.id));
			}
		}
		if (final.size < ids.size) throw new Error('The trigger did not see every payout reach a final status within 20 s');
		out(`\n${sandbox.requests.length} API requests made; exit code 0.`);
	} finally {
		await sandbox.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`Demo failed: ${error.message}\n${error.description ?? ''}\n`);
	process.exit(1);
});
