import {
	ACCESSTRADE_TOKEN,
	json,
	runAccessTrade,
	runSalekit,
	SALEKIT_TOKEN,
	useHostileServer,
	everythingShown,
} from './servers';

// The vendor's server, and a stranger on another loopback address that a redirect points at.
const vendor = useHostileServer('127.0.0.1');
const stranger = useHostileServer('127.0.0.2');

function redirectTo(status: number, location: () => string) {
	vendor.handle((_request, res) => {
		res.writeHead(status, { location: location() });
		res.end();
	});
	stranger.handle((_request, res) =>
		json(res, 200, { error: false, msg: 'Thành công', id: 666, status: 'success' }),
	);
}

const movedMessage = (status: number) =>
	`Salekit answered with a redirect (HTTP ${status}) to ${stranger.hostAndPort}; it was not followed and nothing was sent there. Salekit's address may have changed: check the Base URL in the credential`;

describe('a redirect is never followed', () => {
	test.each([301, 302, 303, 307, 308])(
		'HTTP %i on an order create: the other host receives nothing, the create is sent once and the item fails naming the host',
		async (status) => {
			redirectTo(status, () => `${stranger.origin}/x`);

			const run = await runSalekit(vendor);

			expect(stranger.received).toEqual([]);
			expect(vendor.received).toHaveLength(1);
			expect(run.items).toEqual([]);
			expect(run.error?.message).toBe(movedMessage(status));
		},
	);

	test('an AccessTrade status update redirected with 307 sends neither the token nor the body to the other host', async () => {
		redirectTo(307, () => `${stranger.origin}/api/v1/rest/1001/update-conversion-status`);

		const run = await runAccessTrade(vendor, { parameters: undefined });

		expect(stranger.received).toEqual([]);
		// Not retried either: the same redirect would come back.
		expect(vendor.received).toHaveLength(1);
		expect(run.error?.message).toContain(`redirect (HTTP 307) to ${stranger.hostAndPort}`);
		expect(everythingShown(run)).not.toContain(ACCESSTRADE_TOKEN);
	});

	test('the GET form of a status update redirected with 302 is not followed', async () => {
		redirectTo(302, () => `${stranger.origin}/elsewhere`);

		const run = await runAccessTrade(vendor, {
			parameters: {
				resource: 'conversionPart',
				operation: 'updateStatus',
				campaignId: '1001',
				conversionId: 'c1',
				productSku: 'SKU001',
				status: 'rejected',
			},
		});

		expect(stranger.received).toEqual([]);
		expect(run.error?.message).toContain(
			`AccessTrade answered with a redirect (HTTP 302) to ${stranger.hostAndPort}`,
		);
	});

	test('a redirect to another path of the same server is not followed either', async () => {
		redirectTo(308, () => `${vendor.origin}/api/v2/order/create`);

		const run = await runSalekit(vendor);

		expect(vendor.received.map((request) => request.path)).toEqual(['/api/v1/order/create']);
		expect(run.error?.message).toContain(`redirect (HTTP 308) to ${vendor.hostAndPort};`);
	});

	test('the error names the Location host only, never its path or query', async () => {
		redirectTo(307, () => `${stranger.origin}/steal?token=${SALEKIT_TOKEN}&user=shop`);

		const run = await runSalekit(vendor);

		expect(run.error?.message).toBe(movedMessage(307));
		expect(everythingShown(run)).not.toContain('steal');
		expect(everythingShown(run)).not.toContain(SALEKIT_TOKEN);
		expect(stranger.received).toEqual([]);
	});

	test('with Continue On Fail every redirected item gives its own paired error item, and the other host still receives nothing', async () => {
		redirectTo(301, () => `${stranger.origin}/x`);

		const run = await runSalekit(vendor, {
			input: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
			continueOnFail: true,
		});

		expect(run.error).toBeUndefined();
		expect(run.items).toEqual(
			[0, 1, 2].map((item) => ({ json: { error: movedMessage(301) }, pairedItem: { item } })),
		);
		expect(vendor.received).toHaveLength(3);
		expect(stranger.received).toEqual([]);
	});
});
