/**
 * What became of a request that failed, decided from what the transport saw: for a create, the
 * difference between "send it again", "it was refused" and "it may exist". nodes/shared/transport.ts
 * sends and reads; this file only classifies.
 */

/**
 * `rejected`: the vendor answered and did not do it. `not-sent`: it provably never left this
 * machine (connection refused, host not found). `unknown`: it may have reached the vendor and
 * taken effect (no reply, a cut or unreadable one, a 5xx).
 */
export type Fate = 'rejected' | 'not-sent' | 'unknown';

/** Why a request failed, for deciding whether it is safe and useful to send it again. */
export interface FailureFacts {
	fate: Fate;
	httpCode?: number;
	/** The whole reply arrived (a status and a body that was read to its end). */
	answered?: boolean;
	retryAfterMs?: number;
	/** Sending again cannot help: a redirect, an oversized reply, a cancelled run. */
	final?: boolean;
}

/** A failure as the item reports it (message) and as the retry and key decisions see it (facts). */
export interface Failure {
	message: string;
	facts: FailureFacts;
}

/** How the attempt's own signals ended it, if they did. */
export interface Interruption {
	cancelled: boolean;
	timedOut: boolean;
	timeoutMs: number;
}

/** Far more than any order or conversion reply; more is a misrouted download, held in memory per item. */
export const MAX_REPLY_BYTES = 5 * 1024 * 1024;

/** Thrown by the reply reader past MAX_REPLY_BYTES. */
export class ReplyTooLarge extends Error {}

/** Node's codes for failures that happen before a single byte is sent. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

function interrupted(
	vendorName: string,
	{ cancelled, timedOut, timeoutMs }: Interruption,
): Failure | undefined {
	if (cancelled) {
		return {
			message: `The execution was cancelled while waiting for ${vendorName}'s reply`,
			facts: { fate: 'unknown', final: true },
		};
	}
	if (timedOut)
		return {
			message: `${vendorName} did not answer within ${timeoutMs} ms`,
			facts: { fate: 'unknown' },
		};
	return undefined;
}

/**
 * The request threw before any reply. A connection refused is never sent, even when a cancel or the
 * timeout came after it.
 */
export function failureBeforeReply(
	vendorName: string,
	error: unknown,
	interruption: Interruption,
): Failure {
	const code = networkErrorCode(error);
	if (NEVER_SENT.has(code))
		return { message: `Could not reach ${vendorName} (${code})`, facts: { fate: 'not-sent' } };
	const known = interrupted(vendorName, interruption);
	if (known) return known;
	if (code === 'ETIMEDOUT')
		return { message: `${vendorName} did not answer (${code})`, facts: { fate: 'unknown' } };
	return {
		message: `The connection to ${vendorName} was dropped before a reply came (${code})`,
		facts: { fate: 'unknown' },
	};
}

/** The status came, then reading the body failed. */
export function failureWhileReading(
	vendorName: string,
	error: unknown,
	statusCode: number,
	interruption: Interruption,
): Failure {
	const known = interrupted(vendorName, interruption) ?? {
		message:
			error instanceof ReplyTooLarge
				? `${vendorName}'s reply is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB, so it was not read`
				: `The connection to ${vendorName} was dropped in the middle of its reply (${networkErrorCode(error)})`,
		facts: { fate: 'unknown', final: error instanceof ReplyTooLarge },
	};
	return { message: known.message, facts: { ...known.facts, httpCode: statusCode } };
}

/** A redirect is never followed: the token would go to the host it names. */
export function redirectFailure(
	vendorName: string,
	statusCode: number,
	location: unknown,
	requestUrl: string,
): Failure {
	let target = 'no address';
	if (typeof location === 'string' && location !== '') {
		try {
			target = new URL(location, requestUrl).host;
		} catch {
			target = 'an address that is not a valid URL';
		}
	}
	return {
		message:
			`${vendorName} answered with a redirect (HTTP ${statusCode}) to ${target}; it was not followed and nothing ` +
			`was sent there. ${vendorName}'s address may have changed: check the Base URL in the credential`,
		facts: { fate: 'rejected', httpCode: statusCode, final: true },
	};
}

/**
 * A complete reply that is not a success. A 5xx may come from a proxy that gave up while the
 * vendor went on; a 2xx the vendor's refusal format does not explain (a reply cut short without
 * Content-Length reads as text, an unreadable or id-less success) may well have done it: both
 * unknown. A 4xx, or a refusal in the vendor's own words, did nothing.
 */
export function replyFailure(
	statusCode: number,
	failure: string | { unreadable: string },
	retryAfterHeader: unknown,
): Failure {
	const vendorRefused = typeof failure === 'string';
	const fate: Fate =
		statusCode >= 500 || (statusCode < 300 && !vendorRefused) ? 'unknown' : 'rejected';
	return {
		message: vendorRefused ? failure : failure.unreadable,
		facts: {
			fate,
			httpCode: statusCode,
			answered: true,
			retryAfterMs: retryAfterMs(retryAfterHeader),
		},
	};
}

/** What the HTTP library said, before n8n rephrased it. */
interface LowLevelError {
	code?: unknown;
	httpCode?: unknown;
	messages?: unknown;
	message?: unknown;
}

const ERROR_CODE = /^E[A-Z_]+$/;

function networkErrorCode(error: unknown): string {
	// n8n wraps the library's error in a NodeApiError that keeps Node's code as its `httpCode`.
	const { code, httpCode, message } = (error ?? {}) as LowLevelError;
	for (const candidate of [code, httpCode]) {
		if (typeof candidate === 'string' && ERROR_CODE.test(candidate)) return candidate;
	}
	if (/timeout/i.test(String(message))) return 'ETIMEDOUT';
	if (/aborted|premature close/i.test(String(message))) return 'ECONNRESET';
	return 'NETWORK_ERROR';
}

/** The library's own words, for the error's description. */
export function lowLevelMessage(error: unknown): string {
	const { messages, message } = (error ?? {}) as LowLevelError;
	const first = Array.isArray(messages) ? messages[0] : undefined;
	return String(first ?? message ?? error);
}

/** Retry-After is either seconds or an HTTP date. */
function retryAfterMs(header: unknown): number | undefined {
	if (typeof header !== 'string' && typeof header !== 'number') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(header));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
