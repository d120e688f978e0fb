import {
	createServer,
	type IncomingHttpHeaders,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** The raw body text. */
	body: string;
	/** When it arrived (Date.now()). */
	at: number;
}

export type Handler = (request: Received, res: ServerResponse) => void | Promise<void>;

/**
 * A real HTTP server on a loopback address whose handler owns the socket: it can answer,
 * redirect, cut the reply, stall or trickle it. It records everything it receives.
 */
export class HostileServer {
	readonly received: Received[] = [];
	private server?: Server;
	private handler: Handler = (_request, res) => json(res, 200, {});

	constructor(readonly host = '127.0.0.1') {}

	get origin(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://${this.host}:${port}`;
	}

	get hostAndPort(): string {
		return this.origin.slice('http://'.length);
	}

	handle(handler: Handler): void {
		this.handler = handler;
	}

	reset(): void {
		this.received.length = 0;
		this.handler = (_request, res) => json(res, 200, {});
		this.server?.closeAllConnections();
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://x');
				const request: Received = {
					method: req.method ?? '',
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					headers: req.headers,
					body: Buffer.concat(chunks).toString('utf8'),
					at: Date.now(),
				};
				this.received.push(request);
				void this.handler(request, res);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, this.host, resolve));
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}
}

export function useHostileServer(host = '127.0.0.1'): HostileServer {
	const server = new HostileServer(host);
	beforeAll(() => server.start());
	afterAll(() => server.stop());
	beforeEach(() => server.reset());
	return server;
}

export function json(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}

/** Writes `text` one character at a time, `everyMs` apart, then ends (or never ends, with `forever`). */
export function trickle(res: ServerResponse, text: string, everyMs: number, forever = false): void {
	res.writeHead(200, { 'content-type': 'application/json' });
	let position = 0;
	const timer = setInterval(() => {
		if (res.destroyed) return clearInterval(timer);
		if (position < text.length) res.write(text[position++]);
		else if (forever) res.write(' ');
		else {
			clearInterval(timer);
			res.end();
		}
	}, everyMs);
	res.on('close', () => clearInterval(timer));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
