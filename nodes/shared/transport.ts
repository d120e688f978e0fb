import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type JsonObject,
} from 'n8n-workflow';

import { redactText, redactValue, secretForms } from './redact';
import type { RunSignals } from './signals';

/** What an operation asks a vendor for. The path is built only from validated values. */
export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/**
	 * Optional credential fields this request cannot do without, each with what to tell the user
	 * when it is empty. Checked before sending: an empty one fails the item and sends nothing.
	 */
	requiredCredentials?: Record<string, string>;
}

/** What the shared transport needs to know about one vendor. */
export interface Vendor {
	name: string;
	credentialType: string;
	/** Used when the credential leaves its Base URL empty. */
	defaultBaseUrl?: string;
	/** Credential values that must never show up in output, errors or logs. */
	secrets(credentials: ICredentialDataDecryptedObject): string[];
	/** The vendor's own failure message when the reply is a failure, whatever its HTTP status. */
	failureMessage(statusCode: number, body: unknown): string | undefined;
}

interface SendOptions {
	timeoutMs: number;
}

/**
 * What became of a request that failed. `rejected`: the vendor answered and did not do it.
 * `not-sent`: it provably never left this machine (connection refused, host not found).
 * `unknown`: it may have reached the vendor and taken effect (a timeout, a cut or stalled reply).
 */
export type Fate = 'rejected' | 'not-sent' | 'unknown';

/** Why a request failed, for deciding whether it is safe and useful to send it again. */
export interface FailureFacts {
	fate: Fate;
	httpCode?: number;
	retryAfterMs?: number;
	/** Sending again cannot help: a redirect, an oversized reply, a cancelled run. */
	final?: boolean;
}

/** A failure carries the vendor's message for people and the facts for the retry decision. */
export type SendOutcome =
	| { ok: true; reply: IDataObject }
	| { ok: false; error: NodeApiError; facts: FailureFacts };

export interface VendorClient {
	vendorName: string;
	secrets: string[];
	/** One attempt, bounded by the timeout as a whole; a cancel or the end of the run aborts it. */
	send(request: ApiRequest, itemIndex: number, run: RunSignals): Promise<SendOutcome>;
}

/** Far more than any order or conversion reply; more is a misrouted download, held in memory per item. */
export const MAX_REPLY_BYTES = 5 * 1024 * 1024;

/** Node's codes for failures that happen before a single byte is sent. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Node refuses to send header values outside visible Latin-1 and tab. */
const HEADER_UNSAFE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * A credential's base URL, checked: https only (tokens must not cross the network in clear
 * text), except on this machine, where the local sandbox runs over http. Errors show the host
 * at most: a pasted URL can carry a token in its query.
 */
