import { isJsonObject, type VendorReply, type VendorRequest, type VendorSimulator } from './vendor';

export interface SalekitProduct {
	product_id?: number;
	sku?: string;
	quantity: number;
}

/** An order as stored: the create body as received, plus the id the sandbox assigned. */
export interface SandboxOrder {
	id: number;
	full_name: string;
	phone: string;
	total_price: number;
	total_pay: number;
	status: number;
	products: SalekitProduct[];
	/** Every other field the client sent, stored as received. */
	[field: string]: unknown;
}

/** The order id in the vendor's own update example (seed 003), so sandbox ids look real. */
const FIRST_ORDER_ID = 235584;

const REQUIRED_ON_CREATE = [
	'full_name',
	'phone',
	'total_price',
	'total_pay',
	'status',
	'products',
] as const;

interface ValueKind {
	accepts: (value: unknown) => boolean;
	/** Completes "Trường <field> ..." in the error message. */
	expected: string;
}

const isFiniteNumber = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value);
const isInteger = (value: unknown): value is number =>
	isFiniteNumber(value) && Number.isInteger(value);

const NUMBER: ValueKind = { accepts: isFiniteNumber, expected: 'phải là số' };
const INTEGER: ValueKind = { accepts: isInteger, expected: 'phải là số nguyên' };
const STRING: ValueKind = { accepts: (v) => typeof v === 'string', expected: 'phải là chuỗi' };
/** The vendor only says "Timestamp": accept epoch numbers and date strings alike. */
const TIMESTAMP: ValueKind = {
	accepts: (v) => typeof v === 'string' || isFiniteNumber(v),
	expected: 'phải là thời gian (số hoặc chuỗi)',
};
const ORDER_STATUS: ValueKind = {
	accepts: (v) => isInteger(v) && v >= 0 && v <= 7,
	expected: 'phải là số nguyên từ 0 đến 7',
};

/**
 * The types of seed 003's order table. Checking them (where the real API may be lenient) makes
 * the sandbox catch a node that sends "5" where the documentation says Int. Fields not listed
 * are stored as received, as the real API appears to ignore them.
 */
const ORDER_FIELD_KINDS: Record<string, ValueKind> = {
	website_id: STRING,
	total_price: NUMBER,
	discount: NUMBER,
	total_pay: NUMBER,
	revenue: NUMBER,
	ship_fee: NUMBER,
	pay_fee: NUMBER,
	full_name: STRING,
	phone: STRING,
	email: STRING,
	ref: STRING,
	ref_sub: STRING,
	src: STRING,
	province_id: INTEGER,
	district_id: INTEGER,
	ward_id: INTEGER,
	address: STRING,
	store_id: INTEGER,
	pay_type: INTEGER,
	pay_status: INTEGER,
	pay_time: TIMESTAMP,
	commission: NUMBER,
	status: ORDER_STATUS,
	sub_status: INTEGER,
	sale_id: INTEGER,
	note: STRING,
};

const PRODUCT_TYPE: ValueKind = {
	accepts: (v) => isInteger(v) && v >= 0 && v <= 2,
	expected: 'phải là 0 (sản phẩm), 1 (dịch vụ) hoặc 2 (khóa học)',
};
const WEB_ADDRESSES: ValueKind = {
	accepts: (v) =>
		Array.isArray(v) &&
		v.every((entry) => typeof entry === 'string' && /^https?:\/\/[^\s/]+/.test(entry)),
	expected: 'phải là mảng địa chỉ ảnh (http hoặc https)',
};

/** salekit.com/help/api-product, "Tạo mới sản phẩm": the body table's types. */
const PRODUCT_FIELD_KINDS: Record<string, ValueKind> = {
	name: STRING,
	description: STRING,
	content: STRING,
	type: PRODUCT_TYPE,
	package_width: INTEGER,
	package_length: INTEGER,
	package_height: INTEGER,
	weight: NUMBER,
	sku: STRING,
	unit_price: NUMBER,
	price_sale: NUMBER,
	unit_name: STRING,
	category_id: INTEGER,
	trademark: INTEGER,
	photos: WEB_ADDRESSES,
	slug: STRING,
	seo_title: STRING,
	seo_keyword: STRING,
	seo_description: STRING,
};

