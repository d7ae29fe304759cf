// Jest's transformer for our TypeScript: one file at a time to CommonJS, types left to `npm run
// typecheck` (ts-jest did the same with isolatedModules, at several times the start-up cost).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2021,
	esModuleInterop: true,
	inlineSourceMap: true,
	inlineSources: true,
	useUnknownInCatchVariables: false,
};
const salt = createHash('sha1').update(ts.version).update(readFileSync(__filename)).digest('hex');

module.exports = {
	process(source, filename) {
		return { code: ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText };
	},
	getCacheKey(source, filename) {
		return createHash('sha1').update(salt).update(filename).update('\0').update(source).digest('hex');
	},
};
