/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The end-to-end and browser suites need n8n (and Chromium): they have their own configs.
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/ui/'],
	testTimeout: 30000,
};
