/**
 * How much of n8n's processed-data store the create keys (nodes/shared/orderKey.ts) may use, in
 * one place, so that the model test (test/shared/orderKey.model.test.ts) can shrink the store
 * until a schedule fills it.
 */
export function keyLimits(storeCapacity: number) {
	/**
	 * At most this many entries per key while a run holds it: `key:`, `open:`, `won:`, the run's
	 * claim entry, and the claim entry of its previous round not yet removed.
	 */
	const entriesPerKey = 5;
	/** The share of the store one run may fill; the rest stays for the other executions meanwhile. */
	const runShare = 0.5;
	return {
		/** n8n keeps the newest this many entries per node (the `maxEntries` passed to it). */
		STORE_CAPACITY: storeCapacity,
		/**
		 * More keyed items than this in one run are refused before sending: their entries could push
		 * the run's own keys (or those of the orders just before it) out of the store while it runs.
		 */
		MAX_KEYS_PER_RUN: Math.floor((storeCapacity * runShare) / entriesPerKey),
	};
}

export const { STORE_CAPACITY, MAX_KEYS_PER_RUN } = keyLimits(10_000);
