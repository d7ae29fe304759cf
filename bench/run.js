#!/usr/bin/env node
'use strict';
// `npm run bench [section …]`: speed and memory of the built package, each section in
// bench/sections/, against the sandbox (in its own process) and side by side with a naive baseline.
// Each section's table goes to bench/results/ with when and where it ran; RESULTS.md is then written
// whole from every section's latest table, so a partial run updates its own sections only.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startSandbox } = require('./lib');

const SECTIONS = fs
	.readdirSync(path.join(__dirname, 'sections'))
	.filter((file) => /^\d\d-.*\.js$/.test(file))
	.sort()
	.map((file) => ({ file: file.replace(/\.js$/, ''), ...require(path.join(__dirname, 'sections', file)) }));

async function main() {
	const only = process.argv.slice(2);
	const unknown = only.filter((name) => !SECTIONS.some((section) => section.name === name));
	if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((section) => section.name).join(', ')}`);
	const chosen = SECTIONS.filter((section) => only.length === 0 || only.includes(section.name));
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
	const sandbox = await startSandbox();
	try {
		for (const section of chosen) {
			const result = await section.run(sandbox);
			const dated = result.replace(/\n/, `\nRun on ${new Date().toISOString().slice(0, 10)}: ${machine}.\n`);
			fs.writeFileSync(path.join(__dirname, 'results', `${section.file}.md`), dated.trimEnd() + '\n');
			process.stdout.write(`\n${dated}\n`);
		}
	} finally {
		sandbox.stop();
	}
	// The notes (what the figures mean, and the queue-mode runs measured in CI) come first.
	const tables = ['00-notes', ...SECTIONS.map((section) => section.file)]
		.map((file) => path.join(__dirname, 'results', `${file}.md`))
		.filter((file) => fs.existsSync(file))
		.map((file) => fs.readFileSync(file, 'utf8').trimEnd());
	const report = [
		'# Benchmark results',
		'',
		'Written by `npm run bench` from `bench/results/`, one table a section, each with the day and machine',
		'it ran on. The sandbox runs in its own process on 127.0.0.1 (sections 9, 10 and 11: in this one); the',
		'nodes run in n8n-core\'s engine.',
		'',
		...tables.flatMap((text) => [text, '']),
	].join('\n');
	fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
