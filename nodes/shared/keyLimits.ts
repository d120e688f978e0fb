/**
 * How much of n8n's processed-data store the create keys may use. One place, so that the model
 * test (test/shared/orderKey.model.test.ts) can scale the store down and fill it.
 */

/** n8n keeps the newest this many entries per node (its `maxEntries`), dropping older ones. */
export const STORE_CAPACITY = 10_000;

/**
 * At most this many entries per key while a run holds it: `key:`, `open:`, `won:`, the run's
 * claim entry, and the claim entry of its previous round not yet removed.
 */
export const ENTRIES_PER_KEY = 5;

/** The share of the store one run may fill; the rest stays for the other executions meanwhile. */
export const RUN_SHARE = 0.5;

/**
 * More keyed items than this in one run are refused before sending: their entries could push
 * the run's own keys (or those of the orders just before it) out of the store while it runs.
 */
export const MAX_KEYS_PER_RUN = Math.floor((STORE_CAPACITY * RUN_SHARE) / ENTRIES_PER_KEY);
