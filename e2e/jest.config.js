/** @type {import('jest').Config} The e2e suites: real n8n processes, so one at a time and long timeouts. */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/**/*.e2e.test.js'],
	modulePathIgnorePatterns: ['<rootDir>/runtime/', '<rootDir>/runtime-1x/'],
	testTimeout: 600_000,
	maxWorkers: 1,
};
