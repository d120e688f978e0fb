import { sleep } from 'n8n-workflow';

import type { RunSettings } from './options';
import type { ApiRequest, FailureFacts, SendOutcome, VendorClient } from './transport';

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Failures after which the request may have been processed: only safe to repeat if idempotent. */
const RETRYABLE_IN_FLIGHT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT']);
/** Failures that prove the request never reached the server: safe to repeat for anything. */
export const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this fails the item instead of stalling the whole batch. */
const MAX_RETRY_AFTER_MS = 120_000;

function isRetryable(facts: FailureFacts, idempotent: boolean): boolean {
	if (facts.networkCode && NEVER_SENT.has(facts.networkCode)) return true;
	if (!idempotent) return false;
	if (facts.httpCode !== undefined) return RETRYABLE_STATUS.has(facts.httpCode);
	return facts.networkCode !== undefined && RETRYABLE_IN_FLIGHT.has(facts.networkCode);
}

/** A failure after which a request may have taken effect, though no reply came back. */
function mayHaveBeenProcessed(facts: FailureFacts): boolean {
	return facts.networkCode !== undefined && RETRYABLE_IN_FLIGHT.has(facts.networkCode);
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

	async acquire(): Promise<void> {
		if (this.limit <= 0) return;
		for (;;) {
			const now = Date.now();
			if (now - this.windowStart >= this.intervalMs) {
				this.windowStart = now;
				this.startedInWindow = 0;
			}
			if (this.startedInWindow < this.limit) {
				this.startedInWindow++;
				return;
			}
			await sleep(this.windowStart + this.intervalMs - now);
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

	async acquire(): Promise<void> {
		const now = performance.now();
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + (0.8 * this.roundTripMs) / this.concurrency;
		// Timers have millisecond resolution: shorter waits are carried until they add up.
		if (startAt - now >= 1) await sleep(startAt - now);
	}

	recordRoundTrip(ms: number): void {
		this.roundTripMs = this.roundTripMs === 0 ? ms : 0.8 * this.roundTripMs + 0.2 * ms;
	}
}

export async function sendWithRetry(
	client: VendorClient,
	request: ApiRequest,
	itemIndex: number,
	idempotent: boolean,
	settings: RunSettings,
	throttle: Throttle,
	pacer: Pacer,
	isCancelled: () => boolean,
): Promise<SendOutcome> {
	for (let retry = 0; ; retry++) {
		await throttle.acquire();
		await pacer.acquire();
		const sentAt = performance.now();
		const outcome = await client.send(request, itemIndex);
		pacer.recordRoundTrip(performance.now() - sentAt);
		if (outcome.ok) return outcome;
		const { facts } = outcome;
		const giveUp =
			retry >= settings.maxRetries ||
			!isRetryable(facts, idempotent) ||
			(facts.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS ||
			isCancelled();
		if (giveUp) {
			if (!idempotent && mayHaveBeenProcessed(outcome.facts)) {
				// In the message, not the description: a Continue On Fail item shows only the message.
				outcome.error.message = `${outcome.error.message}. It may have taken effect all the same, so it was not sent again: check before running this item again`;
			}
			return outcome;
		}
		await sleep(retryDelayMs(retry, facts));
	}
}
