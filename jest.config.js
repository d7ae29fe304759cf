/** @type {import('jest').Config} */
const common = {
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
	setupFiles: ['<rootDir>/test/setup-env.js'],
	setupFilesAfterEnv: ['<rootDir>/test/setup-clock.ts'],
};

/** Suites that talk to a server: they run once against each kind in test/servers.ts. */
const serverSuites = [
	'<rootDir>/test/nodes/Wistfare/{get-list,initiate,money-safety,concurrency,transport}.test.ts',
	'<rootDir>/test/nodes/WistfareTrigger/{trigger,soak}.test.ts',
	'<rootDir>/test/credentials/WistfareApi.test.ts',
];
const servers = ['camel-lenient', 'camel-strict', 'snake-lenient', 'snake-strict'];

module.exports = {
	testTimeout: 30000,
	projects: [
		{ ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: serverSuites.map(glob) },
		...servers.map((server) => ({
			...common,
			displayName: server,
			testMatch: serverSuites,
			globals: { WISTFARE_SERVER: server },
		})),
	],
};

/** A testPathIgnorePatterns regex for one of the globs above. */
function glob(pattern) {
	return pattern
		.replace('<rootDir>/', '')
		.replace(/\./g, '\\.')
		.replace(/\{([^}]+)\}/g, (_, names) => `(${names.split(',').join('|')})`);
}
