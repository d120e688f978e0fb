/**
 * What a user gets from npm and reads: the tarball holds the README, the examples and the pictures
 * the README shows, and no maintainer docs; every link in the docs points at a file that exists
 * and every #anchor at a heading that exists (also the credentials' documentation links, which
 * open the README on the npm page).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { headingIds, linkTargets, prose } from './helpers/markdown';

const ROOT = path.join(__dirname, '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	repository: { url: string };
	scripts: Record<string, string>;
};
const NPM_PAGE = `https://www.npmjs.com/package/${PACKAGE.name}`;
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const DOCS = [
	'README.md',
	...readdirSync(path.join(ROOT, 'docs'))
		.filter((file) => file.endsWith('.md'))
		.map((file) => `docs/${file}`),
];

/** Each relative link target of a markdown file: the path from the repository root, and the anchor. */
function relativeLinks(file: string): Array<{ target: string; anchor?: string; raw: string }> {
	return linkTargets(read(file))
		.filter((raw) => !/^[a-z][a-z0-9+.-]*:/i.test(raw))
		.map((raw) => {
			const [target, anchor] = raw.split('#');
			const resolved = target
				? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target)))
				: file;
			return { target: resolved.replace(/\/$/, ''), anchor, raw };
		});
}

describe('links and anchors', () => {
	test.each(DOCS)('%s: every relative link names a file of the repository', (file) => {
		const missing = relativeLinks(file)
			.filter(({ target }) => !existsSync(path.join(ROOT, target)))
			.map(({ raw }) => raw);
		expect(missing).toEqual([]);
	});

	test.each(DOCS)('%s: every #anchor names a heading of the file it points at', (file) => {
		const broken = relativeLinks(file)
			.filter(({ target, anchor }) => anchor !== undefined && target.endsWith('.md'))
			.filter(({ target, anchor }) => !headingIds(read(target)).has(anchor!))
			.map(({ raw }) => raw);
		expect(broken).toEqual([]);
	});

	test("the credentials' and nodes' documentation links open a README heading on the npm page", () => {
		const sources = [
			...['credentials/AccessTradeApi.credentials.ts', 'credentials/SalekitApi.credentials.ts'],
			...['nodes/AccessTrade/AccessTrade.node.json', 'nodes/Salekit/Salekit.node.json'],
		];
		const readmeIds = headingIds(read('README.md'));
		const links = sources.flatMap((file) =>
			[...read(file).matchAll(/https:\/\/www\.npmjs\.com\/package\/[^'"\s)]+/g)].map(([url]) => ({
				file,
				url,
			})),
		);
		// One credential link each, and the node pages: a link that vanished is a finding too.
		expect(links.length).toBeGreaterThanOrEqual(6);
		const wrong = links.filter(({ url }) => {
			const [page, anchor] = url.split('#');
			return page !== NPM_PAGE || (anchor !== undefined && !readmeIds.has(anchor));
		});
		expect(wrong).toEqual([]);
	});

	test('the README tells how to clone the repository package.json names', () => {
		const repository = PACKAGE.repository.url.replace(/^git\+/, '');
		const clones = [...read('README.md').matchAll(/git clone (\S+)/g)].map(([, url]) => url);
		expect(clones.length).toBeGreaterThan(0);
		expect(clones.filter((url) => url !== repository)).toEqual([]);
	});
});

describe('the tarball', () => {
	// What `npm publish` would upload (the list npm pack prints, without building: dist/ is left
	// to `npm run scan`, which scans the packed build).
	const [{ files }] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	) as Array<{ files: Array<{ path: string }> }>;
	const packed = new Set(files.map((file) => file.path));
	const readme = read('README.md');
	const pictures = [...prose(readme).matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, src]) => src);

	test('holds the README, the license and every example', () => {
		const examples = readdirSync(path.join(ROOT, 'examples')).map((file) => `examples/${file}`);
		const wanted = ['README.md', 'LICENSE', 'package.json', ...examples];
		expect(wanted.filter((file) => !packed.has(file))).toEqual([]);
	});

	test('holds exactly the pictures the README shows, and none of the docs', () => {
		expect(pictures.length).toBeGreaterThan(0);
		expect(pictures.filter((picture) => !packed.has(picture))).toEqual([]);
		const docs = [...packed].filter((file) => file.startsWith('docs/'));
		expect(docs.sort()).toEqual([...new Set(pictures)].sort());
	});

	test('holds nothing from the repository but the build, the examples and those pictures', () => {
		const allowed = (file: string) =>
			/^(dist|examples|docs\/images)\//.test(file) ||
			['README.md', 'LICENSE', 'package.json', 'index.js'].includes(file);
		expect([...packed].filter((file) => !allowed(file))).toEqual([]);
	});

	// npm's page resolves a relative link against package.json's repository, so a link to a
	// maintainer doc left out of the tarball works there; offline, only the tarball's files do.
	test("the README's links point into the tarball, or at the docs that stay in the repository", () => {
		const outside = relativeLinks('README.md')
			.map(({ target }) => target)
			.filter((target) => target !== 'README.md' && !packed.has(target))
			.filter((target) => ![...packed].some((file) => file.startsWith(`${target}/`)))
			.filter((target) => !/^docs\/[^/]+\.md$/.test(target));
		expect(outside).toEqual([]);
	});

	test('publishing builds first', () => {
		expect(PACKAGE.scripts.prepublishOnly).toBe('npm run build');
	});
});
