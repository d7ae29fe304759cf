/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code, never in the package: it reads the sources from disk */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import * as ts from 'typescript';

/**
 * Any n8n instance (main or a queue-mode worker) must be able to run any execution: the nodes keep
 * no state in module scope that an execution needs, and touch no disk. All trigger state lives in
 * n8n's static data.
 */
const root = join(__dirname, '..');

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return name.endsWith('.ts') ? [path] : [];
	});
}

function problems(file: string): string[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2021, true);
	const found: string[] = [];
	for (const statement of source.statements) {
		if (ts.isImportDeclaration(statement)) {
			const module = (statement.moduleSpecifier as ts.StringLiteral).text;
			if (/^(node:)?(fs|fs\/promises|os|child_process|worker_threads)$/.test(module)) found.push(`imports ${module}`);
		}
		if (ts.isVariableStatement(statement)) {
			const flags = statement.declarationList.flags;
			if (!(flags & ts.NodeFlags.Const)) found.push(`module-level let/var: ${statement.getText().slice(0, 60)}`);
			for (const declaration of statement.declarationList.declarations) {
				const init = declaration.initializer;
				// A constant lookup table typed read-only is fine: the compiler forbids changing it.
				const readOnly = declaration.type?.getText().startsWith('Readonly');
				if (init && ts.isNewExpression(init) && !readOnly) found.push(`module-level instance: ${declaration.getText().slice(0, 60)}`);
			}
		}
	}
	return found;
}

/**
 * The one exception, by name: the registry of what the executions and calls of one process share
 * (api/registry.ts), each space bounded by its owner: Initiate's executions of one key share their
 * pace and listings while they run (same-key.test.ts); the webhook trigger's recent outcomes are
 * bounded in count and age (webhook/recent.test.ts). Nothing there is needed to be correct across
 * processes (other processes have their own).
 */
const ALLOWED = ['nodes/Wistfare/api/registry.ts: module-level instance: spaces = new Map<string, Map<string, unknown>>()'];

test('nodes and credentials keep no module-level state but the one allowed, and use no disk', () => {
	const files = [...sources(join(root, 'nodes')), ...sources(join(root, 'credentials'))];
	expect(files.length).toBeGreaterThan(10);
	const report = files.flatMap((file) => problems(file).map((problem) => `${relative(root, file)}: ${problem}`));
	expect(report).toEqual(ALLOWED);
});

test('the check itself catches module state', () => {
	const file = join(__dirname, 'fixture-module-state.ts.txt');
	expect(problems(file)).toEqual([
		'imports node:fs',
		'module-level let/var: let lastSeen = 0;',
		'module-level instance: cache = new Map<string, string>()',
	]);
});
