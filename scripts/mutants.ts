/**
 * `npm run mutants`: does the model test (test/shared/orderKey.model.test.ts) see each way of
 * breaking the Shop Order Key protocol? Each mutant below is one small text replacement in the
 * code; the script applies it to a copy of the code, runs the model's main property, and prints a
 * table: caught or not, after how many schedules, and the first invariant broken. The code as it
 * is runs first and must pass. Exits non-zero when it does not, when a mutant survives, or when a
 * mutant's anchor text is not found exactly once (the code changed: re-target the mutant).
 *
 *   npm run mutants                     every mutant, 3,000 schedules each, a random seed
 *   npm run mutants -- --runs 500 --seed 42 --only 'no pause'
 *   npm run mutants -- --survey         no verdict: how often each invariant breaks, per mutant
 *                                       (MODEL_SURVEY), to compare with the code as it is when
 *                                       that fails too
 *
 * The working tree is never touched: the copy lives in the temp directory and is removed at the end.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runScript } from '../test/harness/lifecycle';
import { REPO_ROOT } from '../test/harness/n8n-host';
import { describeFailure, npmEnvironment, runCommand } from '../test/harness/processes';

interface Mutant {
	name: string;
	/** What the mutant breaks, in the protocol's terms. */
	breaks: string;
	file: string;
	/** Text found exactly once in `file`… */
	anchor: string;
	/** …and what replaces it. */
	replacement: string;
}

const ORDER_KEY = 'nodes/shared/orderKey.ts';

/** The list, in one place. Anchors are the code's text: re-target them when the protocol changes. */
export const MUTANTS: Mutant[] = [
	{
		name: 'open entry never removed',
		breaks: 'a run that finds a key done leaves behind the `open:k` it recorded while asking',
		file: ORDER_KEY,
		anchor: 'if (probedOpen.length > 0) await this.removeOwn(probedOpen);',
		replacement: '',
	},
	{
		name: 'no per-process store queue',
		breaks: "one process's store calls overlap (and undo each other)",
		file: ORDER_KEY,
		anchor: 'this.waiting.push(job);\n\t\t\tvoid this.drain();',
		replacement: 'void job();',
	},
	{
		name: 'one store attempt',
		breaks: 'a store call is tried once instead of three times',
		file: ORDER_KEY,
		anchor: 'const STORE_ATTEMPTS = 3;',
		replacement: 'const STORE_ATTEMPTS = 1;',
	},
	{
		name: 'shared claim entry',
		breaks:
			"all claimants of a key record the same claim entry, so each finds the other's as its own",
		file: ORDER_KEY,
		anchor: 'entry: entry.claim(key, nonce),',
		replacement: "entry: entry.claim(key, 'shared'),",
	},
	{
		name: 'no check after the pause',
		breaks:
			'a claimant goes on to the won test without looking whether its claim survived the pause',
		file: ORDER_KEY,
		anchor:
			'const entries = contenders.map((claim) => claim.entry);\n\t\t\tchecked = await this.recordOwning(entries, entries);',
		replacement:
			'checked = { found: new Set(contenders.map((claim) => claim.entry)), ownFound: new Set() };',
	},
	{
		name: 'no pause',
		breaks: 'a claimant looks at its claim again at once',
		file: ORDER_KEY,
		anchor: 'if (!(await this.pauseUnlessCancelled(store.pauseMs()))) {',
		replacement: 'if (!(await this.pauseUnlessCancelled(0))) {',
	},
	{
		name: 'uncertain reply frees',
		breaks: 'a create whose reply did not say what happened frees its key',
		file: ORDER_KEY,
		anchor: "const settle = onOutcome[this.outcomes.get(claim.itemIndex) ?? 'not-created'];",
		replacement:
			"const settle = this.outcomes.get(claim.itemIndex) === 'created' ? 'confirm' : 'release';",
	},
	{
		name: 'no check after confirm',
		breaks: 'a confirm is not looked at again after its pause (a stale write can undo it)',
		file: ORDER_KEY,
		anchor: 'this.checkConfirms(confirming)',
		replacement: 'Promise.resolve()',
	},
	{
		name: 'no witness',
		breaks: 'a repeated store call takes every answer as its own, also after an attempt that wrote',
		file: ORDER_KEY,
		anchor: 'const earlierWrote = witnesses.some((one) => found.has(one));',
		replacement: 'const earlierWrote = false;',
	},
];

interface ModelResult {
	failed: boolean;
	schedules: number;
	broken: string;
	seed: number;
	/** With --survey: how many schedules broke each kind of invariant. */
	survey?: Record<string, number>;
}

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? undefined : process.argv[index + 1];
}

/** The file's text with the mutant applied; throws when its anchor is not there exactly once. */
function mutate(text: string, mutant: Mutant): string {
	const count = text.split(mutant.anchor).length - 1;
	if (count !== 1) {
		throw new Error(
			`Mutant "${mutant.name}": its anchor is found ${count} times in ${mutant.file} (must be once): ${JSON.stringify(mutant.anchor)}`,
		);
	}
	return text.replace(mutant.anchor, () => mutant.replacement);
}

