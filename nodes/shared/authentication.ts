import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * A credential's `authenticate` that sends one field as one header, and each optional field as
 * its header when it is set. A function rather than a generic `={{$credentials…}}` header,
 * because n8n evaluates such an expression on every request, which costs more than the rest of
 * that request's own work.
 */
export function headerAuthentication(header: string, field: string, optionalHeaders: Record<string, string> = {}) {
	return async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const headers: Record<string, string> = { [header]: credentials[field] as string };
		for (const [optionalHeader, optionalField] of Object.entries(optionalHeaders)) {
			const value = credentials[optionalField];
			if (value !== undefined && value !== null && String(value).trim() !== '') {
				headers[optionalHeader] = String(value).trim();
			}
		}
		return { ...requestOptions, headers: { ...requestOptions.headers, ...headers } };
	};
}
