import {
	NodeOperationError,
	sleep,
	type ICheckProcessedOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { ItemFields } from './fields';
import { NEVER_SENT } from './retry';
import type { SendOutcome } from './transport';

/**
 * Shop Order Key: a create whose key an earlier execution already created is not sent again.
 *
 * The keys live in n8n's processed-data store (the one Remove Duplicates uses): in n8n's
 * database, so every worker of a queue-mode setup sees them. Per key it holds two entries:
 * `inflight:<key>`, recorded before the request is sent, and `done:<key>`, recorded after the
 * vendor confirmed the create. A crash in between leaves the in-flight mark, and later runs of
 * that key fail with "may exist" instead of guessing. The mark is removed again when the request
 * certainly never left or the vendor certainly refused it.
 *
 * The store keeps, per node, one database row holding every entry, and rewrites the whole row on
 * each call without a lock: a call from another execution that read the row just before ours
 * wrote can put back a row without our entry. So each entry we depend on is checked again after
 * SETTLE_MS and recorded again if it was lost (see README, "Queue mode", for what this leaves).
 */

const SCOPE = 'node';
/** Two entries per order: the newest 10,000 entries remember about the last 5,000 orders. */
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: 10_000 };
/** Longer than a store call by another execution takes from reading the row to writing it. */
const SETTLE_MS = 1_000;
const MAX_SETTLE_ROUNDS = 5;
const STORE_ATTEMPTS = 3;
const MAX_KEY_LENGTH = 200;

export const orderKeyProperty: INodeProperties = {
	displayName: 'Shop Order Key',
	name: 'orderKey',
	type: 'string',
	default: '',
	placeholder: '={{ $json.body.id }}',
	description:
		"The shop's own ID for this order, e.g. {{ $json.body.id }}. When set, an order whose key an earlier execution already created is not created again (the item comes out as skipped), also when the shop redelivers its webhook or another worker runs it. Keys are kept in n8n's database for about the last 5,000 orders of this node.",
};

const inflight = (key: string) => `inflight:${key}`;
const done = (key: string) => `done:${key}`;

/** What the runner does with an item instead of sending it. */
export type OrderKeyVerdict = { json: IDataObject } | { error: Error };

// One n8n process runs many executions at once, and each store call reads and rewrites the same
// row: calls from this process go one at a time, so that they at least never undo each other.
let storeQueue: Promise<unknown> = Promise.resolve();

function serialized<T>(call: () => Promise<T>): Promise<T> {
	const result = storeQueue.then(call, call);
	storeQueue = result.catch(() => undefined);
	return result;
}


/** A request that got a refusal from the vendor, or never left this machine, created nothing. */
function certainlyNotCreated(outcome: SendOutcome): boolean {
	if (outcome.ok) return false;
	const { httpCode, networkCode } = outcome.facts;
	if (networkCode !== undefined) return NEVER_SENT.has(networkCode);
	// A 5xx may come from a proxy that gave up while the vendor went on: unknown.
	return httpCode !== undefined && httpCode < 500;
}

/** The Shop Order Keys of one run, from claim to done or release. */
export class OrderKeys {
	/** Item index → key, for the items this run claimed and may send. */
	private readonly claimed = new Map<number, string>();
	private readonly verdicts = new Map<number, OrderKeyVerdict>();
	private readonly created: string[] = [];
	private readonly settled = new Set<number>();

	private constructor(private readonly context: IExecuteFunctions) {}

	/**
	 * Reads the key of each item that passed its checks and claims the new ones (items without a
	 * key are not guarded). Returns once the claims are safely stored.
	 */
	static async claim(context: IExecuteFunctions, itemIndexes: number[]): Promise<OrderKeys> {
		const keys = new OrderKeys(context);
		const firstItemOfKey = new Map<string, number>();
		for (const itemIndex of itemIndexes) {
			let key: string | undefined;
			try {
				key = readOrderKey(new ItemFields(context, itemIndex));
			} catch (error) {
				keys.verdicts.set(itemIndex, { error: error as Error });
			}
			if (key === undefined) continue;
			const first = firstItemOfKey.get(key);
			if (first === undefined) firstItemOfKey.set(key, itemIndex);
			else keys.verdicts.set(itemIndex, keys.skipped(key, `item ${first} of this run has the same Shop Order Key; only that item creates the order`));
		}
		if (firstItemOfKey.size === 0) return keys;

		const { processed } = await keys.record([...firstItemOfKey.keys()].map(inflight));
		const known = new Set(processed.map((entry) => String(entry).slice('inflight:'.length)));
		for (const [key, itemIndex] of firstItemOfKey) {
			if (!known.has(key)) keys.claimed.set(itemIndex, key);
		}
		await keys.sortKnown([...known], firstItemOfKey);
		const claims = [...keys.claimed.values()].map(inflight);
		if (claims.length > 0) {
			try {
				await keys.recordDurably(claims);
			} catch (error) {
				await keys.remove(claims);
				throw new NodeOperationError(context.getNode(), error as Error);
			}
		}
		return keys;
	}

