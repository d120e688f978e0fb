/**
 * The checks every loading mode must pass, in one real n8n instance: the runs happen once in
 * beforeAll (each n8n start costs seconds) and the tests read what they produced.
 */
import {
	SANDBOX_CAMPAIGN_ID,
	SANDBOX_TOKENS,
	type LoggedRequest,
	type Sandbox,
	type SandboxConversion,
	type SandboxOrder,
	type SandboxRecord,
} from '../../sandbox/server';
import { SANDBOX_CREDENTIALS, sandboxCredentials, startExampleStack } from '../harness/examples';
import { Cleanup } from '../harness/lifecycle';
import {
	ensureN8nHost,
	selectedHostSpec,
	outputItems,
	type CredentialFile,
	type Execution,
	type N8nInstance,
	type PackageLoading,
} from '../harness/n8n-host';
import {
	conversionsOf,
	runExampleScenario,
	salekitOrdersOf,
	scenarioProblems,
	shopOrderIdOf,
	type Delivery,
	type ScenarioRun,
} from '../harness/scenario';
import { HostileServer, json, type Received } from '../helpers/hostileServer';
import {
	ADVERTISER_CREDENTIAL,
	ADVERTISER_USER,
	apiErrorWorkflow,
	CONVERSIONS,
	everyOperationWorkflow,
	newOperationsWorkflow,
	PART_SKU,
	PRODUCT_PHOTO,
	SAMPLE_ORDER_SALEKIT_BODY,
	UNKNOWN_ORDER_ID,
} from './workflows';

interface RecordedRun {
	execution: Execution;
	/** What the sandbox received during this run only. */
	requests: LoggedRequest[];
	/** The sandbox's state right after this run, before later runs change it. */
	ordersAfter: SandboxOrder[];
	conversionsAfter: SandboxConversion[];
}

interface TypeDescription {
	name: string;
	iconUrl?: { light: string; dark: string };
	credentials?: Array<{ name: string }>;
}

interface EditorView {
	/** What n8n tells the editor about installing unverified community packages. */
	unverifiedPackagesEnabled: unknown;
	nodeTypes: TypeDescription[];
	credentialTypes: TypeDescription[];
	/** Every icon URL the descriptions name, with what the editor served for it. */
	icons: Map<string, { status: number; contentType: string; body: string }>;
}

async function recordRun(
	instance: N8nInstance,
	sandbox: Sandbox,
	workflowId: string,
): Promise<RecordedRun> {
	const from = sandbox.log.length;
	const execution = await instance.execute(workflowId);
	return {
		execution,
		requests: sandbox.log.slice(from),
		ordersAfter: sandbox.orders(),
		conversionsAfter: sandbox.conversions(),
	};
}

/** Up to n8n 2.x the editor's settings carry the flag; later its community-packages module does. */
async function unverifiedPackagesSetting(
	get: (path: string) => Promise<Response>,
): Promise<unknown> {
	for (const path of ['rest/settings', 'rest/module-settings']) {
		const response = await get(path);
		if (!response.ok) continue;
		const text = await response.text();
		const found = /"unverifiedCommunityNodesEnabled":(true|false)/.exec(text);
		if (found) return found[1] === 'true';
	}
	return undefined;
}

/** What a user's browser gets: the type lists, and the icons they name. */
async function viewTypes(editorUrl: string, cookie: string, prefix: string): Promise<EditorView> {
	const get = (path: string) => fetch(`${editorUrl}/${path}`, { headers: { cookie } });
	const ours = (types: TypeDescription[]) =>
		types.filter(
			({ name }) => name.startsWith(prefix) || name === 'salekitApi' || name === 'accessTradeApi',
		);
	const nodeTypes = ours((await (await get('types/nodes.json')).json()) as TypeDescription[]);
	const credentialTypes = ours(
		(await (await get('types/credentials.json')).json()) as TypeDescription[],
	);
	const icons: EditorView['icons'] = new Map();
	for (const { iconUrl } of [...nodeTypes, ...credentialTypes]) {
		for (const url of iconUrl ? [iconUrl.light, iconUrl.dark] : []) {
			const response = await get(url);
			const contentType = response.headers.get('content-type') ?? '';
			icons.set(url, { status: response.status, contentType, body: await response.text() });
		}
	}
	return {
		unverifiedPackagesEnabled: await unverifiedPackagesSetting(get),
		nodeTypes,
		credentialTypes,
		icons,
	};
}

/**
 * For the Test button's hostile cases: `vendor` (127.0.0.1) redirects every request to
 * `stranger`, except under /envelope, where it answers an AccessTrade error inside HTTP 200;
 * `stranger` (127.0.0.2, plain http, so not a host the token may reach) answers like AccessTrade.
 */
interface HostileHosts {
	vendor: HostileServer;
	stranger: HostileServer;
}

