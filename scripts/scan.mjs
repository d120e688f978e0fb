// `npm run scan`: n8n's verification lint (@n8n/scan-community-package's analyzePackage), on the
// source and on the packed tarball, with the file patterns its gate uses for each; exits non-zero
// on any error. The scanner is installed outside the project (its eslint-plugin-n8n-nodes-base
// refuses npm in a preinstall, so scripts are skipped), once per version, shared by all clones.
// Plain ESM because the scanner is ESM; run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

	// What a user reads offline or through the Community Nodes panel: each relative link to an
	// example, a picture or a doc must point at a file the tarball holds (links to source files,
	// and to the Vietnamese guide, resolve on npmjs.com through package.json's repository). The
	// tarball carries English only.
	const inRepositoryOnly = ['docs/README.vi.md'];
	const text = readFileSync(path.join(unpacked, 'README.md'), 'utf8');
	const targets = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
		.map((match) => match[1])
		.filter((target) => /^(examples|docs|images)\/|README|\.(png|jpe?g|gif|svg|md)$/i.test(target))
		.filter((target) => !inRepositoryOnly.includes(target));
	const missing = [...new Set(targets)].filter(
		(target) => !existsSync(path.join(unpacked, decodeURIComponent(target))),
	);
	console.log(
		`${missing.length ? 'FAIL' : 'PASS'}  README.md links in the tarball (${targets.length} to examples, pictures, docs)${missing.length ? `: missing ${missing.join(', ')}` : ''}`,
	);
	const shipped = inRepositoryOnly.filter((file) => existsSync(path.join(unpacked, file)));
	console.log(
		`${shipped.length ? 'FAIL' : 'PASS'}  English only in the tarball${shipped.length ? `: ${shipped.join(', ')}` : ''}`,
	);
	failed ||= missing.length > 0 || shipped.length > 0;
} finally {
	rmSync(packDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
