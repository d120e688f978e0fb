/**
 * docs/queue-mode.md prints the key protocol's tables; nodes/shared/keyProtocol.ts holds them. A
 * change to either that the other does not follow fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	entry,
	onCheck,
	onClaim,
	onOutcome,
	removals,
	stateFound,
	type KeyOutcome,
	type KeyState,
} from '../../nodes/shared/keyProtocol';

const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'queue-mode.md'), 'utf8');

/** The rows of the first Markdown table whose header row is exactly these cells. */
function tableWithHeader(header: string[]): string[][] {
	const lines = doc.split('\n');
	const cells = (line: string) =>
		line
			.trim()
			.replace(/^\||\|$/g, '')
			.split('|')
			.map((cell) => cell.trim());
	const start = lines.findIndex(
		(line) => line.trim().startsWith('|') && cells(line).join('|') === header.join('|'),
	);
	if (start === -1) throw new Error(`docs/queue-mode.md has no table headed ${header.join(' | ')}`);
	const rows: string[][] = [];
	for (const line of lines.slice(start + 2)) {
		if (!line.trim().startsWith('|')) break;
		rows.push(cells(line));
	}
	return rows;
}

const found = (cell: string) => cell === 'found';

test('the claim call: every state the doc gives is the code’s, with the code’s step, and none is missing', () => {
	const rows = tableWithHeader(['`key:k`', '`open:k`', 'state', 'step']);
	for (const [key, open, state, step] of rows) {
		expect(stateFound({ key: found(key), open: found(open) })).toBe(state);
		expect(onClaim[state as KeyState]).toBe(step);
	}
	expect(rows.map(([, , state]) => state).sort()).toEqual(Object.keys(onClaim).sort());
});

test('the check: the doc’s steps are the code’s', () => {
	const rows = tableWithHeader(['call', 'found', 'new']);
	expect(rows).toHaveLength(1);
	const [check] = rows;
	expect(check[0]).toMatch(/the check/);
	expect([check[1], check[2]]).toEqual([onCheck(true), onCheck(false)]);
});

test('settle: each outcome’s step and removals are the code’s', () => {
	const rows = tableWithHeader(['outcome', 'settle', 'removes']);
	const claim = { key: 'k', entry: entry.claim('k', 'n') };
	const named = (removed: string[]) =>
		removed.map((one) => (one === claim.entry ? 'the claim entry' : `\`${one}\``)).join(', ');
	for (const [outcome, settle, removes] of rows) {
		expect(onOutcome[outcome as KeyOutcome]).toBe(settle);
		expect(removes).toBe(settle === 'keep' ? 'nothing' : named(removals(settle as never, claim)));
	}
	expect(rows.map(([outcome]) => outcome).sort()).toEqual(Object.keys(onOutcome).sort());
});
