import { describeUnexpectedBody, type Vendor } from '../shared/transport';

const SALEKIT_DEFAULT_BASE_URL = 'https://salekit.com/api/v1';

function isTrue(value: unknown): boolean {
	return value === true || value === 1 || value === 'true' || value === '1';
}

/** Salekit signals failure with `error: true` and a `msg`, often under HTTP 200. */
export const salekitVendor: Vendor = {
	name: 'Salekit',
	credentialType: 'salekitApi',
	defaultBaseUrl: SALEKIT_DEFAULT_BASE_URL,
	secrets: (credentials) => [credentials.token as string],
	failureMessage(statusCode, body) {
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			return {
				unreadable: `Salekit returned ${describeUnexpectedBody(body)} (HTTP ${statusCode})`,
			};
		}
		const reply = body as { error?: unknown; msg?: unknown; status?: unknown };
		const statusInBody = typeof reply.status === 'number' && reply.status >= 400;
		if (statusCode < 400 && !isTrue(reply.error) && !statusInBody) return undefined;
		if (typeof reply.msg === 'string' && reply.msg.trim() !== '') return reply.msg;
		return `Salekit reported an error without a message (HTTP ${statusCode})`;
	},
};
