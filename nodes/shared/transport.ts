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

import { redactText, secretForms } from './redact';

/** What an operation asks a vendor for. The path is built only from validated values. */
export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
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

/** Why a request failed, for deciding whether it is safe and useful to send it again. */
export interface FailureFacts {
	httpCode?: number;
	/** Node's error code for failures below HTTP (ECONNREFUSED, ETIMEDOUT, …). */
	networkCode?: string;
	retryAfterMs?: number;
}

/** A failure carries the vendor's message for people and the facts for the retry decision. */
export type SendOutcome =
	| { ok: true; reply: IDataObject }
	| { ok: false; error: NodeApiError; facts: FailureFacts };

export interface VendorClient {
	secrets: string[];
	send(request: ApiRequest, itemIndex: number): Promise<SendOutcome>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A credential's base URL, checked: https only (tokens must not cross the network in clear
 * text), except on this machine, where the local sandbox runs over http.
 */
function checkedBaseUrl(value: unknown, vendorName: string): string | { problem: string } {
	const text = typeof value === 'string' ? value.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return {
			problem: `The ${vendorName} credential's Base URL is not a valid URL: ${JSON.stringify(text.slice(0, 80))}`,
		};
	}
	const loopback = LOOPBACK_HOSTS.has(url.hostname);
	if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
		return {
			problem: `The ${vendorName} credential's Base URL must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]), got ${url.protocol}//${url.host}`,
		};
	}
	if (url.search || url.hash || url.username || url.password) {
		return {
			problem: `The ${vendorName} credential's Base URL must not contain a query, a fragment or a user name`,
		};
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export async function connectVendor(
	context: IExecuteFunctions,
	vendor: Vendor,
	options: SendOptions,
): Promise<VendorClient> {
	const credentials = await context.getCredentials(vendor.credentialType);
	const node = context.getNode();
	const baseUrl = checkedBaseUrl(credentials.baseUrl || vendor.defaultBaseUrl, vendor.name);
	if (typeof baseUrl !== 'string') throw new NodeOperationError(node, baseUrl.problem);
	const secrets = secretForms(vendor.secrets(credentials));
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
		message: string,
		description: string,
		facts: FailureFacts,
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
		secrets,
		async send(request, itemIndex) {
			const httpOptions: IHttpRequestOptions = {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				qs: request.qs,
				body: request.body,
				headers: request.body ? { 'Content-Type': 'application/json' } : undefined,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: options.timeoutMs,
				abortSignal: context.getExecutionCancelSignal(),
			};
			let response: IN8nHttpFullResponse;
			try {
				response = (await context.helpers.httpRequestWithAuthentication.call(
					context,
					vendor.credentialType,
					httpOptions,
					{ credentialsDecrypted },
				)) as IN8nHttpFullResponse;
			} catch (error) {
				const networkCode = networkErrorCode(error);
				return failed(
					itemIndex,
					networkFailureMessage(vendor.name, networkCode, options.timeoutMs),
					`${request.method} ${baseUrl}${request.path} failed before a reply arrived (${lowLevelMessage(error)})`,
					{ networkCode },
				);
			}

			const { statusCode, body, headers } = response;
			const failure = vendor.failureMessage(statusCode, body);
			if (failure !== undefined) {
				return failed(
					itemIndex,
					failure,
					`${vendor.name} answered ${request.method} ${request.path} with HTTP ${statusCode}`,
					{ httpCode: statusCode, retryAfterMs: retryAfterMs(headers?.['retry-after']) },
				);
			}
			return { ok: true, reply: body as IDataObject };
		},
	};
}

function networkFailureMessage(vendorName: string, code: string, timeoutMs: number): string {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return `${vendorName} did not answer within ${timeoutMs} ms (${code})`;
	}
	if (code === 'ECONNRESET' || code === 'EPIPE') {
		return `The connection to ${vendorName} was dropped before a reply came (${code})`;
	}
	return `Could not reach ${vendorName} (${code})`;
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
