/** The conversion in AccessTrade's response example (shared/seeds/000), exactly as documented. */
export const VENDOR_EXAMPLE_CONVERSION = {
	conversion_id: '5f6082a96c906f054417fe11',
	order_id: 'f6505eb9943f44c3a6f1ba576c2c50c1',
	conversion_parts: [
		{
			sku: 'SKU001',
			name: 'Product_01',
			url: null,
			quantity: 1,
			currency: 'VND',
			commission: { amount: 500000, currency: 'VND' },
			status: 'pre_approved',
			reason: 'Khach hang khen ngoi',
			id: '1',
			price: 700000,
			discount: 0,
			sale_amount: 700000,
			calculate_by: 'FIXED',
			calculate_by_id: null,
			category_name: 'Cat_01',
			category_id: 'CAT001',
		},
	],
};

/** AccessTrade's whole reply around it: an envelope inside an envelope. */
export const VENDOR_EXAMPLE_REPLY = {
	status: 'success',
	data: { status: 'success', data: VENDOR_EXAMPLE_CONVERSION, message: 'Success', code: 0 },
};
