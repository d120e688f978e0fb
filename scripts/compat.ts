/**
 * `npm run test:compat`: the end-to-end suite on every n8n version of COMPAT_HOSTS, one after
 * another (a host is installed on first use), then one line per version. Exits non-zero if any
 * version failed.
 */
import path from 'node:path';

import { runScript } from '../test/harness/lifecycle';
import { buildPackage, COMPAT_HOSTS, REPO_ROOT } from '../test/harness/n8n-host';
import { npmEnvironment, runCommand } from '../test/harness/processes';

runScript(async () => {
	await buildPackage();
	const jest = path.join(REPO_ROOT, 'node_modules', '.bin', 'jest');
	const lines: string[] = [];
	let failed = false;
	for (const host of COMPAT_HOSTS) {
		const label = `n8n ${host.n8n} on Node ${host.node ?? process.versions.node}`;
		console.log(`\n=== ${label} ===`);
		const started = Date.now();
		const env = { ...npmEnvironment(), N8N_HOST_VERSION: host.n8n };
		const run = await runCommand(jest, ['-c', 'test/e2e/jest.config.js'], { cwd: REPO_ROOT, env, output: 'show' });
		failed ||= run.code !== 0;
		lines.push(`${run.code === 0 ? 'PASS' : 'FAIL'}  ${label} (${Math.round((Date.now() - started) / 1000)} s)`);
	}
	console.log(`\n${lines.join('\n')}`);
	return failed ? 1 : 0;
});
