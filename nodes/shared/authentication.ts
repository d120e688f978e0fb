import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * A credential's `authenticate` that sends one field as one header. A function rather than a
 * generic `={{$credentials…}}` header, because n8n evaluates such an expression on every request,
 * which costs more than the rest of that request's own work.
 */
export function headerAuthentication(header: string, field: string) {
	return async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, [header]: credentials[field] as string },
	});
}