/** salekit.com/help/api-combo, "Tạo mới": the body table, plus website_id from its example. */
const COMBO_FIELD_KINDS: Record<string, ValueKind> = {
	name: STRING,
	website_id: INTEGER,
	description: STRING,
	price_sale: NUMBER,
};

type Operation = 'create' | 'update' | 'productCreate' | 'comboCreate';

const ROUTES = new Map<string, Operation>([
	['POST /api/v1/order/create', 'create'],
	['POST /api/v1/order/update', 'update'],
	['POST /api/v1/product/create', 'productCreate'],
	['POST /api/v1/combo/create', 'comboCreate'],
]);

/** A product or combo as stored: the create body as received. */
export type SandboxRecord = Record<string, unknown>;

/** First combo id, so sandbox ids look like ids. */
const FIRST_COMBO_ID = 9101;

/** Salekit answers its own errors with HTTP 200 and `error: true`; only transport errors differ. */
function failure(msg: string, status = 200): VendorReply {
	return { status, body: { error: true, msg } };
}

export class SalekitSimulator implements VendorSimulator {
	readonly name = 'salekit';
	private readonly stored = new Map<number, SandboxOrder>();
	private nextOrderId = FIRST_ORDER_ID;
	private readonly storedProducts: SandboxRecord[] = [];
	private readonly storedCombos: SandboxRecord[] = [];

	constructor(private readonly token: string) {}

	handle(request: VendorRequest): VendorReply {
		const operation = ROUTES.get(`${request.method} ${request.path}`);
		if (!operation) return failure('Not found', 404);
		if (request.headers.token !== this.token) return failure('Token không hợp lệ');
		if (!isJsonContentType(request.headers['content-type'])) {
			return failure('Content-Type phải là application/json');
		}
		if (!isJsonObject(request.body)) return failure('Dữ liệu gửi lên phải là một đối tượng JSON');
		if (operation === 'productCreate') return this.createProduct(request.body);
		if (operation === 'comboCreate') return this.createCombo(request.body);
		return operation === 'create'
			? this.create(request.body)
			: this.update(request.query.id, request.body);
	}

	errorReply(status: number, message: string): VendorReply {
		return failure(message, status);
	}

	reset(): void {
		this.stored.clear();
		this.nextOrderId = FIRST_ORDER_ID;
		this.storedProducts.length = 0;
		this.storedCombos.length = 0;
	}

	orders(): SandboxOrder[] {
		return structuredClone([...this.stored.values()]);
	}

	products(): SandboxRecord[] {
		return structuredClone(this.storedProducts);
	}

	combos(): SandboxRecord[] {
		return structuredClone(this.storedCombos);
	}

	/** The page documents the reply without an id: { status: 200, msg: "OK", error: false }. */
	private createProduct(body: Record<string, unknown>): VendorReply {
		const problem = findProblem(body, ['name', 'type'], PRODUCT_FIELD_KINDS);
		if (problem) return failure(problem);
		this.storedProducts.push(structuredClone(body));
		return { status: 200, body: { status: 200, msg: 'OK', error: false } };
	}

	/** The page documents data.combo_id and data.token (the combo's link id). */
	private createCombo(body: Record<string, unknown>): VendorReply {
		const problem =
			findProblem(body, ['name', 'price_sale', 'products'], COMBO_FIELD_KINDS) ??
			findProductsProblem(body.products);
		if (problem) return failure(problem);
		const comboId = FIRST_COMBO_ID + this.storedCombos.length;
		const token = `cb${comboId.toString(36)}`;
		this.storedCombos.push({ combo_id: comboId, token, ...structuredClone(body) });
		return {
			status: 200,
			body: { error: false, msg: 'Thành công', data: { combo_id: comboId, token } },
		};
	}

