import { stopAllProcesses } from './processes';

type CleanupStep = () => unknown;

/** What a script started, stopped in reverse order however the script ends. */
export class Cleanup {
	private readonly steps: CleanupStep[] = [];
	private started = false;

	/** True once cleanup has begun: processes exiting now are being stopped, not failing. */
	get stopping(): boolean {
		return this.started;
	}

	add(step: CleanupStep): void {
		this.steps.push(step);
	}

	async run(): Promise<void> {
		this.started = true;
		for (let step = this.steps.pop(); step; step = this.steps.pop()) {
			try {
				await step();
			} catch (error) {
				console.error(`Cleanup step failed: ${(error as Error).message}`);
			}
		}
		await stopAllProcesses();
	}
}

/**
 * Runs a script's main, then its cleanup, whether main succeeds, throws, or the user presses
 * Ctrl-C (a second Ctrl-C skips the cleanup). Exits with main's code, 1 on an error, and
 * `interruptedCode` on Ctrl-C: 130 where stopping early is a failure, 0 where it is the way out.
 */
export function runScript(
	main: (cleanup: Cleanup) => Promise<number>,
	interruptedCode = 130,
): void {
	const cleanup = new Cleanup();
	let exiting = false;
	const exit = async (code: number) => {
		if (exiting) return;
		exiting = true;
		await cleanup.run();
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (exiting) process.exit(interruptedCode);
			console.log(`\n${signal}: stopping everything this script started…`);
			void exit(interruptedCode);
		});
	}
	main(cleanup).then(exit, (error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
		void exit(1);
	});
}
