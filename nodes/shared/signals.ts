import { sleepWithAbort } from 'n8n-workflow';

/** One request attempt's signal: aborted by its timeout, by a cancel, or when the run ends. */
export interface Attempt {
	signal: AbortSignal;
	readonly timedOut: boolean;
	release(): void;
}

/**
 * The stop lines of one run. `stop` ends every wait (throttle, pacing, retry backoff, a
 * Retry-After) and keeps new requests from starting: on the first failure without Continue On
 * Fail. Cancelling the execution and the end of the run also abort the requests under way, so
 * that after a failure the requests already sent still get their reply and are reported, and
 * after the node is done nothing it started is still sending.
 *
 * Each wait and attempt gets a controller of its own, aborted from here: listeners on one
 * shared signal would pile up with the concurrency (and n8n's sleepWithAbort never removes its).
 */
export class RunSignals {
	private readonly waits = new Set<AbortController>();
	private readonly attempts = new Set<AbortController>();
	private isStopped = false;
	private isEnded = false;
	private readonly onCancel = () => this.end();

	constructor(private readonly cancelSignal: AbortSignal | undefined) {
		if (cancelSignal?.aborted) this.end();
		else cancelSignal?.addEventListener('abort', this.onCancel, { once: true });
	}

	get stopped(): boolean {
		return this.isStopped;
	}

	get ended(): boolean {
		return this.isEnded;
	}

	get cancelled(): boolean {
		return this.cancelSignal?.aborted === true;
	}

	/** No new request starts and no wait goes on; requests under way finish. */
	stop(): void {
		this.isStopped = true;
		for (const wait of this.waits) wait.abort();
	}

	/** Nothing this run started goes on after this. */
	end(): void {
		this.stop();
		this.isEnded = true;
		for (const attempt of this.attempts) attempt.abort();
		this.cancelSignal?.removeEventListener('abort', this.onCancel);
	}

	/** Waits `ms`, or less when the run stops; never throws (callers look at `stopped`). */
	async wait(ms: number): Promise<void> {
		if (this.isStopped) return;
		const controller = new AbortController();
		this.waits.add(controller);
		try {
			await sleepWithAbort(ms, controller.signal);
		} catch {
			// Stopped: the caller decides what that means.
		} finally {
			this.waits.delete(controller);
		}
	}

	/** A signal for one attempt that bounds it as a whole, reading the reply included. */
	attempt(timeoutMs: number): Attempt {
		const controller = new AbortController();
		const timeout = AbortSignal.timeout(timeoutMs);
		const onTimeout = () => controller.abort();
		timeout.addEventListener('abort', onTimeout, { once: true });
		if (this.isEnded) controller.abort();
		this.attempts.add(controller);
		return {
			signal: controller.signal,
			get timedOut() {
				return timeout.aborted;
			},
			release: () => {
				timeout.removeEventListener('abort', onTimeout);
				this.attempts.delete(controller);
			},
		};
	}
}
