/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime/'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json', }],
	},
	testTimeout: 30000,
	setupFiles: ['<rootDir>/test/setup-env.js'],
};
