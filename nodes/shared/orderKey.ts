import {
	NodeOperationError,
	sleep,
	type ICheckProcessedOptions,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import type { CreateKey } from './createKey';
import { ItemFields, RunParameters } from './fields';
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
 * a pause and recorded again if it was lost (see README, "Queue mode", for what this leaves).
 */

const SCOPE = 'node';
/** Two entries per order: the newest 10,000 entries remember about the last 5,000 orders. */
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: 10_000 };
/**
 * The pause must outlast another process's store call from its read to its write. Those take
 * as long as ours (same database, same kind of process), so it is a few times the slowest store
 * call this process has seen lately, and never below MIN_SETTLE_MS.
 */
const MIN_SETTLE_MS = 1_000;
const SETTLE_PER_CALL = 3;
const SLOWEST_CALL_DECAY = 0.99;
/** Each round after a loss waits twice as long: the other process may be slower than this one. */
const MAX_SETTLE_ROUNDS = 6;
const STORE_ATTEMPTS = 3;
const MAX_KEY_LENGTH = 200;

const inflight = (key: string) => `inflight:${key}`;
const done = (key: string) => `done:${key}`;

/** What the runner does with an item instead of sending it. */
export type OrderKeyVerdict = { json: IDataObject } | { error: Error };

// One n8n process runs many executions at once, and each store call reads and rewrites the same
// row: calls from this process go one at a time, so that they at least never undo each other.
let storeQueue: Promise<unknown> = Promise.resolve();

let slowestCallMs = 0;

function settleMs(): number {
	return Math.max(MIN_SETTLE_MS, SETTLE_PER_CALL * slowestCallMs);
}

function serialized<T>(call: () => Promise<T>): Promise<T> {
	const timed = async () => {
		const started = Date.now();
		try {
			return await call();
		} finally {
			slowestCallMs = Math.max(Date.now() - started, slowestCallMs * SLOWEST_CALL_DECAY);
		}
	};
	const result = storeQueue.then(timed, timed);
	storeQueue = result.catch(() => undefined);
	return result;
}

/** A request that never left this machine, or that the vendor refused, created nothing. */
function certainlyNotCreated(outcome: SendOutcome): boolean {
	if (outcome.ok) return false;
	const { fate, httpCode } = outcome.facts;
	if (fate === 'not-sent') return true;
	// A 5xx may come from a proxy that gave up while the vendor went on: unknown.
	return fate === 'rejected' && httpCode !== undefined && httpCode < 500;
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
	static async claim(context: IExecuteFunctions, createKey: CreateKey, itemIndexes: number[]): Promise<OrderKeys> {
		const keys = new OrderKeys(context);
		const firstItemOfKey = new Map<string, number>();
		const parameters = new RunParameters(context);
		for (const itemIndex of itemIndexes) {
			let key: string | undefined;
			try {
				key = readKey(new ItemFields(parameters, itemIndex), createKey);
			} catch (error) {
				// Like every other field of a create: a bad key stops the batch before anything is sent.
				if (!context.continueOnFail()) throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
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
			if (!(await keys.recordDurably(claims))) {
				await keys.remove(claims);
				throw new NodeOperationError(
					context.getNode(),
					"Could not store the Shop Order Keys in n8n's database: other executions kept overwriting them. Nothing was sent; run these items again",
				);
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
		if (this.created.length === 0) return;
		await this.record(this.created.map(done));
		// The orders exist and the items say so; the last round recorded the keys again, so they are
		// most likely there, and a failure here must not hide the created orders.
		if (!(await this.recordDurably(this.created.map(done)))) {
			this.context.logger.warn(`Shop Order Key: could not confirm that ${this.created.length} created orders' keys are stored`);
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
	 * rewrite may have dropped it), recording it again if not, until it stays. False when it
	 * did not stay within MAX_SETTLE_ROUNDS.
	 */
	private async recordDurably(entries: string[]): Promise<boolean> {
		for (let round = 1; round <= MAX_SETTLE_ROUNDS; round++) {
			const pauseMs = settleMs() * 2 ** (round - 1);
			await sleep(pauseMs);
			const { new: lost } = await this.record(entries);
			if (lost.length === 0) return true;
			this.context.logger.warn(
				`Shop Order Key: ${lost.length} entries lost to a concurrent store write, recorded again (round ${round}, pause ${pauseMs} ms)`,
			);
		}
		return false;
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

/** The key the operation declares, under the node's Options. */
function readKey(item: ItemFields, { name, displayName }: CreateKey): string | undefined {
	const value = item.param<unknown>(`options.${name}`, '');
	return item.isBlank(value) ? undefined : item.text(displayName, value, MAX_KEY_LENGTH);
}
