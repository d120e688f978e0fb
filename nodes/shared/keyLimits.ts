/**
 * The sizes the create keys (nodes/shared/orderKey.ts) work within, in one place so that the model
 * test (test/shared/orderKey.model.test.ts) can shrink the store until a schedule fills it.
 */
export function keyLimits(storeCapacity: number) {
	return {
		/** n8n's processed-data store keeps this many entries per node (the `maxEntries` passed to it). */
		STORE_CAPACITY: storeCapacity,
		/**
		 * A keyed run holds up to five entries per key at once (its three, and the two it writes while
		 * looking for version 0.1.0's): more keys than this could push its own entries (or the keys of
		 * the orders just before it) out of the store. Refused before sending.
		 */
		MAX_KEYS_PER_RUN: Math.floor(storeCapacity / 5),
	};
}

export const { STORE_CAPACITY, MAX_KEYS_PER_RUN } = keyLimits(10_000);
