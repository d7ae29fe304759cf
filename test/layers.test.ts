/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never in the package: it reads the sources from disk */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Imports go one way between the layers of nodes/Wistfare (ARCHITECTURE.md): payout ← api ←
 * actions / methods / trigger / webhook ← the node files. A layer imports only from the layers to
 * its left; trigger, webhook and actions never from each other.
 */
const root = resolve(__dirname, '../nodes/Wistfare');
const ALLOWED: Record<string, string[]> = {
	payout: ['payout'],
	api: ['payout', 'api'],
	actions: ['payout', 'api', 'actions'],
	methods: ['payout', 'api', 'methods'],
	trigger: ['payout', 'api', 'trigger'],
	webhook: ['payout', 'api', 'webhook'],
	'': ['payout', 'api', 'actions', 'methods', 'trigger', 'webhook', ''],
};

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
	});
}

const layerOf = (file: string) => {
	const [first, ...rest] = relative(root, file).split('/');
	return rest.length ? first : '';
};

test('imports between the layers of nodes/Wistfare go one way only', () => {
	const wrong: string[] = [];
	for (const file of sources(root)) {
		const from = layerOf(file);
		for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
			const target = resolve(dirname(file), spec);
			if (!target.startsWith(root)) continue;
			const to = layerOf(`${target}.ts`);
			if (!ALLOWED[from].includes(to)) wrong.push(`${relative(root, file)} → ${spec}`);
		}
	}
	expect(wrong).toEqual([]);
});

test('payout imports nothing but itself (what a payout is, pure)', () => {
	for (const file of sources(join(root, 'payout'))) {
		for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
			expect([file, spec.startsWith('./') || spec === 'n8n-workflow']).toEqual([file, true]);
		}
	}
});
