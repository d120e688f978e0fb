/** The campaign API sets pre_approved and rejected; the advertiser API all five. */
export type ConversionStatus = 'pending' | 'pre_approved' | 'approved' | 'rejected' | 'hold';

/** Shaped exactly like the conversion part in the vendor's example response (seed 000). */
export interface ConversionPart {
	sku: string;
	name: string;
	url: string | null;
	quantity: number;
	currency: string;
	commission: { amount: number; currency: string };
	status: ConversionStatus;
	reason: string;
	id: string;
	price: number;
	discount: number;
	sale_amount: number;
	calculate_by: string;
	calculate_by_id: string | null;
	category_name: string | null;
	category_id: string | null;
}

export interface Money {
	amount: number;
	currency: string;
}

export interface SandboxConversion {
	conversion_id: string;
	order_id: string;
	conversion_parts: ConversionPart[];
	/** Set on conversions made through create-conversion; the seeded ones predate the API. */
	click_id?: string;
	campaign_id?: number;
	action_time?: number;
	total_sale_amount?: Money;
	total_discount?: Money;
}

/** The facts that differ between parts; everything else follows the vendor's example part. */
interface PartSeed {
	sku: string;
	name: string;
	price: number;
	commission: number;
	quantity?: number;
	discount?: number;
	url?: string;
	/** Set for a commission computed as a percentage of a commission rate; FIXED otherwise. */
	percentRateId?: string;
	category?: { name: string; id: string };
}

interface ConversionSeed {
	conversionId: string;
	orderId: string;
	parts: PartSeed[];
}

/**
 * Campaign 1001's pending conversions. The first is the vendor's own example (seed 000);
 * SKU001 appears in two conversions so a part update can be seen to touch only its own one.
 */
const CONVERSION_SEEDS: readonly ConversionSeed[] = [
	{
		conversionId: '5f6082a96c906f054417fe11',
		orderId: 'f6505eb9943f44c3a6f1ba576c2c50c1',
		parts: [{ sku: 'SKU001', name: 'Product_01', price: 700000, commission: 500000 }],
	},
	{
		conversionId: '5f6082a96c906f054417fe12',
		orderId: '0c9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f',
		parts: [
			{ sku: 'SKU002', name: 'Product_02', price: 250000, quantity: 2, commission: 25000 },
			{ sku: 'SKU003', name: 'Product_03', price: 120000, discount: 20000, commission: 10000 },
		],
	},
	{
		conversionId: '5f6082a96c906f054417fe13',
		orderId: '7d2f4a9c1b3e5f60718293a4b5c6d7e8',
		parts: [
			{
				sku: 'SKU004',
				name: 'Product_04',
				price: 1500000,
				commission: 150000,
				url: 'https://shop.example.vn/products/sku004',
				percentRateId: 'RATE_10',
				category: { name: 'Cat_02', id: 'CAT002' },
			},
			{ sku: 'SKU005', name: 'Product_05', price: 90000, quantity: 3, commission: 27000 },
			{
				sku: 'SKU006',
				name: 'Product_06',
				price: 45000,
				commission: 4500,
				category: { name: 'Cat_02', id: 'CAT002' },
			},
		],
	},
	{
		conversionId: '5f6082a96c906f054417fe14',
		orderId: '3a4b5c6d7e8f90a1b2c3d4e5f6071829',
		parts: [
			{
				sku: 'SKU007',
				name: 'Product_07',
				price: 320000,
				quantity: 2,
				discount: 40000,
				commission: 60000,
			},
		],
	},
	{
		conversionId: '5f6082a96c906f054417fe15',
		orderId: 'b7c8d9e0f1a2b3c4d5e6f708192a3b4c',
		parts: [
			{ sku: 'SKU008', name: 'Product_08', price: 560000, commission: 56000 },
			{ sku: 'SKU001', name: 'Product_01', price: 700000, commission: 500000 },
		],
	},
];

/** A fresh copy of the seeded conversions, every part pending; keys in the order of the vendor's example. */
export function seedConversions(): SandboxConversion[] {
	return CONVERSION_SEEDS.map(({ conversionId, orderId, parts }) => ({
		conversion_id: conversionId,
		order_id: orderId,
		conversion_parts: parts.map((part, index) => buildPart(part, String(index + 1))),
	}));
}

function buildPart(seed: PartSeed, id: string): ConversionPart {
	const quantity = seed.quantity ?? 1;
	const discount = seed.discount ?? 0;
	const category = seed.category ?? { name: 'Cat_01', id: 'CAT001' };
	return {
		sku: seed.sku,
		name: seed.name,
		url: seed.url ?? null,
		quantity,
		currency: 'VND',
		commission: { amount: seed.commission, currency: 'VND' },
		status: 'pending',
		reason: '',
		id,
		price: seed.price,
		discount,
		sale_amount: seed.price * quantity - discount,
		calculate_by: seed.percentRateId ? 'PERCENT' : 'FIXED',
		calculate_by_id: seed.percentRateId ?? null,
		category_name: category.name,
		category_id: category.id,
	};
}