async function startHostileHosts(): Promise<HostileHosts> {
	const vendor = new HostileServer('127.0.0.1');
	const stranger = new HostileServer('127.0.0.2');
	await Promise.all([vendor.start(), stranger.start()]);
	vendor.handle((request, res) => {
		if (request.path.startsWith('/envelope/'))
			return json(res, 200, { status: 'error', message: 'Token expired' });
		res.writeHead(307, { location: `${stranger.origin}${request.path}` });
		res.end();
	});
	stranger.handle((_request, res) =>
		json(res, 200, {
			status: 'success',
			data: { status: 'error', data: null, message: 'Conversion not found', code: 404 },
		}),
	);
	return { vendor, stranger };
}

/** Stored credentials beside the good sandbox ones, for the Test button's other verdicts. */
/** The sandbox AccessTrade credential, with the advertiser status API's user headers. */
function advertiserCredential(sandbox: Sandbox): CredentialFile {
	const [, accessTrade] = sandboxCredentials(sandbox);
	return {
		...accessTrade,
		...ADVERTISER_CREDENTIAL,
		data: { ...accessTrade.data, ...ADVERTISER_USER },
	};
}

function credentialsToReject(sandbox: Sandbox, hostile: HostileHosts): CredentialFile[] {
	const [salekit, accessTrade] = sandboxCredentials(sandbox);
	const accessTradeAt = (id: string, name: string, baseUrl: string): CredentialFile => ({
		...accessTrade,
		id,
		name,
		data: { ...accessTrade.data, baseUrl },
	});
	return [
		{
			...salekit,
			id: 'salekitBadToken',
			name: 'Salekit bad token',
			data: { ...salekit.data, token: 'not-a-shop-token' },
		},
		{
			...accessTrade,
			id: 'accessTradeBadToken',
			name: 'AccessTrade bad token',
			data: { ...accessTrade.data, accessToken: 'not-a-campaign-token' },
		},
		{
			...accessTrade,
			id: 'accessTradeNoCampaign',
			name: 'AccessTrade without campaign',
			data: { ...accessTrade.data, campaignId: '' },
		},
		{
			...salekit,
			id: 'salekitRedirected',
			name: 'Salekit redirected',
			data: { ...salekit.data, baseUrl: `${hostile.vendor.origin}/api/v1` },
		},
		accessTradeAt(
			'accessTradeRedirected',
			'AccessTrade redirected',
			`${hostile.vendor.origin}/moved`,
		),
		accessTradeAt(
			'accessTradeEnvelope',
			'AccessTrade error in HTTP 200',
			`${hostile.vendor.origin}/envelope`,
		),
		accessTradeAt(
			'accessTradeCleartext',
			'AccessTrade over http to another host',
			hostile.stranger.origin,
		),
	];
}

interface CredentialTest {
	verdict: { status: string; message: string };
	/** What the sandbox received during this test only. */
	requests: LoggedRequest[];
	/** What the hostile hosts received during this test only. */
	hostileRequests: { vendor: Received[]; stranger: Received[] };
	/** Whether orders and conversions were the same after the test as before it. */
	changedNothing: boolean;
}

/**
 * What the editor does when a user opens a stored credential and clicks Test: it loads the
 * credential (secrets come back redacted) and posts it back to be tested; n8n fills the
 * secrets in from the stored copy by its id.
 */
async function clickTest(
	editorUrl: string,
	cookie: string,
	sandbox: Sandbox,
	hostile: HostileHosts,
	id: string,
): Promise<CredentialTest> {
	const stateBefore = JSON.stringify([sandbox.orders(), sandbox.conversions()]);
	const from = sandbox.log.length;
	const hostileFrom = {
		vendor: hostile.vendor.received.length,
		stranger: hostile.stranger.received.length,
	};
	const opened = await fetch(`${editorUrl}/rest/credentials/${id}?includeData=true`, {
		headers: { cookie },
	});
	if (!opened.ok)
		throw new Error(
			`Opening credential ${id} answered HTTP ${opened.status}: ${await opened.text()}`,
		);
	const { name, type, data } = ((await opened.json()) as { data: CredentialFile }).data;
	const tested = await fetch(`${editorUrl}/rest/credentials/test`, {
		method: 'POST',
		headers: { cookie, 'Content-Type': 'application/json' },
		body: JSON.stringify({ credentials: { id, name, type, data } }),
	});
	if (!tested.ok)
		throw new Error(
			`Testing credential ${id} answered HTTP ${tested.status}: ${await tested.text()}`,
		);
	return {
		verdict: ((await tested.json()) as { data: CredentialTest['verdict'] }).data,
		requests: sandbox.log.slice(from),
		hostileRequests: {
			vendor: hostile.vendor.received.slice(hostileFrom.vendor),
			stranger: hostile.stranger.received.slice(hostileFrom.stranger),
		},
		changedNothing: JSON.stringify([sandbox.orders(), sandbox.conversions()]) === stateBefore,
	};
}