runScript(async (cleanup) => {
	const runs = option('runs') ?? '3000';
	const seed = option('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
	const only = option('only');
	const survey = process.argv.includes('--survey');
	const mutants = MUTANTS.filter((mutant) => only === undefined || mutant.name === only);
	if (mutants.length === 0) throw new Error(`No mutant is called "${only}"`);

	const copy = mkdtempSync(path.join(tmpdir(), 'order-key-mutants-'));
	cleanup.add(() => rmSync(copy, { recursive: true, force: true }));
	for (const entry of ['nodes', 'test/shared', 'package.json', 'tsconfig.json', 'jest.config.js'])
		cpSync(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
	symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
	// Compiled without type checks: a mutant may leave a variable unused, which is no defect.
	writeFileSync(
		path.join(copy, 'mutants.jest.config.js'),
		"module.exports = { ...require('./jest.config.js'), transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] } };\n",
	);
	// Every anchor is checked before anything runs: a stale one fails at once, not after an hour.
	const originals = new Map<string, string>();
	for (const mutant of mutants) {
		if (!originals.has(mutant.file))
			originals.set(mutant.file, readFileSync(path.join(REPO_ROOT, mutant.file), 'utf8'));
		mutate(originals.get(mutant.file) as string, mutant);
	}

	const jest = path.join(REPO_ROOT, 'node_modules', '.bin', 'jest');
	const resultFile = path.join(copy, 'model-result.json');
	const runModel = async (label: string): Promise<ModelResult> => {
		rmSync(resultFile, { force: true });
		const started = Date.now();
		const run = await runCommand(
			jest,
			[
				'-c',
				'mutants.jest.config.js',
				'test/shared/orderKey.model.test.ts',
				'-t',
				survey ? 'survey' : 'I1-I5 hold',
				'--ci',
			],
			{
				cwd: copy,
				env: {
					...npmEnvironment(),
					MODEL_RUNS: runs,
					MODEL_SEED: seed,
					MODEL_NO_SHRINK: '1',
					MODEL_RESULT: resultFile,
					...(survey ? { MODEL_SURVEY: '1' } : {}),
				},
			},
		);
		let result: ModelResult;
		try {
			result = JSON.parse(readFileSync(resultFile, 'utf8')) as ModelResult;
		} catch {
			// The model never reached its verdict (a compile error, a crash): not a catch.
			throw new Error(describeFailure(`The model test on "${label}"`, run));
		}
		if (result.survey) {
			console.log(`${label}: ${JSON.stringify(result.survey)} in ${runs} schedules`);
			return result;
		}
		console.log(
			`${label}: ${result.failed ? `broken after ${result.schedules} schedules: ${result.broken}` : `${result.schedules} schedules hold`} (${Math.round((Date.now() - started) / 1000)} s)`,
		);
		return result;
	};

	const runMutant = async (mutant: Mutant): Promise<ModelResult> => {
		const target = path.join(copy, mutant.file);
		writeFileSync(target, mutate(originals.get(mutant.file) as string, mutant));
		try {
			return await runModel(mutant.name);
		} finally {
			writeFileSync(target, originals.get(mutant.file) as string);
		}
	};

	console.log(`Model test against ${mutants.length} mutants, seed ${seed}, ${runs} schedules each`);
	const rows: string[][] = [];
	const unmutated = await runModel('the code as it is');
	if (survey) {
		for (const mutant of mutants) await runMutant(mutant);
		return 0;
	}
	rows.push([
		'(none: the code as it is)',
		unmutated.failed ? 'FAILS' : 'passes',
		String(unmutated.schedules),
		unmutated.broken,
	]);
	let survivors = 0;
	for (const mutant of mutants) {
		const result = await runMutant(mutant);
		if (!result.failed) survivors++;
		rows.push([
			mutant.name,
			result.failed ? 'caught' : 'SURVIVED',
			String(result.schedules),
			result.broken,
		]);
	}

	const header = ['mutant', 'model', 'schedules', 'first invariant broken'];
	const widths = header.map((title, column) =>
		Math.max(title.length, ...rows.map((row) => Math.min(row[column].length, 60))),
	);
	const line = (cells: string[]) =>
		cells
			.map((cell, column) =>
				column === cells.length - 1 ? cell : cell.slice(0, 60).padEnd(widths[column]),
			)
			.join('  ');
	console.log(`\nseed ${seed}, ${runs} schedules per run\n${line(header)}`);
	for (const row of rows) console.log(line(row));
	for (const mutant of mutants) console.log(`  ${mutant.name}: ${mutant.breaks}`);
	return unmutated.failed || survivors > 0 ? 1 : 0;
}, 130);
