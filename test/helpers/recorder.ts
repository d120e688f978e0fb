import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
	body: unknown;
}

export interface Reply {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Destroy the socket instead of answering. */
	drop?: boolean;
}

export type Responder = (request: RecordedRequest, res: ServerResponse) => Reply | Promise<Reply>;

/** A real HTTP server on 127.0.0.1 that records every request it receives and answers as told. */
export class RecordingServer {
	readonly requests: RecordedRequest[] = [];
	private server?: Server;
	private responder: Responder = () => ({ status: 200, body: {} });

	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	respondWith(responder: Responder): void {
		this.responder = responder;
	}

	reset(): void {
		this.requests.length = 0;
		this.responder = () => ({ status: 200, body: {} });
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', async () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const text = Buffer.concat(chunks).toString('utf8');
				let body: unknown = text === '' ? undefined : text;
				try {
					if (text !== '') body = JSON.parse(text);
				} catch {
					// keep the raw text: the test will show what arrived
				}
				const recorded: RecordedRequest = {
					method: req.method ?? '',
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					headers: req.headers,
					body,
				};
				this.requests.push(recorded);
				const reply = await this.responder(recorded, res);
				if (reply.drop) {
					req.socket.destroy();
					return;
				}
				const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
				res.writeHead(reply.status ?? 200, {
					'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json',
					...reply.headers,
				});
				res.end(payload);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
	}
}

/** A recording server for one test file: started once, emptied before each test. */
export function useRecordingServer(): RecordingServer {
	const server = new RecordingServer();
	beforeAll(() => server.start());
	afterAll(() => server.stop());
	beforeEach(() => server.reset());
	return server;
}
