import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { assertTokenMayTravel } from './baseUrl';

interface HeaderAuthentication {
	vendorName: string;
	header: string;
	field: string;
	/** Header → credential field, each sent only when the field is set. */
	optionalHeaders?: Record<string, string>;
}

/**
 * A credential's `authenticate` that sends one field as one header, and each optional field as
 * its header when it is set. A function rather than a generic `={{$credentials…}}` header,
 * because n8n evaluates such an expression on every request, which costs more than the rest of
 * that request's own work.
 *
 * It is also the one gate every request carrying the token passes, the credential Test's too
 * (n8n runs that one itself): the token goes only over https or to this machine, and never
 * follows a redirect, which would hand it to whatever host the redirect names.
 */
export function headerAuthentication({
	vendorName,
	header,
	field,
	optionalHeaders = {},
}: HeaderAuthentication) {
	return async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		assertTokenMayTravel(requestOptions, vendorName);
		const headers: Record<string, string> = { [header]: credentials[field] as string };
		for (const [optionalHeader, optionalField] of Object.entries(optionalHeaders)) {
			const value = credentials[optionalField];
			if (value !== undefined && value !== null && String(value).trim() !== '') {
				headers[optionalHeader] = String(value).trim();
			}
		}
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, ...headers },
			disableFollowRedirect: true,
		};
	};
}

const REDIRECT_CODES = [301, 302, 303, 307, 308];

/**
 * A credential Test's verdict on a redirect (never followed, see headerAuthentication). n8n up to
 * 2.8 shows its own text for any failed HTTP status instead of these rules' messages.
 */
export function redirectRules(vendorName: string) {
	return REDIRECT_CODES.map((value) => ({
		type: 'responseCode' as const,
		properties: {
			value,
			message:
				`${vendorName} answered with a redirect (HTTP ${value}); it was not followed, so the token went nowhere ` +
				`else. Set the Base URL to ${vendorName}'s current address.`,
		},
	}));
}

type TestRule = IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody;

/**
 * One rule list from several: n8n's tester takes both kinds in one list, its type only a list of
 * one kind. Status rules apply to failed requests, body rules to answered ones, each in order.
 */
export function testRules(...lists: TestRule[][]): ICredentialTestRequest['rules'] {
	return lists.flat() as ICredentialTestRequest['rules'];
}