	/** Skip or failure for an item that must not be sent; undefined when it may be sent. */
	verdict(itemIndex: number): OrderKeyVerdict | undefined {
		return this.verdicts.get(itemIndex);
	}

	/** After an item's request: remembers a create, frees a key whose request created nothing. */
	async settle(itemIndex: number, outcome: SendOutcome): Promise<void> {
		const key = this.claimed.get(itemIndex);
		if (key === undefined) return;
		this.settled.add(itemIndex);
		if (outcome.ok) this.created.push(key);
		else if (certainlyNotCreated(outcome)) await this.remove([inflight(key)]);
		// Otherwise the create may have happened: the in-flight mark stays, and says so later.
	}

	/** End of the run: stores the creates for good and frees the keys of items never sent. */
	async finish(): Promise<void> {
		const unsent = [...this.claimed].filter(([itemIndex]) => !this.settled.has(itemIndex));
		if (unsent.length > 0) await this.remove(unsent.map(([, key]) => inflight(key)));
		if (this.created.length > 0) {
			await this.record(this.created.map(done));
			await this.recordDurably(this.created.map(done));
		}
	}

	/** Keys the store already knew: created before (skip) or still in flight elsewhere (fail). */
	private async sortKnown(known: string[], firstItemOfKey: Map<string, number>): Promise<void> {
		if (known.length === 0) return;
		// The store can only answer "was it there?" by recording it: a key that turns out not done
		// gets its done entry removed again at once.
		const { processed, new: notDone } = await this.record(known.map(done));
		if (notDone.length > 0) await this.remove(notDone.map(String));
		const created = new Set(processed.map((entry) => String(entry).slice('done:'.length)));
		for (const key of known) {
			const itemIndex = firstItemOfKey.get(key) as number;
			this.verdicts.set(
				itemIndex,
				created.has(key)
					? this.skipped(key, 'an earlier execution already created the order for this Shop Order Key, so it was not created again')
					: { error: this.mayExist(key, itemIndex) },
			);
		}
	}

	private skipped(orderKey: string, reason: string): OrderKeyVerdict {
		return { json: { skipped: true, orderKey, reason } };
	}

	private mayExist(key: string, itemIndex: number): NodeOperationError {
		return new NodeOperationError(
			this.context.getNode(),
			`Shop Order Key "${key}": an earlier execution sent this order and did not record the reply (it crashed, timed out or is still running), so it was not sent again. The order may exist: look for it in the vendor's system. If it does not, run this item again with the Shop Order Key changed (e.g. "${key}-retry") or left empty [item ${itemIndex}]`,
			{ itemIndex },
		);
	}

	/**
	 * Checks again after a pause that each entry is still there (another execution's stale
	 * rewrite may have dropped it), recording it again if not, until it stays.
	 */
	private async recordDurably(entries: string[]): Promise<void> {
		for (let round = 1; ; round++) {
			await sleep(SETTLE_MS);
			const { new: lost } = await this.record(entries);
			if (lost.length === 0) return;
			this.context.logger.warn(`Shop Order Key: ${lost.length} entries lost to a concurrent store write, recorded again (round ${round})`);
			if (round >= MAX_SETTLE_ROUNDS) {
				throw new NodeOperationError(this.context.getNode(), `Could not store the Shop Order Keys durably after ${round} attempts`);
			}
		}
	}

	private record(entries: string[]) {
		return this.storeCall(() => this.context.helpers.checkProcessedAndRecord(entries, SCOPE, STORE_OPTIONS));
	}

	private remove(entries: string[]) {
		return this.storeCall(() => this.context.helpers.removeProcessed(entries, SCOPE, STORE_OPTIONS));
	}

	/** Some store failures are another process's write at the same moment (two first inserts): try again. */
	private async storeCall<T>(call: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await serialized(call);
			} catch (error) {
				if (attempt >= STORE_ATTEMPTS) {
					throw new NodeOperationError(this.context.getNode(), `Could not read or write the Shop Order Keys in n8n's database: ${(error as Error).message}`);
				}
				await sleep(100 * attempt);
			}
		}
	}
}

function readOrderKey(item: ItemFields): string | undefined {
	const value = item.param<unknown>('options.orderKey', '');
	return item.isBlank(value) ? undefined : item.text('Shop Order Key', value, MAX_KEY_LENGTH);
}
