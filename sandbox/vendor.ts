import type { IncomingHttpHeaders } from 'node:http';

export type VendorName = 'salekit' | 'accessTrade';

/** One request as a simulated vendor sees it: HTTP already read and parsed by the server. */
export interface VendorRequest {
	method: string;
	/** Path below the vendor's mount point, trailing slashes removed: "/api/v1/order/create". */
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
	body: unknown;
}

export interface VendorReply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/**
 * A vendor's behaviour without any HTTP: the server owns sockets, latency and faults, so each
 * simulator is only "request in, reply out" over its own in-memory state.
 */
export interface VendorSimulator {
	readonly name: VendorName;
	handle(request: VendorRequest): VendorReply;
	/** An HTTP error in the vendor's own error envelope, for injected faults. */
	errorReply(status: number, message: string): VendorReply;
	/** Back to the state the sandbox started with. */
	reset(): void;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
