'use strict';
// Bench section 10: what the webhook trigger keeps per outcome fired, and what a delivery costs in
// it: n8n loads and saves the node's static data on every delivery, and the node looks the outcome
// up and adds it.
const path = require('node:path');

const { dist, table } = require('../lib');

const DAY = 86_400_000;
const SIZES = [1_000, 10_000, 100_000, 300_000];

async function memoryCost() {
	const memory = require(path.join(dist, 'nodes/Wistfare/webhook/memory.js'));
	const now = Date.parse('2026-06-30T12:00:00Z');
	const rows = [];
	for (const size of SIZES) {
		// `size` outcomes spread over the last 30 days, as a business with size / 30 a day leaves them.
		const perDay = Math.ceil(size / memory.REMEMBER_DAYS);
		const days = {};
		for (let day = 0; day < memory.REMEMBER_DAYS; day++) {
			const prints = [];
			for (let i = 0; i < perDay && day * perDay + i < size; i++) prints.push(memory.fingerprint(`disb_${day}_${i}:completed`));
			days[Math.floor((now - day * DAY) / DAY)] = prints.sort().join('');
		}
		let saved = JSON.stringify({ 'node:Wistfare Webhook Trigger': { fired: { v: 2, days, forgottenBefore: null } } });
		const bytes = Buffer.byteLength(saved);
		const deliveries = 200;
		let load = 0;
		let decide = 0;
		for (let i = 0; i < deliveries; i++) {
			let started = performance.now();
			const data = JSON.parse(saved);
			load += performance.now() - started;
			started = performance.now();
			const fired = memory.readMemory(data['node:Wistfare Webhook Trigger'].fired, now);
			const key = `disb_new_${i}:completed`;
			if (memory.hasFired(fired, key) || !memory.hasFired(fired, 'disb_0_0:completed')) throw new Error('memory is wrong');
			data['node:Wistfare Webhook Trigger'].fired = memory.remember(fired, key, now + i);
			decide += performance.now() - started;
			started = performance.now();
			saved = JSON.stringify(data);
			load += performance.now() - started;
		}
		rows.push([
			size.toLocaleString('en'),
			`${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KB`,
			`${(load / deliveries).toFixed(2)} ms`,
			`${((decide / deliveries) * 1000).toFixed(0)} µs`,
		]);
		process.stdout.write(`  webhook memory: ${size} done\n`);
	}
	return table(
		'10. Webhook trigger memory: outcomes remembered (30 days), the static data, n8n\'s load and save of it per delivery (JSON), and the node\'s look-up and add (mean of 200 deliveries)',
		['outcomes remembered', 'static data', 'load + save per delivery', 'look-up + add per delivery'],
		rows,
	);
}

module.exports = { name: 'memory', run: memoryCost };
