// `n8n-node lint` from @n8n/node-cli, in strict mode with its stock ESLint config, on this package's
// sources. It runs on a copy (work/, beside node-cli so that the stock config resolves it): the
// repository's own eslint.config.mjs reconciles the same rule sets but must also skip test/, which
// the stock config would lint with the node rules (tests use timers and process.env on purpose).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..', '..');
const work = join(here, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules', '.bin'), { recursive: true });
for (const name of ['nodes', 'credentials', 'package.json', 'tsconfig.json']) cpSync(join(root, name), join(work, name), { recursive: true });
const pkg = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8'));
if (pkg.n8n?.strict !== true) throw new Error('package.json must keep "n8n": { "strict": true }');
const stock = join(here, 'node_modules', '@n8n', 'node-cli', 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');
writeFileSync(join(work, 'eslint.config.mjs'), readFileSync(stock, 'utf8'));
// The peer dependency, for import resolution; ESLint from node-cli's own install.
symlinkSync(join(root, 'node_modules', 'n8n-workflow'), join(work, 'node_modules', 'n8n-workflow'));
symlinkSync(join(here, 'node_modules', '.bin', 'eslint'), join(work, 'node_modules', '.bin', 'eslint'));
try {
	execFileSync(join(here, 'node_modules', '.bin', 'n8n-node'), ['lint'], { cwd: work, stdio: 'inherit' });
	process.stdout.write('passed: n8n-node lint (strict, stock config) on nodes/, credentials/, package.json\n');
} finally {
	rmSync(work, { recursive: true, force: true });
}
