import type { RunSettings } from './options';
import type { RunSignals } from './signals';
import type { FailureFacts } from './failureFate';
import type { ApiRequest, SendOutcome, VendorClient } from './transport';

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this fails the item instead of stalling the whole batch. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * A request that provably never left is safe to send again, whatever it does. One that may have
 * reached the vendor (no reply, or a cut one) is sent again only when repeating it is harmless.
 */
function isRetryable(facts: FailureFacts, idempotent: boolean): boolean {
	if (facts.final) return false;
	if (facts.fate === 'not-sent') return true;
	if (!idempotent) return false;
	// A complete reply is retried for its status alone; no reply or a cut one, always.
	if (facts.answered) return facts.httpCode !== undefined && RETRYABLE_STATUS.has(facts.httpCode);
	return facts.fate === 'unknown';
}

/** Exponential backoff with full jitter, never sooner than the server asked. */
function retryDelayMs(retry: number, facts: FailureFacts): number {
	const backoff = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
	return Math.max(backoff, facts.retryAfterMs ?? 0);
}

/** Starts at most N requests per interval, across all workers of one run. */
export class Throttle {
	private windowStart = 0;
	private startedInWindow = 0;

	constructor(
		private readonly limit: number,
		private readonly intervalMs: number,
	) {}

	/** Resolves when a start is allowed, or at once when the run stops (the caller checks it). */
	async acquire(run: RunSignals): Promise<void> {
		if (this.limit <= 0) return;
		while (!run.stopped) {
			const now = Date.now();
			if (now - this.windowStart >= this.intervalMs) {
				this.windowStart = now;
				this.startedInWindow = 0;
			}
			if (this.startedInWindow < this.limit) {
				this.startedInWindow++;
				return;
			}
			await run.wait(this.windowStart + this.intervalMs - now);
		}
	}
}

/**
 * Spreads request starts over the observed round trip. Requests started together come back
 * together, and n8n then does each one's request work back to back while none is in flight, so
 * the batch advances in lock-step rounds of latency plus all that work. Started a little apart,
 * they stay apart and that work overlaps the other requests' waiting. The gap lets starts run a
 * quarter faster than the concurrency itself allows, so it spreads them without slowing them.
 */
export class Pacer {
	private roundTripMs = 0;
	private nextStartAt = 0;

	constructor(private readonly concurrency: number) {}

	async acquire(run: RunSignals): Promise<void> {
		const now = performance.now();
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + (0.8 * this.roundTripMs) / this.concurrency;
		// Timers have millisecond resolution: shorter waits are carried until they add up.
		if (startAt - now >= 1) await run.wait(startAt - now);
	}

	recordRoundTrip(ms: number): void {
		this.roundTripMs = this.roundTripMs === 0 ? ms : 0.8 * this.roundTripMs + 0.2 * ms;
	}
}

/** How one run paces, throttles and stops its requests. */
export interface SendControl {
	settings: RunSettings;
	throttle: Throttle;
	pacer: Pacer;
	run: RunSignals;
}

/**
 * Sends one request, again after temporary failures when that is safe. Undefined when the run
 * stopped before the request was ever sent; after a retry wait cut short, the last failure.
 */
export async function sendWithRetry(
	client: VendorClient,
	request: ApiRequest,
	itemIndex: number,
	idempotent: boolean,
	control: SendControl,
): Promise<SendOutcome | undefined> {
	let last: SendOutcome | undefined;
	for (let retry = 0; ; retry++) {
		await control.throttle.acquire(control.run);
		await control.pacer.acquire(control.run);
		if (control.run.stopped) return last;
		const sentAt = performance.now();
		last = await client.send(request, itemIndex, control.run);
		control.pacer.recordRoundTrip(performance.now() - sentAt);
		if (last.ok) return last;
		const { facts } = last;
		const giveUp =
			retry >= control.settings.maxRetries ||
			!isRetryable(facts, idempotent) ||
			(facts.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS ||
			control.run.stopped;
		if (giveUp) return last;
		await control.run.wait(retryDelayMs(retry, facts));
	}
}
