/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never in the package: it reads the CI workflows from disk */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

/** GitHub Actions cannot run here: the workflows are checked as data. */
const root = join(__dirname, '..');
const workflow = (name: string) => parse(readFileSync(join(root, '.github/workflows', name), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
const runs = (steps: Step[]) => steps.map((step) => step.run ?? '').join('\n');

describe('.github/workflows', () => {
	test('CI: install, lint, typecheck, build, test on each Node version we support, read-only', () => {
		const ci = workflow('ci.yml');
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(ci.permissions).toEqual({ contents: 'read' });
		const job = ci.jobs.test;
		expect(job.strategy.matrix.node).toEqual(['20.x', '22.x', '24.x']);
		expect(pkg.engines.node).toBe('>=20.15');
		const steps: Step[] = job.steps;
		expect(steps[0].uses).toMatch(/^actions\/checkout@/);
		expect(steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe('${{ matrix.node }}');
		expect(steps.map((step) => step.run).filter(Boolean)).toEqual(['npm ci', 'npm run lint', 'npm run lint:n8n', 'npm run typecheck', 'npm run build', 'npm test', 'npm run test:more']);
	});

	test('Publish: on a version tag, with provenance, id-token write and nothing else writable', () => {
		const publish = workflow('publish.yml');
		expect(publish.on).toEqual({ push: { tags: ['*.*.*'] } });
		const job = publish.jobs.publish;
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		const steps: Step[] = job.steps;
		expect(steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		const script = runs(steps);
		expect(script).toContain('npm ci');
		expect(script).toMatch(/npm run lint\nnpm run typecheck\nnpm run build\nnpm test\nnpm run test:more/);
		expect(script).toContain('npm publish --provenance --access public');
		// The tag must be the version in package.json, so what is published is what was tagged.
		expect(script).toContain('${GITHUB_REF_NAME}');
		// The token, when used, comes from a secret and is never printed.
		const publishStep = steps.find((step) => step.run?.includes('npm publish'))!;
		expect(publishStep.env).toEqual({ NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' });
		expect(script.indexOf('npm test')).toBeLessThan(script.indexOf('npm publish'));
	});
});
