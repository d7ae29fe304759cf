'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const { root, table, ms } = require('../lib');

function packageSize() {
	const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
	const timing = (preload) => {
		const samples = [];
		for (let i = 0; i < 7; i++) {
			const nodes = require(path.join(root, 'package.json')).n8n.nodes.map((file) => `require(${JSON.stringify(path.join(root, file))});`).join('');
			const script = `${preload}const t=process.hrtime.bigint();${nodes}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
			samples.push(Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })));
		}
		return samples.sort((a, b) => a - b)[3];
	};
	return table('4. Package', ['tarball (npm pack)', 'files', 'unpacked', 'cold require of every node, n8n-workflow already loaded (median of 7)', 'cold require including n8n-workflow itself'], [
		[
			`${(pack.size / 1024).toFixed(1)} KB (target < 100 KB)`,
			pack.entryCount,
			`${(pack.unpackedSize / 1024).toFixed(1)} KB`,
			`${timing("require('n8n-workflow');").toFixed(1)} ms (target < 50 ms)`,
			`${timing('').toFixed(1)} ms`,
		],
	]);
}

module.exports = { name: 'package', run: packageSize };
