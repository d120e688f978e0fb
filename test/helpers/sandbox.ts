import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';

/**
 * The sandbox for one test file: started once, and reset before each test (log, faults,
 * responder, orders, conversions). Call the returned function inside a test to reach it.
 */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({ quiet: true, ...options });
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	beforeEach(() => sandbox?.reset());
	return () => {
		if (!sandbox) throw new Error('The sandbox starts in beforeAll: use it inside a test');
		return sandbox;
	};
}
