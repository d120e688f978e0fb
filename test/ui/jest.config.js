/**
 * The editor in a real browser (`npm run test:ui`): one n8n instance and one Chromium for the
 * whole suite, in band, since each test drives the same editor.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/ui'],
	testMatch: ['**/*.test.ts'],
	maxWorkers: 1,
	// Generous: the machine is shared and the editor is slow to first paint.
	testTimeout: 120_000,
};
