import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';

/**
 * The sandbox for one test file: started once, and reset before each test (log, faults,
 * responder, orders, conversions). Call the returned function inside a test to reach it.
 */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({ quiet: true, ...options });
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	beforeEach(() => sandbox?.reset());
	return () => {
		if (!sandbox) throw new Error('The sandbox starts in beforeAll: use it inside a test');
		return sandbox;
	};
}

/** What a shop manager fills in for a new WooCommerce product (the fake shop adds the rest). */
export const SHOP_PRODUCT_INPUT = {
	name: 'Áo thun cotton',
	sku: 'AO-THUN-M',
	regular_price: '250000',
	sale_price: '199000',
	weight: '0.25',
	dimensions: { length: '30', width: '20', height: '5' },
	images: [
		{ src: 'https://shop.example/wp-content/uploads/ao-thun-cotton.jpg', alt: 'Áo thun cotton' },
	],
};
