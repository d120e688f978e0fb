import { MAY_HAVE_BEEN_CREATED_AT } from '../helpers/engine';
import {
	everythingShown,
	json,
	runAccessTrade,
	runSalekit,
	SALEKIT_TOKEN,
	useHostileServer,
} from './servers';

const vendor = useHostileServer();

describe('credential values as pasted', () => {
	test('a token pasted with a trailing line break is sent trimmed, and the order goes through', async () => {
		vendor.handle((_request, res) => json(res, 200, { error: false, msg: 'OK', id: 42 }));

		const run = await runSalekit(vendor, { token: `${SALEKIT_TOKEN}\n` });

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual([42]);
		expect(vendor.received.map((request) => request.headers.token)).toEqual([SALEKIT_TOKEN]);
	});

	test('an empty token fails before anything is sent', async () => {
		const run = await runSalekit(vendor, { token: '   ' });

		expect(run.error?.message).toBe(
			"The Salekit credential's token is empty: enter it in the credential",
		);
		expect(vendor.received).toEqual([]);
	});

	test('a line break inside a token is named, instead of "Could not reach"', async () => {
		const run = await runAccessTrade(vendor, { token: 'abcd\nefgh' });

		expect(run.error?.message).toBe(
			"The AccessTrade credential's token contains a character that cannot be sent in a header (U+000A at position 5): paste it again",
		);
		expect(vendor.received).toEqual([]);
	});

	test('an invalid Base URL error shows the host only, never what else was typed', async () => {
		const run = await runSalekit(vendor, {
			baseUrl: `https://salekit.com:99999/api?token=${SALEKIT_TOKEN}`,
		});

		expect(run.error?.message).toBe(
			"The Salekit credential's Base URL is not a valid URL (host salekit.com): it must look like https://host/path",
		);
		expect(everythingShown(run)).not.toContain(SALEKIT_TOKEN);
	});
});

/** Each echo of the token comes back in Salekit's `msg` (an error) and in a success reply (output). */
describe('a token echoed back is redacted in every form', () => {
	const echoes: Array<[string, string, (token: string) => string]> = [
		[
			'a token with a quote and a backslash, echoed as is',
			'tok"en\\with-quote-7f3a',
			(token) => token,
		],
		[
			'a token echoed form-encoded',
			'my shop token/+9',
			(token) => new URLSearchParams({ t: token }).toString().slice(2),
		],
		[
			'a token echoed percent-encoded in lower case',
			'tok/en?&=9f',
			(token) => encodeURIComponent(token).toLowerCase(),
		],
		[
			'a token echoed in base64',
			'salekit-secret-4a1b',
			(token) => Buffer.from(token).toString('base64'),
		],
		[
			'a token echoed inside a longer base64 value',
			'salekit-secret-4a1b',
			(token) => Buffer.from(`Token: ${token};`).toString('base64'),
		],
	];

	test.each(echoes)('%s: the output does not carry it', async (_case, token, encode) => {
		vendor.handle((_request, res) =>
			json(res, 200, { error: false, id: 7, debug: `auth=${encode(token)}` }),
		);

		const run = await runSalekit(vendor, { token });

		expect(run.error).toBeUndefined();
		expect(run.items[0].json.debug).toContain('[redacted]');
		expect(everythingShown(run)).not.toContain(encode(token));
	});

	test.each(echoes.slice(1))('%s: the error does not carry it', async (_case, token, encode) => {
		vendor.handle((_request, res) =>
			json(res, 400, { error: true, msg: `bad token ${encode(token)}` }),
		);

		const run = await runSalekit(vendor, { token });

		expect(run.error?.message).toMatch(/^bad token \S*\[redacted\]/);
		expect(everythingShown(run)).not.toContain(encode(token));
	});

	test('a token with a quote and a backslash in a reply that is not an object: the error carries it in no form', async () => {
		const token = 'tok"en\\with-quote-7f3a';
		vendor.handle((_request, res) => json(res, 200, ['unauthorized', token]));

		const run = await runSalekit(vendor, { token });

		// Issue 16: a 2xx that does not say what happened may have created the order.
		expect(run.error?.message).toBe(
			'Salekit returned an unexpected reply: ["unauthorized","[redacted]"] (HTTP 200)' +
				MAY_HAVE_BEEN_CREATED_AT('Salekit'),
		);
		expect(everythingShown(run)).not.toContain('with-quote-7f3a');
	});

	test('a token straddling the 120-character cut of a non-JSON reply leaks no part of it', async () => {
		const page = `<html>${'x'.repeat(105)}${SALEKIT_TOKEN}${'y'.repeat(200)}</html>`;
		vendor.handle((_request, res) => {
			res.writeHead(502, { 'content-type': 'text/html' });
			res.end(page);
		});

		const run = await runSalekit(vendor);

		expect(run.error?.message).toMatch(/^Salekit returned an unexpected reply: <html>x+\[redact/);
		expect(everythingShown(run)).not.toContain(SALEKIT_TOKEN.slice(0, 8));
	});

	test('a numeric token echoed as a number is redacted, and does not break the run', async () => {
		vendor.handle((_request, res) =>
			json(res, 200, { error: false, id: 9, shop: { token: 123456 } }),
		);

		const run = await runSalekit(vendor, { token: 123456, input: [{}, {}] });

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.shop)).toEqual([
			{ token: '[redacted]' },
			{ token: '[redacted]' },
		]);
	});
});
