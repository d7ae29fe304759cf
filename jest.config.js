/** @type {import('jest').Config} */
const common = {
	testEnvironment: '<rootDir>/test/environment.js',
	rootDir: __dirname,
	roots: ['<rootDir>/test'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime/', '<rootDir>/e2e/runtime-1x/'],
	transform: {
		'^.+\\.ts$': '<rootDir>/test/transform.js',
	},
	setupFiles: ['<rootDir>/test/setup-env.js'],
	setupFilesAfterEnv: ['<rootDir>/test/setup-clock.ts'],
};

/**
 * The operation and trigger suites: they run once against each kind of server in test/servers.ts.
 * `npm test` runs them against the two kinds furthest apart (camelCase lenient, snake_case strict);
 * `npm run test:more` against the two others, with the long runs; CI runs both.
 */
const everyKind = [
	'<rootDir>/test/nodes/Wistfare/actions/disbursement/{get,list}.operation.test.ts',
	'<rootDir>/test/nodes/Wistfare/actions/disbursement/initiate/{execute,wait,funds-check,funds-exact,preview,preview-pay.property,retry,batch}.test.ts',
	'<rootDir>/test/nodes/Wistfare/methods/listSearch.test.ts',
	'<rootDir>/test/nodes/Wistfare/actions/wallet/get.operation.test.ts',
	'<rootDir>/test/nodes/Wistfare/api/{request,pages}.test.ts',
	'<rootDir>/test/nodes/Wistfare/trigger/{trigger,gaps}.test.ts',
	'<rootDir>/test/nodes/Wistfare/webhook/{webhook,edges}.test.ts',
	'<rootDir>/test/credentials/WistfareApi.test.ts',
];
/** Server misbehaviours and pacing, against the two kinds furthest apart (the dialect is not what they test). */
const extremes = ['<rootDir>/test/nodes/Wistfare/actions/disbursement/initiate/{safe-send,references,concurrency,same-key}.test.ts'];
const serverSuites = [...everyKind, ...extremes];
/** Long runs (minutes of polls, a 1,000-row re-run): CI runs them with `npm run test:more`, not every `npm test`. */
const long = ['<rootDir>/test/nodes/Wistfare/trigger/soak-*.test.ts', '<rootDir>/test/nodes/Wistfare/scale.test.ts', '<rootDir>/test/nodes/Wistfare/trigger/scale.test.ts'];
const servers = ['camel-lenient', 'camel-strict', 'snake-lenient', 'snake-strict'];
const extremeServers = new Set(['camel-lenient', 'snake-strict']);

module.exports = {
	testTimeout: 30000,
	// Both cores: most of a test's time is the engine and the sandbox, in one process per worker.
	maxWorkers: 2,
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: [...serverSuites, ...long].map(glob) },
		{ ...common, displayName: 'long', testMatch: long },
		...servers.map((server) => ({
			...common,
			displayName: server,
			testMatch: extremeServers.has(server) ? serverSuites : everyKind,
			globals: { WISTFARE_SERVER: server },
		})),
	],
};

/** A testPathIgnorePatterns regex for one of the globs above. */
function glob(pattern) {
	return pattern
		.replace('<rootDir>/', '')
		.replace(/\./g, '\\.')
		.replace(/\*/g, '[^/]*')
		.replace(/\{([^}]+)\}/g, (_, names) => `(${names.split(',').join('|')})`);
}