function requestsTo(run: RecordedRun, method: string, path: string): LoggedRequest[] {
	return run.requests.filter((request) => request.method === method && request.path === path);
}

function jsonOf(run: RecordedRun, nodeName: string): Array<Record<string, unknown>> {
	return outputItems(run.execution, nodeName).map((item) => item.json);
}

function partStatuses(run: RecordedRun, conversionId: string): Record<string, string> {
	const conversion = run.conversionsAfter.find(
		(candidate) => candidate.conversion_id === conversionId,
	);
	return Object.fromEntries(
		(conversion?.conversion_parts ?? []).map((part) => [part.sku, part.status]),
	);
}

const SALEKIT = '/salekit/api/v1';
const ACCESS_TRADE = '/accesstrade';
const CONVERSION_POST_PATH = `${ACCESS_TRADE}/api/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`;
const CONVERSION_GET_PATH = `${ACCESS_TRADE}/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`;
const PART_PATH = `${ACCESS_TRADE}/api/v1/${SANDBOX_CAMPAIGN_ID}/update-conversion-part-status`;

/**
 * Up to n8n 2.8 (measured: 1.123.81, 2.8.4) the credential tester loses the HTTP response of a
 * failed test request (n8n's error class drops a cause that is an Error), so a credential's
 * `responseCode` rules never apply and n8n shows its own text for the status; 2.40.7 shows the
 * rule's message.
 */
const N8N_OWN_STATUS_TEXT: Record<number, string> = {
	401: 'Authorization failed - please check your credentials',
	404: 'The resource you are requesting could not be found',
};

function httpErrorMessage(status: number, ruleMessage: string) {
	const [major, minor] = selectedHostSpec().n8n.split('.').map(Number);
	const rulesApply = major > 2 || (major === 2 && minor > 8);
	return rulesApply ? expect.stringContaining(ruleMessage) : N8N_OWN_STATUS_TEXT[status];
}

export interface PackageRunOptions {
	/** Also publish the examples and run their scenario through the started n8n. */
	alsoRunExamples?: boolean;
	/** n8n environment variables for this run's instance. */
	settings?: NodeJS.ProcessEnv;
}

