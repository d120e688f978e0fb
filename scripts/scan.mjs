// `npm run scan`: n8n's verification lint (@n8n/scan-community-package's analyzePackage), on the
// source and on the packed tarball, with the file patterns its gate uses for each; exits non-zero
// on any error. (What else the tarball holds, and where the README's links lead, is checked by
// test/package.test.ts.) The scanner is installed outside the project (its eslint-plugin-n8n-nodes-base
// refuses npm in a preinstall, so scripts are skipped), once per version, shared by all clones.
// Plain ESM because the scanner is ESM; run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SCANNER_VERSION = '0.32.0';
const repoRoot = path.resolve(import.meta.dirname, '..');
const cacheHome = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
const scannerDir = path.join(
	cacheHome,
	'n8n-nodes-accesstrade-salekit',
	`scanner-${SCANNER_VERSION}`,
);
const scannerModule = path.join(
	scannerDir,
	'node_modules',
	'@n8n',
	'scan-community-package',
	'scanner',
	'scanner.mjs',
);
const npm = (args, cwd) =>
	execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

if (!existsSync(scannerModule)) {
	console.log(`Installing @n8n/scan-community-package@${SCANNER_VERSION} into ${scannerDir}`);
	mkdirSync(scannerDir, { recursive: true });
	writeFileSync(path.join(scannerDir, 'package.json'), '{ "private": true }\n');
	npm(
		[
			'install',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			`@n8n/scan-community-package@${SCANNER_VERSION}`,
		],
		scannerDir,
	);
}
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerModule).href);

// The tarball leg: what `npm publish` would upload, unpacked as the scanner unpacks it.
const packDir = mkdtempSync(path.join(tmpdir(), 'scan-pack-'));
let failed = false;
try {
	const [{ filename }] = JSON.parse(
		npm(['pack', '--ignore-scripts', '--json', `--pack-destination=${packDir}`], repoRoot),
	);
	const unpacked = path.join(packDir, 'package');
	execFileSync('tar', ['-xzf', path.join(packDir, filename), '-C', packDir]);

	const legs = [
		['source', repoRoot, SOURCE_FILE_PATTERNS],
		['tarball', unpacked, ['**/*.js', 'package.json']],
	];
	for (const [leg, dir, patterns] of legs) {
		const result = await analyzePackage(dir, patterns);
		console.log(
			`${result.passed ? 'PASS' : 'FAIL'}  ${leg} (${patterns.join(', ')})${result.message ? `: ${result.message}` : ''}`,
		);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
} finally {
	rmSync(packDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
