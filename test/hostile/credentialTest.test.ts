import { testCredential } from '../helpers/credentialTest';
import {
	ACCESSTRADE_TOKEN,
	json,
	SALEKIT_TOKEN,
	useHostileServer,
	type HostileServer,
} from './servers';

// The vendor's server, and a stranger on another address that a redirect or a Base URL names.
// 127.0.0.2 stands for any other host: only localhost, 127.0.0.1 and [::1] may be reached over http.
const vendor = useHostileServer('127.0.0.1');
const stranger = useHostileServer('127.0.0.2');

const salekit = (server: HostileServer, token = SALEKIT_TOKEN) =>
	testCredential('salekitApi', { token, baseUrl: `${server.origin}/api/v1` });
const accessTrade = (server: HostileServer) =>
	testCredential('accessTradeApi', {
		accessToken: ACCESSTRADE_TOKEN,
		baseUrl: server.origin,
		campaignId: '1001',
	});

/** AccessTrade's answer to the Test's probe: no conversion has its id. */
const conversionNotFound = {
	status: 'success',
	data: { status: 'error', data: null, message: 'Conversion not found', code: 404 },
};

/**
 * n8n up to 2.8 loses the response of a failed Test request (see test/e2e/package-in-n8n.ts), so
 * it shows its own text instead of the credential's redirect rule; later n8n shows the rule's.
 */
const redirectVerdict = (vendorName: string, status: number) =>
	expect.stringMatching(
		new RegExp(
			`^(Request failed with status code ${status}|${vendorName} answered with a redirect \\(HTTP ${status}\\); it was not followed)`,
		),
	);

function redirectToStranger(status: number) {
	vendor.handle((_request, res) => {
		res.writeHead(status, { location: `${stranger.origin}/wordpress/verify` });
		res.end();
	});
	stranger.handle((_request, res) => json(res, 200, conversionNotFound));
}

describe("a credential's Test never hands its token to another host", () => {
	test.each([301, 302, 307, 308])(
		'Salekit: a redirect (HTTP %i) is not followed and the Test fails',
		async (status) => {
			redirectToStranger(status);

			const verdict = await salekit(vendor);

			expect(stranger.received).toEqual([]);
			expect(vendor.received.map(({ path, headers }) => [path, headers.token])).toEqual([
				['/wordpress/verify', SALEKIT_TOKEN],
			]);
			expect(verdict).toEqual({ status: 'Error', message: redirectVerdict('Salekit', status) });
		},
	);

	test('AccessTrade: a redirect (HTTP 307, which would resend the body) is not followed and the Test fails', async () => {
		redirectToStranger(307);

		const verdict = await accessTrade(vendor);

		expect(stranger.received).toEqual([]);
		expect(vendor.received).toHaveLength(1);
		expect(verdict).toEqual({ status: 'Error', message: redirectVerdict('AccessTrade', 307) });
	});

	test.each([
		['Salekit', () => salekit(stranger)],
		['AccessTrade', () => accessTrade(stranger)],
	])(
		'%s: a plain-http Base URL on another host gets nothing, and the Test says why',
		async (vendorName, run) => {
			stranger.handle((_request, res) => json(res, 200, conversionNotFound));

			const verdict = await run();

			expect(stranger.received).toEqual([]);
			expect(verdict).toEqual({
				status: 'Error',
				message: `The ${vendorName} credential's Base URL must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]), got http://${stranger.hostAndPort}`,
			});
		},
	);

	test('a plain-http Base URL on this machine is still tested (the local sandbox)', async () => {
		vendor.handle((_request, res) => json(res, 200, { error: false, msg: 'OK' }));

		expect(await salekit(vendor)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(vendor.received).toHaveLength(1);
	});
});

describe('AccessTrade\'s Test passes only on its probe\'s "Conversion not found"', () => {
	test('"Conversion not found" inside HTTP 200: the token passed the check, the Test succeeds', async () => {
		vendor.handle((_request, res) => json(res, 200, conversionNotFound));

		expect(await accessTrade(vendor)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(
			vendor.received.map(({ path, headers }) => [path, headers['x-at-user-access-token']]),
		).toEqual([['/api/v1/rest/1001/update-conversion-status', ACCESSTRADE_TOKEN]]);
	});

	test.each([
		[
			'an outer error',
			{ status: 'error', message: 'Token expired' },
			'refused the request (status "error" inside HTTP 200): check the Campaign ID and the token',
		],
		[
			'a token code',
			{
				status: 'success',
				data: { status: 'error', data: null, message: 'Unauthorized', code: 401 },
			},
			'rejected this token (code 401 inside HTTP 200): check the Campaign Access Token',
		],
		[
			'an inner success',
			{
				status: 'success',
				data: { status: 'success', data: null, message: 'Conversion part not found', code: 1 },
			},
			'answered the probe for a conversion that cannot exist with a success: check the Base URL',
		],
		['no envelope', { ok: true }, 'did not answer like its conversion API: check the Base URL'],
		[
			'an outer envelope only',
			{ status: 'success' },
			'answered without the inner envelope the Test expects: check the Base URL',
		],
		[
			'a web page',
			'<html>Welcome</html>',
			'did not answer like its conversion API: check the Base URL',
		],
	])('%s inside HTTP 200 fails the Test', async (_shape, reply, problem) => {
		vendor.handle((_request, res) => {
			if (typeof reply !== 'string') return json(res, 200, reply);
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end(reply);
		});

		expect(await accessTrade(vendor)).toEqual({
			status: 'Error',
			message: `AccessTrade ${problem}. The Test counts only AccessTrade's "Conversion not found" for its probe as success (assumed: ScaleF documents no reply for an unknown conversion); run any AccessTrade operation with this credential to see AccessTrade's own message.`,
		});
	});
});