function checkedBaseUrl(value: unknown, vendorName: string): string | { problem: string } {
	const text = typeof value === 'string' ? value.trim() : '';
	const prefix = `The ${vendorName} credential's Base URL`;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#:\s]+)/i.exec(text)?.[1];
		return {
			problem: `${prefix} is not a valid URL${host ? ` (host ${host})` : ''}: it must look like https://host/path`,
		};
	}
	const loopback = LOOPBACK_HOSTS.has(url.hostname);
	if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
		return {
			problem: `${prefix} must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]), got ${url.protocol}//${url.host}`,
		};
	}
	if (url.search || url.hash || url.username || url.password) {
		return { problem: `${prefix} must not contain a query, a fragment or a user name (host ${url.host})` };
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Credential values as pasted, minus the spaces and line breaks that copying adds around them. */
function trimmedCredentials(credentials: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return Object.fromEntries(
		Object.entries(credentials).map(([key, value]) => [key, typeof value === 'string' ? value.trim() : value]),
	);
}

function tokenProblem(token: unknown): string | undefined {
	if (typeof token === 'number') return undefined;
	if (typeof token !== 'string' || token === '') return 'is empty: enter it in the credential';
	const unsafe = HEADER_UNSAFE.exec(token);
	if (!unsafe) return undefined;
	const code = unsafe[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
	return `contains a character that cannot be sent in a header (U+${code} at position ${unsafe.index + 1}): paste it again`;
}

export async function connectVendor(
	context: IExecuteFunctions,
	vendor: Vendor,
	options: SendOptions,
): Promise<VendorClient> {
	const rawCredentials = await context.getCredentials(vendor.credentialType);
	const credentials = trimmedCredentials(rawCredentials);
	const node = context.getNode();
	const baseUrl = checkedBaseUrl(credentials.baseUrl || vendor.defaultBaseUrl, vendor.name);
	if (typeof baseUrl !== 'string') throw new NodeOperationError(node, baseUrl.problem);
	for (const token of vendor.secrets(credentials)) {
		const problem = tokenProblem(token);
		if (problem) throw new NodeOperationError(node, `The ${vendor.name} credential's token ${problem}`);
	}
	const secrets = secretForms([...vendor.secrets(rawCredentials), ...vendor.secrets(credentials)]);
	// Handing n8n the credentials read once spares it a database read and a decryption per request.
	const credentialsDecrypted = {
		id: node.credentials?.[vendor.credentialType]?.id ?? '',
		name: node.credentials?.[vendor.credentialType]?.name ?? vendor.credentialType,
		type: vendor.credentialType,
		data: credentials,
	};

	// Built from plain strings, never from the HTTP library's error: that one carries the
	// request config, headers and token included.
	const failed = (itemIndex: number, message: string, description: string, facts: FailureFacts): SendOutcome => {
		const clean = redactText(message, secrets);
		const error = new NodeApiError(node, { message: clean } as JsonObject, {
			message: clean,
			description: redactText(description, secrets),
			httpCode: facts.httpCode === undefined ? undefined : String(facts.httpCode),
			itemIndex,
		});
		// NodeApiError swaps a message that names a network code (ECONNRESET…) for a generic one
		// advising an immediate retry, wrong advice for a create: keep ours.
		error.message = clean;
		return { ok: false, error, facts };
	};

	return {
		vendorName: vendor.name,
		secrets,
		async send(request, itemIndex, run) {
			for (const [field, problem] of Object.entries(request.requiredCredentials ?? {})) {
				const value = credentials[field];
				if (value === undefined || value === null || String(value) === '') {
					return failed(itemIndex, `The ${vendor.name} credential's ${problem}`, 'Nothing was sent', {
						fate: 'not-sent',
						final: true,
					});
				}
			}
			const attempt = run.attempt(options.timeoutMs);
			const where = `${request.method} ${baseUrl}${request.path}`;
			// Why an attempt that threw ended, from the signals this attempt owns.
			const interrupted = (): { message: string; facts: FailureFacts } | undefined => {
				if (run.ended) {
					return {
						message: `The execution was cancelled while waiting for ${vendor.name}'s reply`,
						facts: { fate: 'unknown', final: true },
					};
				}
				if (attempt.timedOut) {
					return {
						message: `${vendor.name} did not answer within ${options.timeoutMs} ms`,
						facts: { fate: 'unknown' },
					};
				}
				return undefined;
			};
			const httpOptions: IHttpRequestOptions = {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				qs: request.qs,
				body: request.body,
				headers: request.body ? { 'Content-Type': 'application/json' } : undefined,
				json: true,
				// Read as a stream, to measure the reply as it arrives and stop reading past the cap.
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A redirect would carry the token header to whatever host it names, and turn a
				// create into a GET or send the order elsewhere: never followed.
				disableFollowRedirect: true,
				// No socket timeout: the attempt's signal bounds the whole attempt, trickling replies too.
				abortSignal: attempt.signal,
			};
			// n8n replaces the request's abort signal with the context's cancel signal; this
			// attempt's context hands it the attempt's own, which also ends with the timeout.
			const attemptContext = Object.create(context, {
				getExecutionCancelSignal: { value: () => attempt.signal },
			}) as IExecuteFunctions;
			try {
				let response: IN8nHttpFullResponse;
				try {
					response = (await context.helpers.httpRequestWithAuthentication.call(
						attemptContext,
						vendor.credentialType,
						httpOptions,
						{ credentialsDecrypted },
					)) as IN8nHttpFullResponse;
				} catch (error) {
					const known = interrupted() ?? failureBeforeReply(vendor.name, error);
					return failed(itemIndex, known.message, `${where} failed before a reply arrived (${lowLevelMessage(error)})`, known.facts);
				}

				const { statusCode, headers } = response;
				if (statusCode >= 300 && statusCode < 400) {
					discard(response.body);
					return failed(
						itemIndex,
						redirectMessage(vendor.name, statusCode, headers?.location, httpOptions.url),
						`${where} was answered with HTTP ${statusCode}; redirects are never followed, so nothing was sent to the other address`,
						{ fate: 'rejected', httpCode: statusCode, final: true },
					);
				}
				let body: unknown;
				try {
					body = redactValue(parsedReply(await readReply(response.body, headers, attempt.signal)), secrets);
				} catch (error) {
					const known = interrupted() ?? failureWhileReading(vendor.name, error);
					return failed(itemIndex, known.message, `${where}: HTTP ${statusCode}, then the reply failed (${lowLevelMessage(error)})`, {
						...known.facts,
						httpCode: statusCode,
					});
				}
				const failure = vendor.failureMessage(statusCode, body);
				if (failure !== undefined) {
					return failed(itemIndex, failure, `${vendor.name} answered ${request.method} ${request.path} with HTTP ${statusCode}`, {
						fate: 'rejected',
						httpCode: statusCode,
						retryAfterMs: retryAfterMs(headers?.['retry-after']),
					});
				}
				return { ok: true, reply: body as IDataObject };
			} finally {
				attempt.release();
			}
		},
	};
}

function redirectMessage(vendorName: string, statusCode: number, location: unknown, requestUrl: string): string {
	let target = 'no address';
	if (typeof location === 'string' && location !== '') {
		try {
			target = new URL(location, requestUrl).host;
		} catch {
			target = 'an address that is not a valid URL';
		}
	}
	return `${vendorName} answered with a redirect (HTTP ${statusCode}) to ${target}; it was not followed and nothing was sent there. ${vendorName}'s address may have changed: check the Base URL in the credential`;
}

class ReplyTooLarge extends Error {}

interface ReplyStream extends AsyncIterable<Buffer | string> {
	destroy(error?: Error): void;
}

function isStream(body: unknown): body is ReplyStream {
	return typeof (body as ReplyStream | undefined)?.[Symbol.asyncIterator] === 'function';
}

function discard(body: unknown): void {
	if (isStream(body)) body.destroy();
}

/** The reply's text, read up to the size cap; the attempt's signal ends a stalled or trickling one. */
async function readReply(body: unknown, headers: IDataObject | undefined, signal: AbortSignal): Promise<string> {
	if (!isStream(body)) return typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
	const stopReading = () => body.destroy(new Error('aborted'));
	signal.addEventListener('abort', stopReading, { once: true });
	try {
		if (Number(headers?.['content-length']) > MAX_REPLY_BYTES) throw new ReplyTooLarge();
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of body) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > MAX_REPLY_BYTES) throw new ReplyTooLarge();
			chunks.push(bytes);
		}
		return Buffer.concat(chunks).toString('utf8');
	} finally {
		signal.removeEventListener('abort', stopReading);
		body.destroy();
	}
}

