/**
 * Child processes for the scripts and the end-to-end tests: each in its own process group,
 * all of them stopped when the caller stops, whichever way it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/**
	 * 'capture' (the default) collects it for the result, 'show' streams it live, 'discard' drops
	 * it, 'log' writes both streams to the file descriptor given to spawnGroup.
	 */
	output?: 'capture' | 'show' | 'discard' | 'log';
	timeoutMs?: number;
	/** Called with the child right after it starts (to watch its memory, say). */
	onSpawn?: (child: ChildProcess) => void;
}

/** stdout and stderr for each RunOptions.output. */
const OUTPUT_STDIO = {
	capture: ['file', 'pipe'],
	show: ['inherit', 'inherit'],
	discard: ['ignore', 'ignore'],
	log: ['file', 'file'],
} as const;

const runningChildren = new Set<ChildProcess>();

/**
 * Children get their own process group so that stopping one also stops what it started (n8n
 * starts a task-runner process); a terminal's Ctrl-C then reaches only us, and we stop them.
 */
export function spawnGroup(
	command: string,
	args: string[],
	options: RunOptions,
	stdoutFile?: number,
): ChildProcess {
	const [stdout, stderr] = OUTPUT_STDIO[options.output ?? 'capture'];
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: [
			'ignore',
			stdout === 'file' ? (stdoutFile ?? 'pipe') : stdout,
			stderr === 'file' ? (stdoutFile ?? 'pipe') : stderr,
		],
	});
	runningChildren.add(child);
	child.once('exit', () => runningChildren.delete(child));
	options.onSpawn?.(child);
	return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

// Last resort when the caller dies without cleaning up (an uncaught error): being in their own
// process groups, the children would otherwise outlive it, n8n servers included.
process.once('exit', () => {
	for (const child of runningChildren) signalGroup(child, 'SIGKILL');
});

/** SIGTERM (n8n shuts down cleanly on it), then SIGKILL for whatever is still there. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	signalGroup(child, 'SIGTERM');
	const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

/** For Ctrl-C and failed test runs: nothing this module started may outlive its caller. */
export async function stopAllProcesses(): Promise<void> {
	await Promise.all([...runningChildren].map((child) => stopProcess(child)));
}

/**
 * Runs a command to its end. Captured stdout goes through a file, not a pipe: `n8n execute`
 * exits right after printing a run of many megabytes, and what a pipe had not passed on by
 * then is lost; a file receives it whole.
 */
export async function runCommand(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<CommandResult> {
	const capture = (options.output ?? 'capture') === 'capture';
	const stdoutDirectory = capture ? mkdtempSync(path.join(tmpdir(), 'command-stdout-')) : undefined;
	const stdoutPath = stdoutDirectory && path.join(stdoutDirectory, 'stdout');
	const stdoutFile = stdoutPath === undefined ? undefined : openSync(stdoutPath, 'w');
	let stderr = '';
	try {
		const child = spawnGroup(command, args, options, stdoutFile);
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer =
			options.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						stderr += `\n[killed after ${options.timeoutMs} ms]`;
						void stopProcess(child, 2_000);
					}, options.timeoutMs);
		const code = await new Promise<number | null>((resolve, reject) => {
			child.once('error', reject);
			child.once('close', (exitCode) => {
				clearTimeout(timer);
				resolve(exitCode);
			});
		});
		const stdout = stdoutPath === undefined ? '' : readFileSync(stdoutPath, 'utf8');
		return { code, stdout, stderr };
	} finally {
		if (stdoutFile !== undefined) closeSync(stdoutFile);
		if (stdoutDirectory !== undefined) rmSync(stdoutDirectory, { recursive: true, force: true });
	}
}

export function describeFailure(what: string, result: CommandResult): string {
	const tail = (text: string) => text.trim().split('\n').slice(-25).join('\n');
	return [
		`${what} exited with ${result.code}`,
		`--- stdout (end) ---\n${tail(result.stdout)}`,
		`--- stderr (end) ---\n${tail(result.stderr)}`,
	].join('\n');
}

/**
 * The environment for a nested npm: `npm run` exports its own settings as npm_* variables, and
 * npm_config_local_prefix would make an npm started elsewhere act on this repository.
 */
export function npmEnvironment(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

export async function runNpm(
	args: string[],
	options: Omit<RunOptions, 'env'> = {},
): Promise<CommandResult> {
	return await runCommand('npm', args, { ...options, env: npmEnvironment() });
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export async function waitForHttp(
	url: string,
	timeoutMs: number,
	isReady: (response: Response) => boolean = () => true,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const response = await fetch(url);
			await response.arrayBuffer();
			if (response.ok && isReady(response)) return;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
