import type { INodeParameters } from 'n8n-workflow';

import { updateConversionStatuses } from '../helpers/engine';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox();
const conversionReply = {
	status: 'success',
	data: {
		status: 'success',
		data: { conversion_id: 'c', order_id: 'o', conversion_parts: [] },
		message: 'Success',
		code: 0,
	},
};

function updateConversions(count: number, options: INodeParameters) {
	const input = Array.from({ length: count }, (_, index) => ({
		conversionId: `conversion-${index}`,
		reason: 'test',
	}));
	return updateConversionStatuses(
		{ baseUrl: sandbox().accessTradeBaseUrl, accessToken: 'runner-test-token' },
		input,
		options,
	);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('item runner', () => {
	test('never has more requests under way than the concurrency option, and keeps input order', async () => {
		let active = 0;
		let peak = 0;
		sandbox().respondWith(async (request) => {
			active++;
			peak = Math.max(peak, active);
			// Later items answer sooner, so completion order is the reverse of input order.
			const index = Number(
				String((request.body as { conversion_id: string }).conversion_id).split('-')[1],
			);
			await sleep(40 - index);
			active--;
			return {
				body: {
					...conversionReply,
					data: { ...conversionReply.data, data: { conversion_id: `conversion-${index}` } },
				},
			};
		});

		const { items, error } = await updateConversions(30, { concurrency: 4 });

		expect(error).toBeUndefined();
		expect(peak).toBe(4);
		expect(items.map((item) => item.json.conversion_id)).toEqual(
			Array.from({ length: 30 }, (_, index) => `conversion-${index}`),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 30 }, (_, item) => ({ item })),
		);
	});

	test('the throttle starts at most N requests per interval', async () => {
		const arrivals: number[] = [];
		sandbox().respondWith(() => {
			arrivals.push(Date.now());
			return { body: conversionReply };
		});

		const started = Date.now();
		await updateConversions(25, { concurrency: 25, requestsPerInterval: 10, intervalMs: 300 });

		// A request arrives after it starts, so these bounds hold however late the machine delivers:
		// 10 per 300 ms means at most 10 arrivals in the first 300 ms, 20 in the first 600 ms.
		expect(arrivals).toHaveLength(25);
		expect(arrivals.filter((at) => at - started < 300).length).toBeLessThanOrEqual(10);
		expect(arrivals.filter((at) => at - started < 600).length).toBeLessThanOrEqual(20);
		expect(Math.max(...arrivals) - started).toBeGreaterThanOrEqual(600);
	});

	test('a slow reply past the timeout fails the attempt and is retried for idempotent updates', async () => {
		let calls = 0;
		sandbox().respondWith(async () => {
			calls++;
			if (calls === 1) await sleep(400);
			return { body: conversionReply };
		});

		const { error, items } = await updateConversions(1, { timeout: 100, maxRetries: 1 });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(calls).toBe(2);
	});
});
