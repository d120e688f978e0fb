/**
 * `npm run test:compat`: the end-to-end suite on every n8n version of COMPAT_HOSTS, one after
 * another (a host is installed on first use), then one line per version. Exits non-zero if any
 * version failed. With `--install-only`, it installs the hosts and runs nothing.
 */
import path from 'node:path';

import { runScript } from '../test/harness/lifecycle';
import {
	buildPackage,
	COMPAT_HOSTS,
	ensureN8nHost,
	N8N_VERSION,
	REPO_ROOT,
	type HostSpec,
} from '../test/harness/n8n-host';
import { npmEnvironment, runCommand } from '../test/harness/processes';

/**
 * `--install-only`: installs the hosts and runs nothing. CI starts it first, in the background,
 * so that the installs (mostly network waits) overlap the suites that use the CPU. The pinned
 * host comes first on one lane, the others one after another on a second.
 */
async function installHosts(): Promise<number> {
	const pinned = COMPAT_HOSTS.filter((host) => host.n8n === N8N_VERSION);
	const others = COMPAT_HOSTS.filter((host) => host.n8n !== N8N_VERSION);
	const started = Date.now();
	const lane = async (hosts: HostSpec[]) => {
		for (const host of hosts) {
			await ensureN8nHost(host, (line) => console.log(`[n8n ${host.n8n}] ${line}`));
			console.log(`[n8n ${host.n8n}] ready after ${Math.round((Date.now() - started) / 1000)} s`);
		}
	};
	await Promise.all([lane(pinned), lane(others)]);
	return 0;
}

runScript(async () => {
	if (process.argv.includes('--install-only')) return await installHosts();
	await buildPackage();
	const jest = path.join(REPO_ROOT, 'node_modules', '.bin', 'jest');
	const lines: string[] = [];
	let failed = false;
	// COMPAT_SKIP=2.8.4: CI has just run `npm test` on the pin in the same checkout.
	const skipped = (process.env.COMPAT_SKIP ?? '').split(',').filter(Boolean);
	for (const version of skipped) lines.push(`SKIP  n8n ${version} (COMPAT_SKIP)`);
	for (const host of COMPAT_HOSTS.filter(({ n8n }) => !skipped.includes(n8n))) {
		const label = `n8n ${host.n8n} on Node ${host.node ?? process.versions.node}`;
		console.log(`\n=== ${label} ===`);
		const started = Date.now();
		const env = { ...npmEnvironment(), N8N_HOST_VERSION: host.n8n };
		const run = await runCommand(jest, ['-c', 'test/e2e/jest.config.js'], {
			cwd: REPO_ROOT,
			env,
			output: 'show',
		});
		failed ||= run.code !== 0;
		lines.push(
			`${run.code === 0 ? 'PASS' : 'FAIL'}  ${label} (${Math.round((Date.now() - started) / 1000)} s)`,
		);
	}
	console.log(`\n${lines.join('\n')}`);
	return failed ? 1 : 0;
});
