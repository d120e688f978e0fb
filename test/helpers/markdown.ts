/** Reading markdown the way GitHub and the npm page render it: headings, their ids, links. */

/** Markdown outside fenced code blocks, where `#` starts no heading and `](` no link. */
export function prose(markdown: string): string {
	let fenced = false;
	return markdown
		.split('\n')
		.filter((line) => {
			if (/^\s*```/.test(line)) fenced = !fenced;
			return !fenced && !/^\s*```/.test(line);
		})
		.join('\n');
}

export interface Section {
	level: number;
	title: string;
	/** The id GitHub gives the heading (github-slugger). */
	id: string;
	/** The prose under the heading, up to the next heading of the same or a higher level. */
	body: string;
}

/** A file's headings in order, with their ids and the text each one heads. */
export function sections(markdown: string): Section[] {
	const lines = prose(markdown).split('\n');
	const seen = new Map<string, number>();
	const found = lines.flatMap((line, index) => {
		const match = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
		if (!match) return [];
		const title = match[2].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
		const base = title
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		return [{ level: match[1].length, title, id: count === 0 ? base : `${base}-${count}`, index }];
	});
	return found.map(({ index, ...heading }) => {
		const end = found.find((next) => next.index > index && next.level <= heading.level);
		return { ...heading, body: lines.slice(index + 1, end?.index).join('\n') };
	});
}

/** The ids GitHub (and the npm page, which follows it) gives a file's headings. */
export function headingIds(markdown: string): Set<string> {
	return new Set(sections(markdown).map(({ id }) => id));
}

/** Every link target of a markdown file as written (`](target)`), outside code blocks. */
export function linkTargets(markdown: string): string[] {
	return [...prose(markdown).matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map(
		(match) => match[1],
	);
}
