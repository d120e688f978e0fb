import { seedConversions, type ConversionStatus, type SandboxConversion } from './accessTradeSeeds';
import { isJsonObject, type VendorReply, type VendorRequest, type VendorSimulator } from './vendor';

type SettableStatus = Exclude<ConversionStatus, 'pending'>;

/** The statuses an advertiser may set; 'pending' is only where conversions start. */
function isSettableStatus(value: unknown): value is SettableStatus {
	return value === 'pre_approved' || value === 'rejected';
}

type Operation = 'conversion' | 'conversionPart';

interface Route {
	method: string;
	/** Captures the campaign id. */
	pattern: RegExp;
	operation: Operation;
	paramsFrom: 'body' | 'query';
}

/** The three endpoints exactly as seed 000 writes them, inconsistent prefixes included. */
const ROUTES: readonly Route[] = [
	{
		method: 'POST',
		pattern: /^\/api\/v1\/rest\/([^/]+)\/update-conversion-status$/,
		operation: 'conversion',
		paramsFrom: 'body',
	},
	{ method: 'GET', pattern: /^\/v1\/rest\/([^/]+)\/update-conversion-status$/, operation: 'conversion', paramsFrom: 'query' },
	{
		method: 'GET',
		pattern: /^\/api\/v1\/([^/]+)\/update-conversion-part-status$/,
		operation: 'conversionPart',
		paramsFrom: 'query',
	},
];

function failure(status: number, message: string): VendorReply {
	return { status, body: { status: 'error', message } };
}

/**
 * The outer envelope says "success" even when the inner one carries the real outcome: that is
 * how the platform reports a missing conversion, and what the node has to see through.
 */
function enveloped(inner: { status: string; data: SandboxConversion | null; message: string; code: number }): VendorReply {
	return { status: 200, body: { status: 'success', data: inner } };
}

/** Query values are strings; JSON body values may be anything, so they are stringified. */
function textParam(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

export class AccessTradeSimulator implements VendorSimulator {
	readonly name = 'accessTrade';
	private stored = indexById(seedConversions());

	constructor(
		private readonly token: string,
		private readonly campaignId: number,
	) {}

	handle(request: VendorRequest): VendorReply {
		const matched = this.match(request);
		if (!matched) return failure(404, 'Not found');
		if (request.headers['x-at-user-access-token'] !== this.token) return failure(401, 'Invalid access token');
		// One token belongs to one campaign: any other id, numeric or not, is unknown to it.
		if (matched.campaignId !== String(this.campaignId)) return failure(404, 'Campaign not found');

		const params = matched.route.paramsFrom === 'body' ? request.body : request.query;
		if (!isJsonObject(params)) return failure(400, 'Request body must be a JSON object');
		const conversionId = textParam(params.conversion_id);
		if (!conversionId) return failure(400, 'conversion_id is required');
		const sku = textParam(params.product_sku);
		if (matched.route.operation === 'conversionPart' && !sku) return failure(400, 'product_sku is required');
		const status = params.status;
		if (!isSettableStatus(status)) return failure(200, `Invalid status: ${String(status)}`);

		const conversion = this.stored.get(conversionId);
		if (!conversion) return enveloped({ status: 'error', data: null, message: 'Conversion not found', code: 404 });
		const targets =
			matched.route.operation === 'conversion'
				? conversion.conversion_parts
				: conversion.conversion_parts.filter((part) => part.sku === sku);
		if (targets.length === 0) {
			return enveloped({ status: 'success', data: null, message: 'Conversion part not found', code: 1 });
		}
		const reason = textParam(params.reason) ?? '';
		for (const part of targets) {
			part.status = status;
			part.reason = reason;
		}
		return enveloped({ status: 'success', data: structuredClone(conversion), message: 'Success', code: 0 });
	}

	errorReply(status: number, message: string): VendorReply {
		return failure(status, message);
	}

	reset(): void {
		this.stored = indexById(seedConversions());
	}

	/** More conversions, for runs that need many; gone again on reset. */
	add(conversions: SandboxConversion[]): void {
		for (const conversion of conversions) this.stored.set(conversion.conversion_id, structuredClone(conversion));
	}

	conversion(id: string): SandboxConversion | undefined {
		const conversion = this.stored.get(id);
		return conversion && structuredClone(conversion);
	}

	conversions(): SandboxConversion[] {
		return structuredClone([...this.stored.values()]);
	}

	private match(request: VendorRequest): { route: Route; campaignId: string } | undefined {
		for (const route of ROUTES) {
			const found = request.method === route.method ? route.pattern.exec(request.path) : null;
			if (found) return { route, campaignId: found[1] };
		}
		return undefined;
	}
}

function indexById(conversions: SandboxConversion[]): Map<string, SandboxConversion> {
	return new Map(conversions.map((conversion) => [conversion.conversion_id, conversion]));
}
