import {
	seedConversions,
	type ConversionStatus,
	type Money,
	type SandboxConversion,
} from './accessTradeSeeds';
import { isJsonObject, type VendorReply, type VendorRequest, type VendorSimulator } from './vendor';

/** The statuses the campaign endpoints set; 'pending' is only where conversions start. */
function isCampaignStatus(value: unknown): value is ConversionStatus {
	return value === 'pre_approved' || value === 'rejected';
}

/** ScaleF's "Update status conversion" page: the advertiser endpoint's five statuses. */
const ADVERTISER_STATUSES: readonly ConversionStatus[] = [
	'pending',
	'pre_approved',
	'approved',
	'rejected',
	'hold',
];

function isAdvertiserStatus(value: unknown): value is ConversionStatus {
	return ADVERTISER_STATUSES.includes(value as ConversionStatus);
}

/** The headers the advertiser endpoint identifies its caller by, besides the token. */
const ADVERTISER_HEADERS = ['x-network-id', 'x-at-user', 'x-at-user-type'];

type Operation = 'conversion' | 'conversionPart' | 'create' | 'advertiserStatus';

interface Route {
	method: string;
	/** Captures the campaign id, except create's, which carries it in the body. */
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
	{
		method: 'GET',
		pattern: /^\/v1\/rest\/([^/]+)\/update-conversion-status$/,
		operation: 'conversion',
		paramsFrom: 'query',
	},
	{
		method: 'GET',
		pattern: /^\/api\/v1\/([^/]+)\/update-conversion-part-status$/,
		operation: 'conversionPart',
		paramsFrom: 'query',
	},
	// Not in the seeds: as integrators call it (shared/API.md, "Create conversion").
	{
		method: 'POST',
		pattern: /^\/api\/v1\/create-conversion$/,
		operation: 'create',
		paramsFrom: 'body',
	},
	// ScaleF's advertiser docs, "Update status conversion (all part)": no campaign in the path.
	{
		method: 'POST',
		pattern: /^\/api\/v1\/update-conversion-status$/,
		operation: 'advertiserStatus',
		paramsFrom: 'body',
	},
];

/** Commission the sandbox grants on created conversions: 10 % of each part's sale amount. */
const CREATED_COMMISSION_RATE = 0.1;

function failure(status: number, message: string): VendorReply {
	return { status, body: { status: 'error', message } };
}

/**
 * The outer envelope says "success" even when the inner one carries the real outcome: that is
 * how the platform reports a missing conversion, and what the node has to see through.
 */
function enveloped(inner: {
	status: string;
	data: SandboxConversion | null;
	message: string;
	code: number;
}): VendorReply {
	return { status: 200, body: { status: 'success', data: inner } };
}

