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

import { checkedBaseUrl } from './baseUrl';
import {
	failureBeforeReply,
	failureWhileReading,
	lowLevelMessage,
	MAX_REPLY_BYTES,
	redirectFailure,
	replyFailure,
	ReplyTooLarge,
	type Failure,
	type FailureFacts,
	type Interruption,
} from './failureFate';
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
	/**
	 * Undefined when the reply is a success. Otherwise the vendor's own failure message when it
	 * says it did not do it (a refusal, whatever the HTTP status), or `unreadable` when the reply
	 * does not say what happened (not JSON, encrypted, a success without the new record's id).
	 */
	failureMessage(statusCode: number, body: unknown): string | { unreadable: string } | undefined;
}

interface SendOptions {
	timeoutMs: number;
}

export type { Fate, FailureFacts } from './failureFate';
export { MAX_REPLY_BYTES } from './failureFate';

/** A failure carries the vendor's message for people and the facts for the retry decision. */
export type SendOutcome =
	{ ok: true; reply: IDataObject } | { ok: false; error: NodeApiError; facts: FailureFacts };

export interface VendorClient {
	vendorName: string;
	secrets: string[];
	/** One attempt, bounded by the timeout as a whole; a cancel or the end of the run aborts it. */
	send(request: ApiRequest, itemIndex: number, run: RunSignals): Promise<SendOutcome>;
}

/** Node refuses to send header values outside visible Latin-1 and tab. */
const HEADER_UNSAFE = /[^\t\x20-\x7e\x80-\xff]/;

/** Credential values as pasted, minus the spaces and line breaks that copying adds around them. */
function trimmedCredentials(
	credentials: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	return Object.fromEntries(
		Object.entries(credentials).map(([key, value]) => [
			key,
			typeof value === 'string' ? value.trim() : value,
		]),
	);
}

function tokenProblem(token: unknown): string | undefined {
	if (typeof token === 'number') return undefined;
	if (typeof token !== 'string' || token === '') return 'is empty: enter it in the credential';
	const unsafe = HEADER_UNSAFE.exec(token);
	if (!unsafe) return undefined;
	const code = unsafe[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
	const position = unsafe.index + 1;
	return `contains a character that cannot be sent in a header (U+${code} at position ${position}): paste it again`;
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
		if (problem)
			throw new NodeOperationError(node, `The ${vendor.name} credential's token ${problem}`);
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
	const failed = (
		itemIndex: number,
		{ message, facts }: Failure,
		description: string,
	): SendOutcome => {
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
					const message = `The ${vendor.name} credential's ${problem}`;
					return failed(
						itemIndex,
						{ message, facts: { fate: 'not-sent', final: true } },
						'Nothing was sent',
					);
				}
			}
			const attempt = run.attempt(options.timeoutMs);
			const where = `${request.method} ${baseUrl}${request.path}`;
			const interruption = (): Interruption => ({
				cancelled: run.ended,
				timedOut: attempt.timedOut,
				timeoutMs: options.timeoutMs,
			});
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
					const known = failureBeforeReply(vendor.name, error, interruption());
					return failed(
						itemIndex,
						known,
						`${where} failed before a reply arrived (${lowLevelMessage(error)})`,
					);
				}

				const { statusCode, headers } = response;
				if (statusCode >= 300 && statusCode < 400) {
					discard(response.body);
					const redirect = redirectFailure(
						vendor.name,
						statusCode,
						headers?.location,
						httpOptions.url,
					);
					return failed(
						itemIndex,
						redirect,
						`${where} was answered with HTTP ${statusCode}; redirects are never followed, so nothing was sent to the other ` +
							`address`,
					);
				}
				let body: unknown;
				try {
					body = redactValue(
						parsedReply(await readReply(response.body, headers, attempt.signal)),
						secrets,
					);
				} catch (error) {
					const known = failureWhileReading(vendor.name, error, statusCode, interruption());
					return failed(
						itemIndex,
						known,
						`${where}: HTTP ${statusCode}, then the reply failed (${lowLevelMessage(error)})`,
					);
				}
				const failure = vendor.failureMessage(statusCode, body);
				if (failure !== undefined) {
					const refusal = replyFailure(statusCode, failure, headers?.['retry-after']);
					return failed(
						itemIndex,
						refusal,
						`${vendor.name} answered ${request.method} ${request.path} with HTTP ${statusCode}`,
					);
				}
				return { ok: true, reply: body as IDataObject };
			} finally {
				attempt.release();
			}
		},
	};
}

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
async function readReply(
	body: unknown,
	headers: IDataObject | undefined,
	signal: AbortSignal,
): Promise<string> {
	if (!isStream(body))
		return typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
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

/** A non-JSON reply (an HTML error page from a proxy, say) summarized without flooding the error. */
export function describeUnexpectedBody(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const short = (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
	return short === '' ? 'an empty reply' : `an unexpected reply: ${short}`;
}