	private create(body: Record<string, unknown>): VendorReply {
		const problem = findOrderProblem(body, REQUIRED_ON_CREATE);
		if (problem) return failure(problem);
		const id = this.nextOrderId++;
		// findOrderProblem has checked every typed field of SandboxOrder.
		const order = { id, ...body } as SandboxOrder;
		this.stored.set(id, order);
		return {
			status: 200,
			body: { error: false, msg: 'Thành công', id, data: [structuredClone(order)] },
		};
	}

	private update(idParam: string | undefined, body: Record<string, unknown>): VendorReply {
		if (idParam === undefined || idParam === '') return failure('Thiếu tham số id (mã đơn hàng)');
		const order = /^\d+$/.test(idParam) ? this.stored.get(Number(idParam)) : undefined;
		if (!order) return failure('Không tìm thấy đơn hàng');
		const problem = findOrderProblem(body, []);
		if (problem) return failure(problem);
		// The id comes from the query string; an `id` in the body must not renumber the order.
		Object.assign(order, body, { id: order.id });
		return { status: 200, body: { status: 200, msg: 'OK', error: false } };
	}
}

/** The shop the sandbox token belongs to, as Salekit's token check names it. */
export const SANDBOX_SHOP = { id: 5001, name: 'Shop sandbox' } as const;

/**
 * Salekit's token check, `POST /wordpress/verify` on the site root (where its WordPress plugin
 * calls it), mounted apart from the API: it reads the token and changes nothing.
 */
export class SalekitTokenCheck implements VendorSimulator {
	readonly name = 'salekit';

	constructor(private readonly token: string) {}

	handle(request: VendorRequest): VendorReply {
		if (`${request.method} ${request.path}` !== 'POST /verify') return failure('Not found', 404);
		if (request.headers.token !== this.token) return failure('Token không hợp lệ');
		return { status: 200, body: { error: false, ...SANDBOX_SHOP } };
	}

	errorReply(status: number, message: string): VendorReply {
		return failure(message, status);
	}

	reset(): void {}
}

function isJsonContentType(header: string | undefined): boolean {
	return header?.split(';')[0].trim().toLowerCase() === 'application/json';
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/** The first missing or mistyped field, as the message the API would send; undefined when valid. */
function findProblem(
	body: Record<string, unknown>,
	required: readonly string[],
	kinds: Record<string, ValueKind>,
): string | undefined {
	const missing = required.find((field) => isBlank(body[field]));
	if (missing) return `Thiếu trường bắt buộc: ${missing}`;
	for (const [field, value] of Object.entries(body)) {
		const kind = kinds[field];
		if (kind && !kind.accepts(value)) return `Trường ${field} ${kind.expected}`;
	}
	return undefined;
}

/** The first thing wrong with an order body, as the message the API would send; undefined when valid. */
function findOrderProblem(
	body: Record<string, unknown>,
	required: readonly string[],
): string | undefined {
	const problem = findProblem(body, required, ORDER_FIELD_KINDS);
	if (problem) return problem;
	return body.products === undefined ? undefined : findProductsProblem(body.products);
}

function findProductsProblem(products: unknown): string | undefined {
	if (!Array.isArray(products) || products.length === 0)
		return 'Trường products phải là mảng sản phẩm không rỗng';
	for (const [index, product] of products.entries()) {
		const where = `products[${index}]`;
		if (!isJsonObject(product)) return `${where} phải là đối tượng { product_id | sku, quantity }`;
		if (isBlank(product.product_id) && isBlank(product.sku))
			return `${where} cần product_id hoặc sku`;
		if (product.product_id !== undefined && !INTEGER.accepts(product.product_id)) {
			return `${where}.product_id ${INTEGER.expected}`;
		}
		if (product.sku !== undefined && !STRING.accepts(product.sku))
			return `${where}.sku ${STRING.expected}`;
		const { quantity } = product;
		if (!isFiniteNumber(quantity) || quantity <= 0) return `${where}.quantity phải là số lớn hơn 0`;
	}
	return undefined;
}
