import { describeUnexpectedBody, type Vendor } from '../shared/transport';

interface Envelope {
	status?: unknown;
	conversion?: unknown;
	conversion_id?: unknown;
	code?: unknown;
	message?: unknown;
	msg?: unknown;
	data?: unknown;
}

function isObject(value: unknown): value is Envelope {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function messageOf(envelope: Envelope): string | undefined {
	const message = envelope.message ?? envelope.msg;
	return typeof message === 'string' && message.trim() !== '' ? message : undefined;
}

/**
 * A failure the envelope states: a status other than "success", or a code other than 0. An
 * envelope that states neither (no status at all) says nothing of what happened.
 */
function statesFailure(envelope: Envelope): boolean {
	const codeIsError =
		envelope.code !== undefined && envelope.code !== null && Number(envelope.code) !== 0;
	const statusIsError =
		envelope.status !== undefined && envelope.status !== null && envelope.status !== 'success';
	return statusIsError || codeIsError;
}

/**
 * AccessTrade wraps its reply twice ({status, data: {status, data, message, code}}); a failure
 * can sit at either level, under HTTP 200 too.
 */
export const accessTradeVendor: Vendor = {
	name: 'AccessTrade',
	credentialType: 'accessTradeApi',
	secrets: (credentials) => [credentials.accessToken as string],
	failureMessage(statusCode, body) {
		if (!isObject(body)) {
			return {
				unreadable: `AccessTrade returned ${describeUnexpectedBody(body)} (HTTP ${statusCode})`,
			};
		}
		const inner = isObject(body.data) ? body.data : undefined;
		if (statusCode >= 400 || statesFailure(body)) {
			return (
				messageOf(body) ??
				(inner && messageOf(inner)) ??
				`AccessTrade reported an error without a message (HTTP ${statusCode})`
			);
		}
		// Neither a success nor a refusal: what happened is unknown (a create may exist).
		if (body.status !== 'success')
			return {
				unreadable: `AccessTrade returned ${describeUnexpectedBody(body)} (HTTP ${statusCode})`,
			};
		if (typeof body.data === 'string') {
			// Some ScaleF replies carry `data` encrypted: "success" alone proves nothing then.
			return {
				unreadable:
					'AccessTrade answered "success" but its data is an encrypted or encoded string, not JSON, so the result cannot ' +
					'be read',
			};
		}
		if (!inner)
			return {
				unreadable: `AccessTrade returned ${describeUnexpectedBody(body)} (HTTP ${statusCode})`,
			};
		// Create answers with one envelope around `data.conversion`; the status updates with two.
		if (inner.conversion !== undefined) {
			const conversionId = isObject(inner.conversion) ? inner.conversion.conversion_id : undefined;
			const hasId =
				(typeof conversionId === 'string' && conversionId.trim() !== '') ||
				typeof conversionId === 'number';
			return hasId
				? undefined
				: {
						unreadable: `AccessTrade reported success but sent no conversion_id: ${describeUnexpectedBody(body)}`,
					};
		}
		if (statesFailure(inner)) {
			return (
				messageOf(inner) ??
				`AccessTrade reported an error without a message (code ${String(inner.code)})`
			);
		}
		if (inner.status !== 'success')
			return {
				unreadable: `AccessTrade returned ${describeUnexpectedBody(body)} (HTTP ${statusCode})`,
			};
		return undefined;
	},
};

/** The conversion itself, unwrapped from both envelopes. */
export function conversionOf(reply: Envelope): Envelope {
	const inner = isObject(reply.data) ? reply.data : {};
	return isObject(inner.data) ? inner.data : {};
}

/** The conversion create-conversion recorded, unwrapped from its envelope. */
export function createdConversionOf(reply: Envelope): Envelope {
	const data = isObject(reply.data) ? reply.data : {};
	return isObject(data.conversion) ? data.conversion : {};
}
