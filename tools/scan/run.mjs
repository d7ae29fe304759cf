// Runs n8n's community package scanner (@n8n/scan-community-package) on this package as n8n's
// verification does: its lint gate over the source (package.json, nodes/, credentials/) and over the
// packed tarball. The scanner's CLI fetches published packages only, so its analyzePackage() is called
// on a checkout and on `npm pack` output instead. Provenance is checked by n8n once the package is
// published from .github/workflows/publish.yml; it cannot be checked before.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = join(import.meta.dirname, '..', '..');
const packed = mkdtempSync(join(tmpdir(), 'wistfare-scan-'));
execFileSync('npm', ['pack', '--pack-destination', packed], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const [tarball] = readdirSync(packed).filter((name) => name.endsWith('.tgz'));
execFileSync('tar', ['xzf', join(packed, tarball), '-C', packed]);

let failed = false;
for (const [what, dir, patterns] of [
	['source', root, SOURCE_FILE_PATTERNS],
	[`tarball ${tarball}`, join(packed, 'package'), undefined],
]) {
	const result = await analyzePackage(dir, patterns);
	process.stdout.write(`${result.passed ? 'passed' : 'FAILED'}: n8n scanner, ${what}${result.message ? ` (${result.message})` : ''}\n`);
	if (!result.passed) {
		failed = true;
		if (result.details) process.stdout.write(`${result.details}\n`);
	}
}
process.exit(failed ? 1 : 0);