export function describePackageInN8n(
	loading: PackageLoading,
	{ alsoRunExamples = false, settings }: PackageRunOptions = {},
): void {
	describe(`n8n ${selectedHostSpec().n8n} with the package loaded as ${loading}`, () => {
		const cleanup = new Cleanup();
		let sandbox: Sandbox;
		let hostile: HostileHosts;
		let instance: N8nInstance;
		let everyOperation: RecordedRun;
		let apiError: RecordedRun;
		let newOperations: RecordedRun & { products: SandboxRecord[]; combos: SandboxRecord[] };
		let editorView: EditorView;
		const credentialTests = new Map<string, CredentialTest>();
		let scenario: ScenarioRun;

		beforeAll(async () => {
			const host = await ensureN8nHost(selectedHostSpec());
			// The examples keep ids in an n8n data table, which `n8n execute` cannot open: the suite's
			// own workflows run before n8n starts, the examples in the started n8n.
			hostile = await startHostileHosts();
			const stack = await startExampleStack(host, cleanup, {
				loading,
				settings,
				examples: alsoRunExamples,
				moreWorkflows: [everyOperationWorkflow, apiErrorWorkflow, newOperationsWorkflow],
				moreCredentials: (sandboxOfRun) => [
					...credentialsToReject(sandboxOfRun, hostile),
					advertiserCredential(sandboxOfRun),
				],
				beforeStart: async (stopped, sandboxOfRun) => {
					everyOperation = await recordRun(stopped, sandboxOfRun, everyOperationWorkflow.id);
					apiError = await recordRun(stopped, sandboxOfRun, apiErrorWorkflow.id);
					const newRun = await recordRun(stopped, sandboxOfRun, newOperationsWorkflow.id);
					newOperations = {
						...newRun,
						products: sandboxOfRun.products(),
						combos: sandboxOfRun.combos(),
					};
				},
			});
			({ sandbox, instance } = stack);
			const { editor, cookie } = stack;
			editorView = await viewTypes(editor.url, cookie, instance.nodeTypePrefix);
			const credentialIds = [
				...Object.values(SANDBOX_CREDENTIALS).map(({ id }) => id),
				...credentialsToReject(sandbox, hostile).map(({ id }) => id),
			];
			for (const id of credentialIds)
				credentialTests.set(id, await clickTest(editor.url, cookie, sandbox, hostile, id));
			if (alsoRunExamples) scenario = await runExampleScenario(stack);
		}, 900_000);

		afterAll(async () => {
			await cleanup.run();
			await Promise.all([hostile?.vendor.stop(), hostile?.stranger.stop()]);
		});

		describe('types and icons', () => {
			test('n8n knows both node types and both credential types, each node with its credential', () => {
				const nodes = Object.fromEntries(editorView.nodeTypes.map((type) => [type.name, type]));
				const credentialNames = (nodeType: string) =>
					nodes[nodeType]?.credentials?.map(({ name }) => name);
				expect(credentialNames(`${instance.nodeTypePrefix}salekit`)).toEqual(['salekitApi']);
				expect(credentialNames(`${instance.nodeTypePrefix}accessTrade`)).toEqual([
					'accessTradeApi',
				]);
				// supportedNodes is not compared: n8n 2.8.4 fills it in for packages only, not for custom extensions.
				expect(editorView.credentialTypes.map(({ name }) => name).sort()).toEqual([
					'accessTradeApi',
					'salekitApi',
				]);
			});

			test('the unverified-packages setting is what this run set, and both nodes load anyway', () => {
				const expected = settings?.N8N_UNVERIFIED_PACKAGES_ENABLED;
				if (expected !== undefined)
					expect(editorView.unverifiedPackagesEnabled).toBe(expected === 'true');
				expect(editorView.nodeTypes.map(({ name }) => name)).toEqual(
					expect.arrayContaining([
						`${instance.nodeTypePrefix}accessTrade`,
						`${instance.nodeTypePrefix}salekit`,
					]),
				);
			});

			test('every icon the node and credential descriptions name is served as an SVG', () => {
				const described = [...editorView.nodeTypes, ...editorView.credentialTypes];
				expect(described.every((type) => type.iconUrl !== undefined)).toBe(true);
				expect(editorView.icons.size).toBeGreaterThanOrEqual(4);
				for (const [url, icon] of editorView.icons) {
					expect({ url, status: icon.status, contentType: icon.contentType }).toEqual({
						url,
						status: 200,
						contentType: expect.stringContaining('image/svg+xml'),
					});
					expect(icon.body).toContain('<svg');
				}
			});
		});

		describe("the credentials' Test button", () => {
			const tested = (id: string): CredentialTest => {
				const result = credentialTests.get(id);
				if (!result) throw new Error(`Credential ${id} was not tested`);
				return result;
			};

			test('Salekit: the shop token check on the site root, with the token header, changing nothing', () => {
				const good = tested(SANDBOX_CREDENTIALS.salekitApi.id);
				expect(good.verdict).toEqual({ status: 'OK', message: 'Connection successful!' });
				expect(good.requests).toHaveLength(1);
				expect(good.requests[0]).toMatchObject({
					method: 'POST',
					path: '/wordpress/verify',
					body: {},
					status: 200,
				});
				expect(good.requests[0].headers.token).toBe(SANDBOX_TOKENS.salekit);
				expect(good.requests[0].headers['content-type']).toMatch(/^application\/json/);
				expect(good.changedNothing).toBe(true);
			});

			test('Salekit: a rejected token says so', () => {
				const bad = tested('salekitBadToken');
				expect(bad.verdict).toEqual({
					status: 'Error',
					message: expect.stringContaining('Salekit rejected this shop token'),
				});
				expect(bad.requests.map(({ path, headers }) => [path, headers.token])).toEqual([
					['/wordpress/verify', 'not-a-shop-token'],
				]);
				expect(bad.changedNothing).toBe(true);
			});

			test('AccessTrade: a status update for a conversion no one has, on the campaign path, changing nothing', () => {
				const good = tested(SANDBOX_CREDENTIALS.accessTradeApi.id);
				expect(good.verdict).toEqual({ status: 'OK', message: 'Connection successful!' });
				expect(good.requests).toHaveLength(1);
				expect(good.requests[0]).toMatchObject({
					method: 'POST',
					path: CONVERSION_POST_PATH,
					body: {
						conversion_id: CONVERSIONS.unknown,
						status: 'rejected',
						reason: 'n8n credential test',
					},
					status: 200,
				});
				expect(good.requests[0].headers['x-at-user-access-token']).toBe(SANDBOX_TOKENS.accessTrade);
				expect(good.changedNothing).toBe(true);
			});

			test('AccessTrade: a rejected token, and a missing campaign id, each say so', () => {
				const bad = tested('accessTradeBadToken');
				expect(bad.verdict).toEqual({
					status: 'Error',
					message: httpErrorMessage(401, 'AccessTrade rejected this token'),
				});
				// n8n itself sends a request answered 401 once more before it gives up.
				expect(bad.requests.length).toBeGreaterThanOrEqual(1);
				for (const request of bad.requests) {
					expect([request.path, request.headers['x-at-user-access-token'], request.status]).toEqual(
						[CONVERSION_POST_PATH, 'not-a-campaign-token', 401],
					);
				}
				const noCampaign = tested('accessTradeNoCampaign');
				expect(noCampaign.verdict).toEqual({
					status: 'Error',
					message: httpErrorMessage(404, 'set Campaign ID'),
				});
				expect(noCampaign.requests.map(({ path, status }) => [path, status])).toEqual([
					[`${ACCESS_TRADE}/api/v1/rest//update-conversion-status`, 404],
				]);
				expect(bad.changedNothing && noCampaign.changedNothing).toBe(true);
			});

			test('no verdict shows a token', () => {
				for (const { verdict } of credentialTests.values()) {
					for (const token of Object.values(SANDBOX_TOKENS))
						expect(verdict.message).not.toContain(token);
				}
				expect(credentialTests.size).toBe(9);
			});

			test('a redirect is not followed: the host it names receives nothing, and the Test fails', () => {
				for (const [id, vendorName, tokenHeader] of [
					['salekitRedirected', 'Salekit', 'token'],
					['accessTradeRedirected', 'AccessTrade', 'x-at-user-access-token'],
				]) {
					const redirected = tested(id);
					expect(redirected.hostileRequests.stranger).toEqual([]);
					expect(redirected.hostileRequests.vendor).toHaveLength(1);
					expect(redirected.hostileRequests.vendor[0].headers[tokenHeader]).toBeDefined();
					// Up to n8n 2.8 the tester shows its own text for the status (see N8N_OWN_STATUS_TEXT).
					expect(redirected.verdict).toEqual({
						status: 'Error',
						message: expect.stringMatching(
							new RegExp(
								`^(Request failed with status code 307|${vendorName} answered with a redirect \\(HTTP 307\\))`,
							),
						),
					});
				}
			});

			test('a plain-http Base URL on another host receives nothing, and the Test says why', () => {
				const cleartext = tested('accessTradeCleartext');
				expect(cleartext.hostileRequests.stranger).toEqual([]);
				expect(cleartext.verdict).toEqual({
					status: 'Error',
					message: expect.stringContaining(
						"The AccessTrade credential's Base URL must start with https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1])",
					),
				});
			});

			test('AccessTrade: an error envelope inside HTTP 200 fails the Test', () => {
				const envelope = tested('accessTradeEnvelope');
				expect(envelope.hostileRequests.vendor.map(({ path }) => path)).toEqual([
					`/envelope/api/v1/rest/${SANDBOX_CAMPAIGN_ID}/update-conversion-status`,
				]);
				expect(envelope.verdict).toEqual({
					status: 'Error',
					message: expect.stringContaining(
						'AccessTrade refused the request (status "error" inside HTTP 200)',
					),
				});
			});
		});

		describe('every operation against the sandbox, in one run', () => {
			test('the run succeeds', () => {
				expect(everyOperation.execution.error).toBeUndefined();
				expect(everyOperation.execution.ok).toBe(true);
			});

			test('Salekit create sends the product rows, the Token header and JSON', () => {
				const [request, ...others] = requestsTo(
					everyOperation,
					'POST',
					`${SALEKIT}/order/create`,
				).filter((candidate) => (candidate.body as { phone?: string }).phone === '0912345678');
				expect(others).toHaveLength(0);
				expect(request.headers.token).toBe(SANDBOX_TOKENS.salekit);
				expect(request.headers['content-type']).toMatch(/^application\/json/);
				expect(request.body).toEqual({
					full_name: 'Trần Thị Bích',
					phone: '0912345678',
					total_price: 300000,
					total_pay: 320000,
					status: 1,
					email: 'bich@example.com',
					ship_fee: 20000,
					province_id: 1,
					products: [
						{ product_id: 1912233, quantity: 2 },
						{ sku: 'SKU-ROW', quantity: 1 },
					],
				});
				const [created] = outputItems(everyOperation.execution, 'Salekit create (product rows)');
				expect(created.pairedItem).toEqual({ item: 0 });
				const stored = everyOperation.ordersAfter.find((order) => order.id === created.json.id);
				expect(stored?.full_name).toBe('Trần Thị Bích');
			});

			test('Salekit create takes the products from one JSON expression', () => {
				const request = requestsTo(everyOperation, 'POST', `${SALEKIT}/order/create`).find(
					(candidate) => (candidate.body as { phone?: string }).phone === '0987654321',
				);
				expect(request?.body).toMatchObject({ products: [{ sku: 'SKU-JSON', quantity: 3 }] });
				expect(jsonOf(everyOperation, 'Salekit create (products JSON)')).toEqual([
					expect.objectContaining({ id: expect.any(Number), error: false }),
				]);
			});

			test('Salekit update sends the order id in the query and only the changed fields', () => {
				const [created] = jsonOf(everyOperation, 'Salekit create (product rows)');
				const updates = requestsTo(everyOperation, 'POST', `${SALEKIT}/order/update`);
				const update = updates.find((request) => request.query.id === String(created.id));
				expect(update?.headers.token).toBe(SANDBOX_TOKENS.salekit);
				expect(update?.body).toEqual({ note: 'Giao lại', pay_status: 1 });
				expect(jsonOf(everyOperation, 'Salekit update')).toEqual([
					expect.objectContaining({ error: false }),
				]);
				const stored = everyOperation.ordersAfter.find((order) => order.id === created.id);
				expect(stored).toMatchObject({ note: 'Giao lại', pay_status: 1 });
			});

			test('AccessTrade conversion status goes as a POST with a JSON body and the token header', () => {
				const [request, ...others] = requestsTo(
					everyOperation,
					'POST',
					CONVERSION_POST_PATH,
				).filter(
					(candidate) =>
						(candidate.body as { conversion_id?: string }).conversion_id === CONVERSIONS.forPost,
				);
				expect(others).toHaveLength(0);
				expect(request.headers['x-at-user-access-token']).toBe(SANDBOX_TOKENS.accessTrade);
				expect(request.query).toEqual({});
				expect(request.body).toEqual({
					conversion_id: CONVERSIONS.forPost,
					status: 'pre_approved',
					reason: 'Delivered',
				});
				expect(jsonOf(everyOperation, 'AccessTrade conversion (POST)')).toEqual([
					expect.objectContaining({
						conversion_id: CONVERSIONS.forPost,
						conversion_parts: expect.any(Array),
					}),
				]);
				expect(Object.values(partStatuses(everyOperation, CONVERSIONS.forPost))).toEqual([
					'pre_approved',
				]);
			});

			test('AccessTrade conversion status in the GET form sends the query string, no body', () => {
				const [request, ...others] = requestsTo(everyOperation, 'GET', CONVERSION_GET_PATH);
				expect(others).toHaveLength(0);
				expect(request.headers['x-at-user-access-token']).toBe(SANDBOX_TOKENS.accessTrade);
				expect(request.query).toEqual({
					conversion_id: CONVERSIONS.forGet,
					status: 'rejected',
					reason: 'Cancelled by customer',
				});
				expect(request.body).toBeUndefined();
				expect(Object.values(partStatuses(everyOperation, CONVERSIONS.forGet))).toEqual([
					'rejected',
					'rejected',
				]);
			});

			test('AccessTrade conversion part status changes only the part with that SKU', () => {
				const [request, ...others] = requestsTo(everyOperation, 'GET', PART_PATH);
				expect(others).toHaveLength(0);
				expect(request.headers['x-at-user-access-token']).toBe(SANDBOX_TOKENS.accessTrade);
				expect(request.query).toEqual({
					conversion_id: CONVERSIONS.forPart,
					product_sku: PART_SKU,
					status: 'rejected',
					reason: 'Returned',
				});
				expect(partStatuses(everyOperation, CONVERSIONS.forPart)).toEqual({
					SKU004: 'pending',
					[PART_SKU]: 'rejected',
					SKU006: 'pending',
				});
			});

			test('Continue On Fail gives one item per input, in order, the failed one with the vendor message', () => {
				const items = outputItems(everyOperation.execution, 'AccessTrade continue on fail');
				expect(items.map((item) => item.pairedItem)).toEqual([
					{ item: 0 },
					{ item: 1 },
					{ item: 2 },
				]);
				expect(items.map((item) => item.json.conversion_id ?? item.json.error)).toEqual([
					CONVERSIONS.continueFirst,
					'Conversion not found',
					CONVERSIONS.continueLast,
				]);
				const lastStatuses = partStatuses(everyOperation, CONVERSIONS.continueLast);
				expect(Object.values(lastStatuses)).toEqual(['pre_approved', 'pre_approved']);

				expect(jsonOf(everyOperation, 'Salekit update unknown order')).toEqual([
					{ error: expect.stringContaining('Không tìm thấy đơn hàng') },
				]);
				expect(
					requestsTo(everyOperation, 'POST', `${SALEKIT}/order/update`).map((r) => r.query.id),
				).toContain(String(UNKNOWN_ORDER_ID));
			});

			test('each item is sent exactly once: no retries of answered requests', () => {
				// 2 creates, 2 updates, POST, GET, part, and 3 continue-on-fail conversions.
				expect(everyOperation.requests).toHaveLength(10);
			});
		});

		describe('the operations added from the vendor pages, in one run', () => {
			test('the run succeeds', () => {
				expect(newOperations.execution.error).toBeUndefined();
				expect(newOperations.execution.ok).toBe(true);
			});

			test('Salekit product create posts the page fields, photos as a list, and outputs the reply', () => {
				const [request, ...others] = requestsTo(newOperations, 'POST', `${SALEKIT}/product/create`);
				expect(others).toHaveLength(0);
				expect(request.headers.token).toBe(SANDBOX_TOKENS.salekit);
				expect(request.body).toEqual({
					name: 'Áo thun cotton',
					type: 0,
					sku: 'AO-THUN-E2E',
					unit_price: 250000,
					price_sale: 199000,
					photos: [PRODUCT_PHOTO],
				});
				expect(jsonOf(newOperations, 'Salekit product create')).toEqual([
					{ status: 200, msg: 'OK', error: false },
				]);
				expect(newOperations.products).toHaveLength(1);
			});

			test('Salekit combo create posts its products like an order and outputs the new combo id', () => {
				const [request, ...others] = requestsTo(newOperations, 'POST', `${SALEKIT}/combo/create`);
				expect(others).toHaveLength(0);
				expect(request.body).toEqual({
					name: 'Combo hè',
					price_sale: 350000,
					description: 'Hai áo',
					products: [{ sku: 'AO-THUN-E2E', quantity: 2 }],
				});
				expect(jsonOf(newOperations, 'Salekit combo create')).toEqual([
					{
						error: false,
						msg: 'Thành công',
						data: { combo_id: expect.any(Number), token: expect.any(String) },
					},
				]);
				expect(newOperations.combos).toHaveLength(1);
			});

			test('AccessTrade advertiser status posts to update-conversion-status with the user headers', () => {
				const [created] = jsonOf(newOperations, 'AccessTrade conversion create');
				const [request, ...others] = requestsTo(
					newOperations,
					'POST',
					`${ACCESS_TRADE}/api/v1/update-conversion-status`,
				);
				expect(others).toHaveLength(0);
				expect(request.headers).toMatchObject({
					'x-at-user-access-token': SANDBOX_TOKENS.accessTrade,
					'x-at-user': ADVERTISER_USER.userId,
					'x-at-user-type': ADVERTISER_USER.userType,
					'x-network-id': ADVERTISER_USER.networkId,
				});
				expect(request.body).toEqual({
					conversion_id: created.conversion_id,
					status: 'approved',
					reason: 'Đối soát xong',
				});
				expect(partStatuses(newOperations, created.conversion_id as string)).toEqual({
					'AO-THUN-E2E': 'approved',
				});
				expect(jsonOf(newOperations, 'AccessTrade advertiser status')).toEqual([
					expect.objectContaining({ conversion_id: created.conversion_id }),
				]);
			});

			test('each item is sent exactly once', () => {
				expect(newOperations.requests).toHaveLength(4);
			});
		});

		describe('errors and secrets', () => {
			test("an API error fails the run with the vendor's own message", () => {
				expect(apiError.execution.ok).toBe(false);
				expect(apiError.execution.error?.message).toBe('Conversion not found');
				expect(apiError.execution.error?.node?.name).toBe('AccessTrade unknown conversion');
				expect(apiError.requests).toHaveLength(1);
			});

			test('the tokens appear nowhere in what n8n printed, execution data included', () => {
				const runs = [everyOperation, apiError];
				for (const { execution } of runs) {
					const printed = execution.stdout + execution.stderr;
					expect(printed).toContain('"runData"');
					for (const token of Object.values(SANDBOX_TOKENS)) expect(printed).not.toContain(token);
				}
			});
		});

		if (alsoRunExamples) {
			describe('the other-shop webhook examples, fed the sample WooCommerce orders', () => {
				const CREATE_PATH = `${ACCESS_TRADE}/api/v1/create-conversion`;
				const delivery = (deliveries: Delivery[], shopOrderId: string) => {
					const found = deliveries.find(
						(candidate) => shopOrderIdOf(candidate.event) === shopOrderId,
					);
					if (!found) throw new Error(`No event for WooCommerce order ${shopOrderId}`);
					return found;
				};
				const conversionOf = (shopOrderId: string) => conversionsOf(scenario, shopOrderId);
				const statusesOf = (shopOrderId: string) =>
					Object.fromEntries(
						conversionOf(shopOrderId)[0]?.conversion_parts.map((part) => [part.sku, part.status]) ??
							[],
					);

				test('a new order from an affiliate makes one Salekit order and one conversion with its lines', () => {
					const [salekit, accessTrade, ...others] = delivery(scenario.newOrders, '5123').requests;
					expect(others).toHaveLength(0);
					expect(salekit).toMatchObject({ method: 'POST', path: `${SALEKIT}/order/create` });
					expect(salekit.body).toMatchObject(SAMPLE_ORDER_SALEKIT_BODY);
					expect(accessTrade).toMatchObject({ method: 'POST', path: CREATE_PATH });
					expect(accessTrade.headers['x-at-user-access-token']).toBe(SANDBOX_TOKENS.accessTrade);
					expect(accessTrade.headers['x-network-id']).toBe('1');
					expect(accessTrade.body).toEqual({
						click_id: 'f3a9c2e1b7d04a5c9e8f0a1b',
						campaign_id: SANDBOX_CAMPAIGN_ID,
						order_id: '5123',
						action_time: Date.parse('2024-05-01T03:30:00Z'),
						total_sale_amount: { amount: 490000, currency: 'VND' },
						total_discount: { amount: 20000, currency: 'VND' },
						conversion_parts: [
							{
								id: '301',
								sku: 'AO-THUN-DO-M',
								name: 'Áo thun đỏ size M',
								quantity: 2,
								price: 180000,
								discount: 20000,
								sale_amount: 340000,
								currency: 'VND',
							},
							{
								id: '302',
								sku: 'NON-LUOI-TRAI',
								name: 'Nón lưỡi trai',
								quantity: 1,
								price: 150000,
								discount: 0,
								sale_amount: 150000,
								currency: 'VND',
							},
						],
					});
				});

				const toAccessTrade = (shopOrderId: string) =>
					delivery(scenario.statusChanges, shopOrderId).requests.filter(
						(request) => request.vendor === 'accessTrade',
					);
				const toSalekit = (shopOrderId: string) =>
					delivery(scenario.statusChanges, shopOrderId).requests.filter(
						(request) => request.vendor === 'salekit',
					);
				const salekitIdOf = (shopOrderId: string) =>
					String(salekitOrdersOf(scenario, shopOrderId)[0]?.id);

				test('the data table keeps every order: shop order id, Salekit order id, conversion id if any', () => {
					const kept = scenario.dataTableRows.map(
						({ shop_order_id, salekit_order_id, conversion_id }) => ({
							shop_order_id,
							salekit_order_id,
							conversion_id: conversion_id ?? null,
						}),
					);
					expect(kept).toEqual(
						['5123', '5124', '5125', '5126'].map((shopOrderId) => ({
							shop_order_id: shopOrderId,
							salekit_order_id: salekitIdOf(shopOrderId),
							conversion_id: conversionOf(shopOrderId)[0]?.conversion_id ?? null,
						})),
					);
				});

				test('an order without a click id makes only the Salekit order', () => {
					const requests = delivery(scenario.newOrders, '5126').requests;
					expect(requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
						`POST ${SALEKIT}/order/create`,
					]);
					expect(conversionOf('5126')).toEqual([]);
				});

				test('WooCommerce delivering an order again reaches neither vendor: one order, one conversion', () => {
					expect(scenario.repeatedOrder.map((repeat) => repeat.requests)).toEqual([[]]);
					expect(conversionOf('5123')).toHaveLength(1);
				});

				test('completed pre-approves, cancelled rejects, found by the shop order id in the data table', () => {
					const [completed, ...others] = toAccessTrade('5123');
					expect(others).toHaveLength(0);
					expect(completed).toMatchObject({
						method: 'POST',
						path: CONVERSION_POST_PATH,
						body: { conversion_id: conversionOf('5123')[0].conversion_id, status: 'pre_approved' },
					});
					expect(statusesOf('5123')).toEqual({
						'AO-THUN-DO-M': 'pre_approved',
						'NON-LUOI-TRAI': 'pre_approved',
					});
					expect(toAccessTrade('5124')).toHaveLength(1);
					expect(statusesOf('5124')).toEqual({ 'GIAY-THE-THAO-42': 'rejected' });
				});

				test('a status change reaches Salekit as one update of that order: paid when completed, a note when cancelled', () => {
					for (const shopOrderId of ['5123', '5124', '5126']) {
						const updates = toSalekit(shopOrderId);
						expect(updates.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
							{
								method: 'POST',
								path: `${SALEKIT}/order/update`,
								query: { id: salekitIdOf(shopOrderId) },
							},
						]);
					}
					expect(toSalekit('5123')[0].body).toMatchObject({ pay_status: 1 });
					expect(toSalekit('5124')[0].body).not.toHaveProperty('status');
					expect(String(salekitOrdersOf(scenario, '5124')[0].note)).toMatch(
						/Cancelled in WooCommerce\.$/,
					);
				});

				test('a refund rejects only the refunded line, by its SKU', () => {
					const [request, ...others] = toAccessTrade('5125');
					expect(others).toHaveLength(0);
					expect(request).toMatchObject({ method: 'GET', path: PART_PATH });
					expect(request.query).toMatchObject({
						conversion_id: conversionOf('5125')[0].conversion_id,
						product_sku: 'VI-DA',
						status: 'rejected',
					});
					expect(statusesOf('5125')).toEqual({ 'TUI-XACH': 'pending', 'VI-DA': 'rejected' });
				});

				test('a status change of an order no affiliate brought in reaches Salekit only', () => {
					expect(toAccessTrade('5126')).toEqual([]);
					expect(toSalekit('5126')).toHaveLength(1);
				});

				test('the whole scenario holds as npm run demo and the queue suite check it', () => {
					expect(scenarioProblems(scenario)).toEqual([]);
				});
			});
		}
	});
}
