/**
 * The workflows the end-to-end tests import, built in code so that each test can name the
 * nodes and values it checks. Node types use the community-package prefix; the instance
 * renames them for the loading mode it uses.
 */
import { randomUUID } from 'node:crypto';

import { SANDBOX_CAMPAIGN_ID } from '../../sandbox/server';
import { SANDBOX_CREDENTIALS } from '../harness/examples';
import { COMMUNITY_TYPE_PREFIX, type WorkflowFile, type WorkflowNode } from '../harness/n8n-host';

const CAMPAIGN_ID = String(SANDBOX_CAMPAIGN_ID);

/** Conversions the sandbox seeds in campaign 1001, and one it does not know. */
export const CONVERSIONS = {
	forPost: '5f6082a96c906f054417fe11',
	forGet: '5f6082a96c906f054417fe12',
	forPart: '5f6082a96c906f054417fe13',
	continueFirst: '5f6082a96c906f054417fe14',
	continueLast: '5f6082a96c906f054417fe15',
	unknown: '000000000000000000000000',
} as const;

/** A part of CONVERSIONS.forPart, beside two others that must stay pending. */
export const PART_SKU = 'SKU005';

/**
 * What Salekit receives for the sample affiliate order (WooCommerce 5123 in the try-it example,
 * the same lines in the WooCommerce e2e): two shirts with 20000 off, a cap, 30000 shipping.
 */
export const SAMPLE_ORDER_SALEKIT_BODY = {
	full_name: 'Nguyễn Văn An',
	total_price: 510000,
	total_pay: 520000,
	discount: 20000,
	ship_fee: 30000,
	products: [
		{ sku: 'AO-THUN-DO-M', quantity: 2 },
		{ sku: 'NON-LUOI-TRAI', quantity: 1 },
	],
};

/** An order id the sandbox never hands out (its ids start at 235584 and count up). */
export const UNKNOWN_ORDER_ID = 999999;

type Parameters = Record<string, unknown>;

interface Placement {
	/** The node that feeds this one; the Manual Trigger when not given. */
	after?: string;
	/** Node settings beside the parameters: onError, credentials, typeVersion. */
	settings?: Partial<WorkflowNode>;
}

const COLUMN_WIDTH = 240;
const ROW_HEIGHT = 160;

/** A Manual Trigger, then nodes laid out left to right, each fed by the node it comes `after`. */
class WorkflowBuilder {
	private readonly nodes: WorkflowNode[] = [];
	private readonly connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: 0 }>> }
	> = {};

	constructor(
		private readonly id: string,
		private readonly name: string,
	) {
		this.nodes.push(this.node('Start', 'n8n-nodes-base.manualTrigger', {}, 0));
	}

	add(
		name: string,
		type: string,
		parameters: Parameters,
		{ after = 'Start', settings = {} }: Placement = {},
	): this {
		this.nodes.push({ ...this.node(name, type, parameters, this.column(after) + 1), ...settings });
		this.connections[after] ??= { main: [[]] };
		this.connections[after].main[0].push({ node: name, type: 'main', index: 0 });
		return this;
	}

	salekit(name: string, parameters: Parameters, placement: Placement = {}): this {
		return this.salekitResource(name, { resource: 'order', ...parameters }, placement);
	}

	/** A Salekit node for a resource other than the order. */
	salekitResource(name: string, parameters: Parameters, placement: Placement = {}): this {
		const settings = {
			credentials: { salekitApi: SANDBOX_CREDENTIALS.salekitApi },
			...placement.settings,
		};
		const type = `${COMMUNITY_TYPE_PREFIX}salekit`;
		return this.add(name, type, parameters, { ...placement, settings });
	}

	accessTrade(name: string, parameters: Parameters, placement: Placement = {}): this {
		const settings = {
			credentials: { accessTradeApi: SANDBOX_CREDENTIALS.accessTradeApi },
			...placement.settings,
		};
		const type = `${COMMUNITY_TYPE_PREFIX}accessTrade`;
		const allParameters = { operation: 'updateStatus', campaignId: CAMPAIGN_ID, ...parameters };
		return this.add(name, type, allParameters, { ...placement, settings });
	}

	/** A Code node that outputs the given items. */
	items(name: string, items: Parameters[]): this {
		const jsCode = `return ${JSON.stringify(items.map((json) => ({ json })))};`;
		return this.add(name, 'n8n-nodes-base.code', { jsCode }, { settings: { typeVersion: 2 } });
	}

	build(): WorkflowFile {
		const { id, name, nodes, connections } = this;
		return { id, name, nodes, connections, settings: { executionOrder: 'v1' } };
	}

	private node(name: string, type: string, parameters: Parameters, column: number): WorkflowNode {
		const x = column * COLUMN_WIDTH;
		const row = this.nodes.filter((node) => node.position[0] === x).length;
		return {
			id: randomUUID(),
			name,
			type,
			typeVersion: 1,
			position: [x, row * ROW_HEIGHT],
			parameters,
		};
	}

	private column(nodeName: string): number {
		const node = this.nodes.find((candidate) => candidate.name === nodeName);
		if (!node) throw new Error(`No node "${nodeName}" to connect from`);
		return node.position[0] / COLUMN_WIDTH;
	}
}

/** Continue On Fail, as the node settings panel saves it. */
const continueOnFail: Placement = { settings: { onError: 'continueRegularOutput' } };

