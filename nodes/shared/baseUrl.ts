import type { IHttpRequestOptions } from 'n8n-workflow';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Tokens must not cross the network in clear text: https only, except on this machine, where the
 * local sandbox runs over http.
 */
function insecureTransport(url: URL, prefix: string): string | undefined {
	const loopback = LOOPBACK_HOSTS.has(url.hostname);
	if (url.protocol === 'https:' || (loopback && url.protocol === 'http:')) return undefined;
	return (
		`${prefix} must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]), got ` +
		`${url.protocol}//${url.host}`
	);
}

const basePrefix = (vendorName: string) => `The ${vendorName} credential's Base URL`;

/**
 * A credential's base URL, checked. Errors show the host at most: a pasted URL can carry a token
 * in its query.
 */
export function checkedBaseUrl(value: unknown, vendorName: string): string | { problem: string } {
	const text = typeof value === 'string' ? value.trim() : '';
	const prefix = basePrefix(vendorName);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#:\s]+)/i.exec(text)?.[1];
		return {
			problem: `${prefix} is not a valid URL${host ? ` (host ${host})` : ''}: it must look like https://host/path`,
		};
	}
	const insecure = insecureTransport(url, prefix);
	if (insecure) return { problem: insecure };
	if (url.search || url.hash || url.username || url.password) {
		return {
			problem: `${prefix} must not contain a query, a fragment or a user name (host ${url.host})`,
		};
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Where a request that is about to get the token goes, checked like a Base URL; throws when the
 * token may not travel there. The nodes check their Base URL before this; the credential Test,
 * which n8n runs on its own, is stopped here.
 */
export function assertTokenMayTravel(request: IHttpRequestOptions, vendorName: string): void {
	const target = URL.canParse(request.url, request.baseURL || undefined)
		? new URL(request.url, request.baseURL || undefined)
		: undefined;
	const problem = target
		? insecureTransport(target, basePrefix(vendorName))
		: `${basePrefix(vendorName)} is not a valid URL: it must look like https://host/path`;
	if (problem) throw new Error(problem);
}
