/**
 * docs/README.vi.md tells a Vietnamese shop owner what README.md tells everyone: the same sections
 * in the same order, as many quick-start steps, and every name a reader looks for in n8n or types
 * (node names, data-table columns, example files, environment variables) and every link. A change
 * to the English README that the Vietnamese one does not follow fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { headingIds, linkTargets, sections, type Section } from './helpers/markdown';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const EN = read('README.md');
const VI = read('docs/README.vi.md');
const EN_SECTIONS = sections(EN);
const VI_SECTIONS = sections(VI);

/** The Vietnamese section standing where the English one titled `title` stands. */
function pair(title: string): { en: Section; vi: Section } {
	const index = EN_SECTIONS.findIndex((section) => section.title === title);
	if (index < 0) throw new Error(`README.md has no heading "${title}"`);
	return { en: EN_SECTIONS[index], vi: VI_SECTIONS[index] };
}

/** One space for every run of white space: a name may wrap across lines. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** What `names` holds that `text` does not contain. */
const missingIn = (text: string, names: Iterable<string>) =>
	[...new Set(names)].filter((name) => !flat(text).includes(name));

/** Top-level numbered steps, in order (sub-steps are indented). */
const steps = (body: string) => [...body.matchAll(/^(\d+)\.\s/gm)].map(([, number]) => number);

/** The text between `*…*` or `**…**` (outside comments and code): where the README names nodes. */
const emphasized = (text: string) =>
	[
		...text
			.replace(/<!--[\s\S]*?-->|`[^`]*`/g, '')
			.matchAll(/(?<!\*)\*{1,2}([^*]+?)\*{1,2}(?!\*)/g),
	].map(([, name]) => flat(name).trim());

const EXAMPLES = readdirSync(path.join(ROOT, 'examples'));
const NODE_NAMES = new Set(
	EXAMPLES.filter((file) => file.endsWith('.json')).flatMap((file) =>
		(JSON.parse(read(`examples/${file}`)) as { nodes: Array<{ name: string }> }).nodes.map(
			({ name }) => name,
		),
	),
);
/** The first cell of each row of a table of names: the data table's columns. */
const rowNames = (body: string) =>
	[...body.matchAll(/^\| `([a-z_]+)` \|/gm)].map(([, column]) => column);
const COLUMNS = rowNames(pair('The data table').en.body);

test('the same headings, level by level, in the same order', () => {
	const outline = (list: Section[]) => list.map(({ level }) => level);
	expect(outline(VI_SECTIONS)).toEqual(outline(EN_SECTIONS));
});

describe('the quick start', () => {
	const { en, vi } = pair('Quick start');

	test('has as many numbered steps, numbered alike', () => {
		expect(steps(en.body).length).toBeGreaterThan(5);
		expect(steps(vi.body)).toEqual(steps(en.body));
	});

	test('names every node the English quick start names', () => {
		const named = emphasized(en.body).filter((name) => NODE_NAMES.has(name));
		expect(named.length).toBeGreaterThan(3);
		expect(missingIn(vi.body, named)).toEqual([]);
	});

	test('names every data-table column the English quick start names', () => {
		const named = COLUMNS.filter((column) => en.body.includes(`\`${column}\``));
		expect(named.length).toBeGreaterThan(0);
		expect(missingIn(vi.body, named)).toEqual([]);
	});
});

test('the data table section has a row for every column, in the same order', () => {
	expect(COLUMNS.length).toBe(7);
	expect(rowNames(pair('The data table').vi.body)).toEqual(COLUMNS);
});

test('names every node the English README names', () => {
	const named = emphasized(EN).filter((name) => NODE_NAMES.has(name));
	expect(missingIn(VI, named)).toEqual([]);
});

test('names every example file the English README names', () => {
	const named = EXAMPLES.filter((file) => EN.includes(file));
	expect(named.length).toBe(EXAMPLES.length);
	expect(missingIn(VI, named)).toEqual([]);
});

test('names every environment variable and placeholder the English README names', () => {
	const named = [...EN.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map(([name]) => name);
	expect(named).toEqual(
		expect.arrayContaining(['WEBHOOK_URL', 'N8N_UNVERIFIED_PACKAGES_ENABLED', 'SHOP_URL']),
	);
	expect(missingIn(VI, named)).toEqual([]);
});

describe('links', () => {
	test('every web address of the English README', () => {
		const urls = (text: string) =>
			[...text.matchAll(/https?:\/\/[^\s)>`'"*]+/g)].map(([url]) => url.replace(/[.,;:]+$/, ''));
		expect(missingIn(VI, urls(EN))).toEqual([]);
	});

	test('every file of the repository the English README links to', () => {
		// From the repository root, with the anchor for another file's heading; each README's link to
		// the other one counts as the same link.
		const targets = (file: string) =>
			linkTargets(read(file))
				.filter((raw) => !/^[a-z][a-z0-9+.-]*:/i.test(raw) && !raw.startsWith('#'))
				.map((raw) => path.posix.normalize(path.posix.join(path.posix.dirname(file), raw)))
				.map((target) => target.replace(/\/$/, ''))
				.map((target) => (['README.md', 'docs/README.vi.md'].includes(target) ? 'README' : target));
		expect(
			targets('README.md').filter((target) => !targets('docs/README.vi.md').includes(target)),
		).toEqual([]);
	});

	test('every cross-reference of the English README, to the same section', () => {
		const linked = (markdown: string, list: Section[]) =>
			new Set(
				linkTargets(markdown)
					.filter((raw) => raw.startsWith('#'))
					.map((raw) => list.findIndex(({ id }) => id === raw.slice(1))),
			);
		const vi = linked(VI, VI_SECTIONS);
		const missing = [...linked(EN, EN_SECTIONS)]
			.filter((index) => !vi.has(index))
			.map((index) => EN_SECTIONS[index]?.title ?? 'a heading README.md lacks');
		expect(missing).toEqual([]);
	});

	test('every #anchor of the Vietnamese README names one of its headings', () => {
		const ids = headingIds(VI);
		const anchors = linkTargets(VI).filter((raw) => raw.startsWith('#'));
		expect(anchors.length).toBeGreaterThan(10);
		expect(anchors.filter((raw) => !ids.has(raw.slice(1)))).toEqual([]);
	});
});