/** Every operation once, in one run, so that n8n starts only once for all of them. */
export const everyOperationWorkflow = new WorkflowBuilder(
	'e2eEveryOperation',
	'E2E: every operation',
)
	.salekit('Salekit create (product rows)', {
		operation: 'create',
		fullName: 'Trần Thị Bích',
		phone: '0912345678',
		totalPrice: 300000,
		totalPay: 320000,
		status: 1,
		products: {
			product: [
				{ productId: 1912233, quantity: 2 },
				{ sku: 'SKU-ROW', quantity: 1 },
			],
		},
		additionalFields: { email: 'bich@example.com', shipFee: 20000, provinceId: 1 },
	})
	.salekit(
		'Salekit update',
		{
			operation: 'update',
			orderId: '={{ $json.id }}',
			updateFields: { note: 'Giao lại', payStatus: 1 },
		},
		{ after: 'Salekit create (product rows)' },
	)
	.salekit('Salekit create (products JSON)', {
		operation: 'create',
		fullName: 'Lê Văn Cường',
		phone: '0987654321',
		totalPrice: 90000,
		totalPay: 90000,
		status: 0,
		productsInputMode: 'json',
		productsJson: '={{ [{ sku: "SKU-JSON", quantity: 3 }] }}',
	})
	.salekit(
		'Salekit update unknown order',
		{ operation: 'update', orderId: UNKNOWN_ORDER_ID, updateFields: { note: 'x' } },
		continueOnFail,
	)
	.accessTrade('AccessTrade conversion (POST)', {
		resource: 'conversion',
		conversionId: CONVERSIONS.forPost,
		status: 'pre_approved',
		reason: 'Delivered',
	})
	.accessTrade('AccessTrade conversion (GET)', {
		resource: 'conversion',
		conversionId: CONVERSIONS.forGet,
		status: 'rejected',
		reason: 'Cancelled by customer',
		options: { requestMethod: 'GET' },
	})
	.accessTrade('AccessTrade conversion part', {
		resource: 'conversionPart',
		conversionId: CONVERSIONS.forPart,
		productSku: PART_SKU,
		status: 'rejected',
		reason: 'Returned',
	})
	.items('Three conversion ids', [
		{ conversionId: CONVERSIONS.continueFirst },
		{ conversionId: CONVERSIONS.unknown },
		{ conversionId: CONVERSIONS.continueLast },
	])
	.accessTrade(
		'AccessTrade continue on fail',
		{ resource: 'conversion', conversionId: '={{ $json.conversionId }}', status: 'pre_approved' },
		{ ...continueOnFail, after: 'Three conversion ids' },
	)
	.build();

/** A vendor error without Continue On Fail: the run must fail with the vendor's message. */
export const apiErrorWorkflow = new WorkflowBuilder('e2eApiError', 'E2E: API error fails the run')
	.accessTrade('AccessTrade unknown conversion', {
		resource: 'conversion',
		conversionId: CONVERSIONS.unknown,
		status: 'rejected',
	})
	.build();

/** An AccessTrade credential with the user headers the advertiser status API requires. */
export const ADVERTISER_CREDENTIAL = {
	id: 'accessTradeAdvertiserSandbox',
	name: 'AccessTrade advertiser sandbox',
} as const;
export const ADVERTISER_USER = {
	userId: 'sandbox-advertiser',
	userType: 'api',
	networkId: '1',
} as const;

/** A photo address for the product create. */
export const PRODUCT_PHOTO = 'https://photo.salekit.com/uploads/sandbox/ao-thun.jpg';

/**
 * The operations added with the vendors' product, combo and advertiser pages, in a run of their
 * own (the run above counts its requests): a product, a combo, and a conversion created then
 * finally approved through the advertiser status API.
 */
export const newOperationsWorkflow = new WorkflowBuilder(
	'e2eNewOperations',
	'E2E: products, combos, advertiser status',
)
	.salekitResource('Salekit product create', {
		resource: 'product',
		operation: 'create',
		name: 'Áo thun cotton',
		type: 0,
		additionalFields: {
			sku: 'AO-THUN-E2E',
			unitPrice: 250000,
			priceSale: 199000,
			photos: [PRODUCT_PHOTO],
		},
		options: { productKey: 'woo-product-e2e' },
	})
	.salekitResource('Salekit combo create', {
		resource: 'combo',
		operation: 'create',
		name: 'Combo hè',
		priceSale: 350000,
		productsInputMode: 'json',
		productsJson: '={{ [{ sku: "AO-THUN-E2E", quantity: 2 }] }}',
		additionalFields: { description: 'Hai áo' },
		options: { comboKey: 'combo-he-e2e' },
	})
	.accessTrade('AccessTrade conversion create', {
		resource: 'conversion',
		operation: 'create',
		clickId: 'click-e2e-advertiser',
		orderId: 'E2E-ADV-1',
		parts: { part: [{ sku: 'AO-THUN-E2E', name: 'Áo thun cotton', quantity: 1, price: 199000 }] },
	})
	.accessTrade(
		'AccessTrade advertiser status',
		{
			resource: 'conversion',
			conversionId: '={{ $json.conversion_id }}',
			status: 'approved',
			reason: 'Đối soát xong',
			options: { statusApi: 'advertiser' },
		},
		{
			after: 'AccessTrade conversion create',
			settings: { credentials: { accessTradeApi: ADVERTISER_CREDENTIAL } },
		},
	)
	.build();
