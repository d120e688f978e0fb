/**
 * End-to-end tests in real n8n (`npm run test:e2e`). Kept apart from the unit tests because each
 * n8n CLI call costs seconds of start-up and the first run installs n8n itself.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	// Installs the pinned n8n once, before the test files start side by side.
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	// One file per loading mode, each with its own n8n instance: run them side by side.
	maxWorkers: 2,
	testTimeout: 60_000,
};