/** JSON when it parses, the text otherwise (an HTML error page, say), as n8n's own client does. */
function parsedReply(text: string): unknown {
	const clean = text.replace(/^\uFEFF/, '');
	if (clean.trim() === '') return clean;
	try {
		return JSON.parse(clean);
	} catch {
		return clean;
	}
}

function failureBeforeReply(vendorName: string, error: unknown): { message: string; facts: FailureFacts } {
	const code = networkErrorCode(error);
	if (NEVER_SENT.has(code)) return { message: `Could not reach ${vendorName} (${code})`, facts: { fate: 'not-sent' } };
	if (code === 'ETIMEDOUT') return { message: `${vendorName} did not answer (${code})`, facts: { fate: 'unknown' } };
	return {
		message: `The connection to ${vendorName} was dropped before a reply came (${code})`,
		facts: { fate: 'unknown' },
	};
}

function failureWhileReading(vendorName: string, error: unknown): { message: string; facts: FailureFacts } {
	if (error instanceof ReplyTooLarge) {
		return {
			message: `${vendorName}'s reply is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB, so it was not read`,
			facts: { fate: 'unknown', final: true },
		};
	}
	return {
		message: `The connection to ${vendorName} was dropped in the middle of its reply (${networkErrorCode(error)})`,
		facts: { fate: 'unknown' },
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

function lowLevelMessage(error: unknown): string {
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

/** A non-JSON reply (an HTML error page from a proxy, say) summarized without flooding the error. */
export function describeUnexpectedBody(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const short = (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
	return short === '' ? 'an empty reply' : `an unexpected reply: ${short}`;
}
