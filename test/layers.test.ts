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

/** Every cycle among the imports (type-only ones too) of `files`, as paths from `root`. */
function cyclesOf(files: string[], read = (file: string) => readFileSync(file, 'utf8')): string[] {
	const edges = new Map<string, string[]>();
	for (const file of files) {
		const targets = [...read(file).matchAll(/from '(\.[^']+)'/g)].map(([, spec]) => `${resolve(dirname(file), spec)}.ts`);
		edges.set(file, targets.filter((target) => files.includes(target)));
	}
	const cycles: string[] = [];
	const state = new Map<string, 'open' | 'done'>();
	const path: string[] = [];
	const visit = (file: string) => {
		state.set(file, 'open');
		path.push(file);
		for (const next of edges.get(file) ?? []) {
			if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map((step) => relative(root, step)).join(' → '));
			else if (!state.has(next)) visit(next);
		}
		path.pop();
		state.set(file, 'done');
	};
	for (const file of files) if (!state.has(file)) visit(file);
	return cycles;
}

test('no import cycles in nodes/Wistfare, type-only imports included', () => {
	expect(cyclesOf(sources(root))).toEqual([]);
});

test('the cycle check finds a cycle, a type-only one too', () => {
	const fake: Record<string, string> = {
		[join(root, 'a.ts')]: "import type { B } from './b';",
		[join(root, 'b.ts')]: "import { c } from './c';",
		[join(root, 'c.ts')]: "import { a } from './a';",
	};
	expect(cyclesOf(Object.keys(fake), (file) => fake[file])).toEqual(['a.ts → b.ts → c.ts → a.ts']);
});