/** Query values are strings; JSON body values may be anything, so they are stringified. */
function textParam(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

export class AccessTradeSimulator implements VendorSimulator {
	readonly name = 'accessTrade';
	private stored = indexById(seedConversions());
	/** How many conversions create-conversion has made; numbers their ids. */
	private created = 0;

	constructor(
		private readonly token: string,
		private readonly campaignId: number,
	) {}

	handle(request: VendorRequest): VendorReply {
		const matched = this.match(request);
		if (!matched) return failure(404, 'Not found');
		if (request.headers['x-at-user-access-token'] !== this.token)
			return failure(401, 'Invalid access token');
		const params = matched.route.paramsFrom === 'body' ? request.body : request.query;
		if (matched.route.operation === 'create') return this.create(params);
		if (matched.route.operation === 'advertiserStatus')
			return this.advertiserStatus(request.headers, params);
		// One token belongs to one campaign: any other id, numeric or not, is unknown to it.
		if (matched.campaignId !== String(this.campaignId)) return failure(404, 'Campaign not found');

		if (!isJsonObject(params)) return failure(400, 'Request body must be a JSON object');
		const conversionId = textParam(params.conversion_id);
		if (!conversionId) return failure(400, 'conversion_id is required');
		const sku = textParam(params.product_sku);
		if (matched.route.operation === 'conversionPart' && !sku)
			return failure(400, 'product_sku is required');
		const status = params.status;
		if (!isCampaignStatus(status)) return failure(200, `Invalid status: ${String(status)}`);
		return this.setStatus(
			conversionId,
			status,
			textParam(params.reason) ?? '',
			matched.route.operation === 'conversion' ? undefined : sku,
		);
	}

	/**
	 * The advertiser endpoint: the user headers and all three body fields are required (the page
	 * marks reason required). Its reply is not documented; the sandbox answers like the campaign
	 * endpoint, the platform's one documented status reply.
	 */
	private advertiserStatus(headers: VendorRequest['headers'], params: unknown): VendorReply {
		for (const header of ADVERTISER_HEADERS) {
			if (!textParam(headers[header])) return failure(401, `Missing ${header} header`);
		}
		if (!isJsonObject(params)) return failure(400, 'Request body must be a JSON object');
		const conversionId = textParam(params.conversion_id);
		if (!conversionId) return failure(400, 'conversion_id is required');
		if (!isAdvertiserStatus(params.status))
			return failure(200, `Invalid status: ${String(params.status)}`);
		const reason = textParam(params.reason);
		if (!reason) return failure(200, 'reason is required');
		return this.setStatus(conversionId, params.status, reason);
	}

	/** Sets a conversion's parts (or the one part with this SKU) to the status. */
	private setStatus(
		conversionId: string,
		status: ConversionStatus,
		reason: string,
		sku?: string,
	): VendorReply {
		const conversion = this.stored.get(conversionId);
		if (!conversion)
			return enveloped({ status: 'error', data: null, message: 'Conversion not found', code: 404 });
		const targets =
			sku === undefined
				? conversion.conversion_parts
				: conversion.conversion_parts.filter((part) => part.sku === sku);
		if (targets.length === 0) {
			return enveloped({
				status: 'success',
				data: null,
				message: 'Conversion part not found',
				code: 1,
			});
		}
		for (const part of targets) {
			part.status = status;
			part.reason = reason;
		}
		return enveloped({
			status: 'success',
			data: structuredClone(conversion),
			message: 'Success',
			code: 0,
		});
	}

	/** Stores the conversion with its parts, pending; the status endpoints then find it by id. */
	private create(body: unknown): VendorReply {
		if (!isJsonObject(body)) return failure(400, 'Request body must be a JSON object');
		if (String(body.campaign_id) !== String(this.campaignId)) {
			return failure(403, `Access token does not belong to campaign ${String(body.campaign_id)}`);
		}
		const problem = findCreateProblem(body);
		if (problem) return failure(400, problem);
		const parts = body.conversion_parts as CreatedPartInput[];
		this.created++;
		const conversion: SandboxConversion = {
			conversion_id: `c0ffee${String(this.created).padStart(18, '0')}`,
			order_id: String(body.order_id),
			click_id: String(body.click_id),
			campaign_id: this.campaignId,
			action_time: body.action_time as number,
			total_sale_amount: body.total_sale_amount as Money,
			total_discount: body.total_discount as Money,
			conversion_parts: parts.map((part, index) => ({
				sku: part.sku,
				name: part.name ?? '',
				url: part.url ?? null,
				quantity: part.quantity,
				currency: part.currency ?? 'VND',
				commission: {
					amount: Math.round(part.sale_amount * CREATED_COMMISSION_RATE),
					currency: part.currency ?? 'VND',
				},
				status: 'pending',
				reason: '',
				id: part.id === undefined ? String(index + 1) : String(part.id),
				price: part.price,
				discount: part.discount ?? 0,
				sale_amount: part.sale_amount,
				calculate_by: 'PERCENT',
				calculate_by_id: null,
				category_name: part.category_name ?? null,
				category_id: part.category_id ?? null,
			})),
		};
		this.stored.set(conversion.conversion_id, conversion);
		return {
			status: 200,
			body: {
				status: 'success',
				message: 'Success',
				data: { conversion: structuredClone(conversion) },
			},
		};
	}

	errorReply(status: number, message: string): VendorReply {
		return failure(status, message);
	}

	reset(): void {
		this.stored = indexById(seedConversions());
		this.created = 0;
	}

	/** More conversions, for runs that need many; gone again on reset. */
	add(conversions: SandboxConversion[]): void {
		for (const conversion of conversions)
			this.stored.set(conversion.conversion_id, structuredClone(conversion));
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

interface CreatedPartInput {
	id?: string | number;
	sku: string;
	name?: string;
	url?: string;
	quantity: number;
	price: number;
	discount?: number;
	sale_amount: number;
	currency?: string;
	category_id?: string;
	category_name?: string;
}

const isAmount = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value) && value >= 0;

function isMoney(value: unknown): boolean {
	return isJsonObject(value) && isAmount(value.amount) && typeof value.currency === 'string';
}

/** The first thing wrong with a create body, as the API's message; undefined when valid. */
function findCreateProblem(body: Record<string, unknown>): string | undefined {
	for (const field of ['click_id', 'order_id']) {
		if (typeof body[field] !== 'string' || body[field] === '') return `${field} is required`;
	}
	if (!Number.isInteger(body.action_time)) return 'action_time must be epoch milliseconds';
	for (const field of ['total_sale_amount', 'total_discount']) {
		if (!isMoney(body[field])) return `${field} must be { amount, currency }`;
	}
	const parts = body.conversion_parts;
	if (!Array.isArray(parts) || parts.length === 0)
		return 'conversion_parts must be a non-empty list';
	for (const [index, part] of parts.entries()) {
		const where = `conversion_parts[${index}]`;
		if (!isJsonObject(part) || typeof part.sku !== 'string' || part.sku === '')
			return `${where}.sku is required`;
		if (!Number.isInteger(part.quantity) || (part.quantity as number) < 1)
			return `${where}.quantity must be a whole number of 1 or more`;
		for (const field of ['price', 'sale_amount']) {
			if (!isAmount(part[field])) return `${where}.${field} must be a number of 0 or more`;
		}
		const expected =
			(part.price as number) * (part.quantity as number) -
			((part.discount as number | undefined) ?? 0);
		if (Math.abs(expected - (part.sale_amount as number)) > 0.005) {
			return `${where}.sale_amount must be price × quantity − discount (${expected})`;
		}
	}
	return undefined;
}
