import {
	NodeOperationError,
	sleep,
	sleepWithAbort,
	type ICheckProcessedOptions,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import type { CreateKey } from './createKey';
import { ItemFields, RunParameters } from './fields';
import { MAX_KEYS_PER_RUN, STORE_CAPACITY } from './keyLimits';

/**
 * Order keys: a create whose key an earlier execution already created is not sent again, also
 * when that execution ran on another queue-mode worker. docs/queue-mode.md has the long form.
 *
 * THE STORE. n8n's processed-data store (the one Remove Duplicates uses) keeps, per node, one
 * database row of entries. Every call reads the row, changes it, writes it back whole, without a
 * lock: a call that read before ours wrote can put back a row without our change (a lost
 * update), and its answer (`new` or `processed`) reflects the row it read. It can only answer
 * "was this entry there?" by recording it. It keeps the newest `maxEntries` entries.
 *
 * ENTRIES, per key k: `key:k` (claimed once), `open:k` (its create not confirmed), and one
 * `claim:k:<nonce>` per claimant and round, recorded together in one call and so present or
 * lost together.
 *
 * STATES of a key, as the next execution reads them (one call recording all three entries):
 * - free: no `key:k`. The call just recorded all three: this run is a claimant.
 * - open: `key:k` and `open:k`. An execution sent it and its outcome is not confirmed (still
 *   running, crashed, or the reply did not say): the item fails with "may exist".
 * - done: `key:k` without `open:k`. The vendor confirmed the create: the item is skipped. The call
 *   recorded `open:k` on the way; it is removed at once.
 *
 * TRANSITIONS of one run's key:
 * - claim: free → claimant. After one pause the run records its own claim entry again: still
 *   there, it won and sends; gone, it lost (another claimant's write, or any stale rewrite, took
 *   it away) and looks again in a new round, where it finds the key open (another won), done, or
 *   free (all lost: claims again). At most CLAIM_ROUNDS rounds, then the item fails, not sent.
 * - confirm: the vendor answered with the new record's id → remove `open:k` and the claim (→ done).
 * - release: the request certainly created nothing (never left, or refused with 4xx), or the run
 *   ended before sending it, or it never learnt whether it won → remove all three (→ free).
 * - anything else (5xx, no reply, a cut or unreadable 2xx, cancel while waiting) stays open.
 * A confirm or release is checked after a pause: its claim entry back means a stale rewrite
 *   undid the removal, and it is removed again. Lost claim entries of losers are removed at the end.
 *
 * LEGACY ENTRIES. Version 0.1.0 recorded `inflight:k` before sending and `done:k` after a
 * confirmed create, in the same store. Once a run has WON k, and before sending, it records both
 * for all its won keys in one call (the only way to ask whether they are there) and removes, in one
 * more call, those it has just written. `done:k` was there: the item is skipped and k is confirmed
 * (→ done). `inflight:k` alone: an old run may have sent it, the item fails with "may exist" and k
 * stays open. This is only safe after winning: no other new-protocol execution of k is then past
 * its claim (they find k open, or lost), so none can take our temporary `done:k` for an old
 * create. A stale rewrite can bring a temporary entry back after its removal; it is harmless while
 * k is open or done, and a release of k removes the run's temporary entries again with its own.
 *
 * CANCEL. A cancel cuts every pause at once: the pause before sending (the claim is then decided
 * at the end) and the end of the run, whose confirms and releases, with their checking pauses,
 * go on in the background after the node has returned (bounded by FINISH_ROUNDS pauses). If the
 * process stops first, the keys concerned say "may exist" later: the price of an immediate cancel,
 * on the safe side (a release needs its pause: a claim not yet decided may have lost to a run
 * that is sending, and removing `key:k` then would free k under it).
 *
 * INVARIANTS (checked by test/shared/orderKey.model.test.ts under every interleaving it finds):
 * - I1: at most one create per key reaches the vendor unless an earlier one certainly failed.
 * - I2: `skipped` only after a create the vendor confirmed.
 * - I3: a key stays open only when a request of it may have reached the vendor (or the item says
 *   its key could not be freed: other processes' calls undid every release round).
 * - I4: every created order is reported with its id, also in a failed run (the runner's part).
 * - I5: no key stays claimed by a run that ended without sending it.
 *
 * ASSUMPTION (the pause): every pause contains a moment when no other store call of this node is
 * between its read and its write. Calls from this process are queued, so this is about other
 * processes: their calls must finish within the pause, and not follow each other without a gap.
 * Then a claim entry present after the pause stays, and two claimants never both find theirs:
 * a row holding one claim also holds `key:k`, so no claimant's read can have held the other's.
 * When a store call outlasts the pause, two executions of one key can both send (the model's
 * second property shows it; README "Queue mode" states it).
 */

const SCOPE = 'node';
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_CAPACITY };
/**
 * The pause: several times this process's slowest recent store call (another process's calls
 * take about as long), within fixed bounds, so one slow call cannot stretch later pauses further.
 */
const MIN_PAUSE_MS = 100;
const MAX_PAUSE_MS = 2_000;
const PAUSE_PER_CALL = 5;
/** A slow call counts for this long: the database may stay that slow for the other processes too. */
const SLOWEST_CALL_WINDOW_MS = 60_000;
/**
 * After each store call this process leaves the store alone for twice that call's time (at most
 * MAX_GAP_MS): two busy workers calling back to back would otherwise keep a stale row alive past
 * any pause, one overlapping call after the other. The gaps give the pause its quiet moment.
 */
const GAP_PER_CALL = 2;
const MAX_GAP_MS = 200;
const CLAIM_ROUNDS = 3;
const FINISH_ROUNDS = 4;
const STORE_ATTEMPTS = 3;
const MAX_KEY_LENGTH = 200;

const keyEntry = (key: string) => `key:${key}`;
const openEntry = (key: string) => `open:${key}`;
/** Version 0.1.0's entries: a confirmed create, and a request sent (its outcome then unknown). */
const legacyDoneEntry = (key: string) => `done:${key}`;
const legacyInflightEntry = (key: string) => `inflight:${key}`;

/** What the runner does with an item instead of sending it. */
export type OrderKeyVerdict =
	| { skipped: IDataObject }
	| { error: Error }
	/** An earlier item of this run has the same key: this one follows that item's outcome. */
	| { sameKeyAs: number; key: string };

/** What a sent request did, as far as the key is concerned. */
export type KeyOutcome = 'created' | 'not-created' | 'unknown';

// One n8n process runs many executions at once, and each store call reads and rewrites the same
// row: calls from this process go one at a time, so that they at least never undo each other.
let storeQueue: Promise<unknown> = Promise.resolve();
let slowestCallMs = 0;
let slowestCallAt = 0;

function pauseMs(): number {
	return Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, PAUSE_PER_CALL * slowestCallMs));
}

function noteCallTime(ms: number): void {
	const now = Date.now();
	if (ms >= slowestCallMs || now - slowestCallAt > SLOWEST_CALL_WINDOW_MS) {
		slowestCallMs = ms;
		slowestCallAt = now;
	}
}

let storeQuietUntil = 0;

function serialized<T>(call: () => Promise<T>): Promise<T> {
	const timed = async () => {
		// The gap is waited out by the next call, so that nothing is left waiting when none comes.
		const gapLeft = storeQuietUntil - Date.now();
		if (gapLeft >= 1) await sleep(gapLeft);
		const started = Date.now();
		try {
			return await call();
		} finally {
			const tookMs = Date.now() - started;
			noteCallTime(tookMs);
			storeQuietUntil = Date.now() + Math.min(MAX_GAP_MS, GAP_PER_CALL * tookMs);
		}
	};
	const result = storeQueue.then(timed, timed);
	storeQueue = result.catch(() => undefined);
	return result;
}

let nonceCounter = 0;
/** Unique across processes and runs: it tells this run's claim from every other's. */
function newNonce(): string {
	return `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}.${(nonceCounter++).toString(36)}`;
}

interface Claim {
	itemIndex: number;
	key: string;
	entry: string;
	/** Legacy entries this run recorded while looking for them: a release removes them again. */
	legacyWritten?: string[];
}

/** End-of-run work of cancelled executions, still going on after their node returned. */
const settlingAfterCancel = new Set<Promise<unknown>>();

/** Resolves once the end-of-run work of every cancelled execution in this process is over (tests wait for it). */
export async function cancelledRunsSettled(): Promise<void> {
	while (settlingAfterCancel.size > 0) await Promise.all([...settlingAfterCancel]);
}

/** The order keys of one run, from claim to confirm or release. */
export class OrderKeys {
	private readonly verdicts = new Map<number, OrderKeyVerdict>();
	/** Claims this run won: it may send these items. */
	private readonly won = new Map<number, Claim>();
	/** Claims whose pause a cancel cut short: whether they won is decided at the end. */
	private undecided: Claim[] = [];
	private readonly outcomes = new Map<number, KeyOutcome>();
	/** Claim entries this run recorded and does not need: removed at the end. */
	private readonly leftovers = new Set<string>();

	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly createKey: CreateKey,
	) {}

	/**
	 * Reads each ready item's key and claims the new ones (items without a key are not guarded).
	 * Throws only for bad input (a bad key without Continue On Fail, too many keys): a store
	 * failure becomes each unclaimed item's error, and nothing is sent for those.
	 */
	static async claim(
		context: IExecuteFunctions,
		createKey: CreateKey,
		itemIndexes: number[],
	): Promise<OrderKeys> {
		const keys = new OrderKeys(context, createKey);
		const firstItemOfKey = new Map<string, number>();
		const runParameters = new RunParameters(context);
		for (const itemIndex of itemIndexes) {
			let key: string | undefined;
			try {
				key = readKey(new ItemFields(runParameters, itemIndex), createKey);
			} catch (error) {
				// Like every other field of a create: a bad key stops the batch before anything is sent.
				if (!context.continueOnFail())
					throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
				keys.verdicts.set(itemIndex, { error: error as Error });
			}
			if (key === undefined) continue;
			const first = firstItemOfKey.get(key);
			if (first === undefined) firstItemOfKey.set(key, itemIndex);
			else keys.verdicts.set(itemIndex, { sameKeyAs: first, key });
		}
		if (firstItemOfKey.size > MAX_KEYS_PER_RUN) {
			throw new NodeOperationError(
				context.getNode(),
				`${firstItemOfKey.size} items have a ${createKey.displayName}, more than the ${MAX_KEYS_PER_RUN} one run can ` +
					`guard: n8n's store keeps ${STORE_OPTIONS.maxEntries} entries per node and a run needs three per key. Nothing ` +
					`was sent. Split the input into batches of at most ${MAX_KEYS_PER_RUN} items (e.g. with the Loop Over Items ` +
					`node)`,
			);
		}
		try {
			await keys.claimRounds(firstItemOfKey);
		} catch (error) {
			// A store failure (all that can throw there). Not one of them is sent: the claims won so far,
			// never settled, are released at the end.
			for (const [key, itemIndex] of firstItemOfKey) {
				if (!keys.verdicts.has(itemIndex))
					keys.verdicts.set(itemIndex, {
						error: keys.notSent(key, itemIndex, (error as Error).message),
					});
			}
		}
		await keys.checkLegacyEntries();
		return keys;
	}

	get label(): string {
		return this.createKey.displayName;
	}

	/** Skip, failure or follow-the-first for an item that must not be sent; undefined when it may be sent. */
	verdict(itemIndex: number): OrderKeyVerdict | undefined {
		return this.verdicts.get(itemIndex);
	}

	/** After an item's request, what it did; an item never settled was never sent. */
	settle(itemIndex: number, outcome: KeyOutcome): void {
		if (this.won.has(itemIndex)) this.outcomes.set(itemIndex, outcome);
	}

	/**
	 * End of the run: confirms the created keys, releases those not sent or certainly not created,
	 * decides claims a cancel left open. Never throws: returns the items whose key could not be
	 * released (their create certainly did not happen, but a later run will say it may exist).
	 */
	async finish(): Promise<{ unreleased: number[]; problem?: string }> {
		const cancel = this.context.getExecutionCancelSignal?.();
		const settling = this.settleKeys();
		let onCancel: (() => void) | undefined;
		const cancelled = new Promise<undefined>((resolve) => {
			onCancel = () => resolve(undefined);
			if (cancel?.aborted) resolve(undefined);
			else cancel?.addEventListener('abort', onCancel, { once: true });
		});
		const settled = await Promise.race([settling, cancelled]);
		if (onCancel) cancel?.removeEventListener('abort', onCancel);
		if (settled) return settled;
		// Cancelled: the node returns now, its keys are settled in the background.
		const background = settling.then(({ unreleased }) => {
			if (unreleased.length === 0) return;
			const keys = this.keysOf(unreleased).map((key) => `"${key}"`);
			this.context.logger.warn(
				`${this.createKey.displayName} ${keys.join(', ')}: could not be freed in n8n's database after the execution was ` +
					`cancelled; a later run will say the order may exist`,
			);
		});
		settlingAfterCancel.add(background);
		void background.finally(() => settlingAfterCancel.delete(background));
		return { unreleased: [] };
	}

	private keysOf(itemIndexes: number[]): string[] {
		const claims = [...this.undecided, ...this.won.values()];
		return itemIndexes.flatMap((itemIndex) =>
			claims.filter((claim) => claim.itemIndex === itemIndex).map((claim) => claim.key),
		);
	}

	private async settleKeys(): Promise<{ unreleased: number[]; problem?: string }> {
		let checking: Array<Claim & { step: 'confirm' | 'release' | 'decide' }> = this.undecided.map(
			(claim) => ({ ...claim, step: 'decide' }),
		);
		for (const claim of this.won.values()) {
			const outcome = this.outcomes.get(claim.itemIndex);
			// 'unknown': the create may have happened; the key stays open and says so later.
			if (outcome !== 'unknown')
				checking.push({ ...claim, step: outcome === 'created' ? 'confirm' : 'release' });
		}
		const removalsOf = (claims: typeof checking) =>
			claims.flatMap((claim) =>
				claim.step === 'confirm'
					? [openEntry(claim.key), claim.entry]
					: claim.step === 'release'
						? [...claimEntries(claim), ...(claim.legacyWritten ?? [])]
						: [],
			);
		let removals = removalsOf(checking);
		let problem: string | undefined;
		for (let round = 1; round <= FINISH_ROUNDS && checking.length > 0; round++) {
			try {
				// Only removals that are ours: after a failed check they could hit a key another run claimed since.
				if (removals.length > 0) await this.remove(removals);
				removals = [];
				// Not cut by a cancel (finish lets it go on in the background): releasing before another
				// process's call ended could free a key another execution won.
				await sleep(pauseMs());
				const { processed } = await this.record(checking.map((claim) => claim.entry));
				const back = new Set(processed.map(String));
				for (const claim of checking) if (!back.has(claim.entry)) this.leftovers.add(claim.entry);
				// A claim entry still there means a stale rewrite undid its removal, or, undecided, that it won.
				const undone = checking.filter(
					(claim) => back.has(claim.entry) && claim.step !== 'decide',
				).length;
				if (undone > 0) this.logLost(`${undone} removals`, round);
				checking = checking
					.filter((claim) => back.has(claim.entry))
					.map((claim) =>
						claim.step === 'decide' ? { ...claim, step: 'release' as const } : claim,
					);
				removals = removalsOf(checking);
				problem = undefined;
			} catch (error) {
				problem = (error as Error).message;
			}
		}
		const unconfirmed = checking.filter((claim) => claim.step === 'confirm').length;
		if (unconfirmed > 0) {
			this.context.logger.warn(
				`${this.createKey.displayName}: could not confirm ${unconfirmed} created keys in n8n's database`,
			);
		}
		await this.removeLeftovers();
		const unreleased = checking
			.filter((claim) => claim.step !== 'confirm')
			.map((claim) => claim.itemIndex);
		return unreleased.length > 0
			? { unreleased, problem: problem ?? 'other executions kept rewriting the store' }
			: { unreleased };
	}

	private async claimRounds(firstItemOfKey: Map<string, number>): Promise<void> {
		let pending = [...firstItemOfKey.keys()];
		for (let round = 1; pending.length > 0 && round <= CLAIM_ROUNDS; round++) {
			const nonce = newNonce();
			const claims = pending.map((key) => ({
				key,
				itemIndex: firstItemOfKey.get(key) as number,
				entry: `claim:${key}:${nonce}`,
			}));
			const { processed } = await this.record(claims.flatMap(claimEntries));
			const present = new Set(processed.map(String));
			const contenders: Claim[] = [];
			const probedOpen: string[] = [];
			for (const claim of claims) {
				this.leftovers.add(claim.entry);
				if (!present.has(keyEntry(claim.key))) contenders.push(claim);
				else if (present.has(openEntry(claim.key)))
					this.verdicts.set(claim.itemIndex, { error: this.mayExist(claim.key, claim.itemIndex) });
				else {
					this.verdicts.set(claim.itemIndex, this.skipped(claim.key));
					probedOpen.push(openEntry(claim.key));
				}
			}
			// Asking whether a done key is open recorded `open:`: remove it before anyone reads it.
			if (probedOpen.length > 0) await this.remove(probedOpen);
			if (contenders.length === 0) return;

			this.undecided = contenders;
			if (!(await this.pauseUnlessCancelled())) {
				for (const claim of contenders) {
					this.verdicts.set(claim.itemIndex, {
						error: this.notSent(claim.key, claim.itemIndex, 'the execution was cancelled'),
					});
				}
				return;
			}
			const { processed: kept } = await this.record(contenders.map((claim) => claim.entry));
			const stayed = new Set(kept.map(String));
			this.undecided = [];
			pending = [];
			for (const claim of contenders) {
				if (stayed.has(claim.entry)) {
					this.won.set(claim.itemIndex, claim);
					this.leftovers.delete(claim.entry);
				} else pending.push(claim.key);
			}
			if (pending.length > 0) this.logLost(`${pending.length} claims`, round);
		}
		for (const key of pending) {
			const itemIndex = firstItemOfKey.get(key) as number;
			this.verdicts.set(itemIndex, {
				error: this.notSent(key, itemIndex, 'other executions kept rewriting it'),
			});
		}
	}

	/**
	 * Looks for version 0.1.0's entries of the keys this run won (see LEGACY ENTRIES above): only
	 * after winning, so that no other new-protocol execution of a key sees our temporary entries.
	 */
	private async checkLegacyEntries(): Promise<void> {
		const claims = [...this.won.values()].filter((claim) => !this.verdicts.has(claim.itemIndex));
		if (claims.length === 0) return;
		let written: Set<string>;
		let found: Set<string>;
		try {
			const { processed, new: recorded } = await this.record(
				claims.flatMap((claim) => [legacyDoneEntry(claim.key), legacyInflightEntry(claim.key)]),
			);
			found = new Set(processed.map(String));
			written = new Set(recorded.map(String));
		} catch (error) {
			// Not knowing whether 0.1.0 sent them, none is sent; the claims are released at the end.
			for (const claim of claims)
				this.verdicts.set(claim.itemIndex, {
					error: this.notSent(claim.key, claim.itemIndex, (error as Error).message),
				});
			return;
		}
		for (const claim of claims) {
			claim.legacyWritten = [legacyDoneEntry(claim.key), legacyInflightEntry(claim.key)].filter(
				(entry) => written.has(entry),
			);
			if (found.has(legacyDoneEntry(claim.key))) {
				this.verdicts.set(claim.itemIndex, this.skipped(claim.key));
				this.outcomes.set(claim.itemIndex, 'created');
			} else if (found.has(legacyInflightEntry(claim.key))) {
				this.verdicts.set(claim.itemIndex, { error: this.mayExist(claim.key, claim.itemIndex) });
				this.outcomes.set(claim.itemIndex, 'unknown');
			}
		}
		if (written.size === 0) return;
		try {
			await this.remove([...written]);
		} catch (error) {
			// Harmless while the key is open or done; a release removes them with its own entries.
			this.context.logger.warn(`${this.createKey.displayName}: ${(error as Error).message}`);
		}
	}

	/** Not awaited by anything: `npm run test:queue` counts these lines in the workers' logs. */
	private logLost(what: string, round: number): void {
		this.context.logger.warn(
			`${this.createKey.displayName}: ${what} lost to a concurrent store write (round ${round}, pause ${pauseMs()} ms)`,
		);
	}

	/** False when the execution was cancelled: nothing more is sent. */
	private async pauseUnlessCancelled(): Promise<boolean> {
		const cancel = this.context.getExecutionCancelSignal?.();
		try {
			await sleepWithAbort(pauseMs(), cancel);
		} catch {
			// Cancelled.
		}
		return cancel?.aborted !== true;
	}

	private async removeLeftovers(): Promise<void> {
		if (this.leftovers.size === 0) return;
		try {
			await this.remove([...this.leftovers]);
		} catch (error) {
			// Left over, they only take room in the store; nothing reads them.
			this.context.logger.warn(`${this.createKey.displayName}: ${(error as Error).message}`);
		}
	}

	private skipped(orderKey: string): OrderKeyVerdict {
		return {
			skipped: {
				skipped: true,
				orderKey,
				reason:
					`an earlier execution already created the order for this ${this.createKey.displayName}, so it was not ` +
					`created again`,
			},
		};
	}

	private mayExist(key: string, itemIndex: number): NodeOperationError {
		const label = this.createKey.displayName;
		return new NodeOperationError(
			this.context.getNode(),
			`${label} "${key}": an earlier execution sent this order and did not record the reply (it crashed, timed ` +
				`out or is ` +
				`still running), so it was not sent again. The order may exist: look for it in the vendor's system. If it does ` +
				`not, run this item again with the ${label} changed (e.g. "${key}-retry") or left empty [item ${itemIndex}]`,
			{ itemIndex },
		);
	}

	private notSent(key: string, itemIndex: number, why: string): NodeOperationError {
		return new NodeOperationError(
			this.context.getNode(),
			`Could not store the ${this.createKey.displayName} "${key}" in n8n's database (${why}). Nothing was ` +
				`sent: run this item again [item ${itemIndex}]`,
			{ itemIndex },
		);
	}

	private record(entries: string[]) {
		return this.storeCall(() =>
			this.context.helpers.checkProcessedAndRecord(entries, SCOPE, STORE_OPTIONS),
		);
	}

	private remove(entries: string[]) {
		return this.storeCall(() =>
			this.context.helpers.removeProcessed(entries, SCOPE, STORE_OPTIONS),
		);
	}

	/** Some store failures are another process's write at the same moment (two first inserts): try again. */
	private async storeCall<T>(call: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await serialized(call);
			} catch (error) {
				if (attempt >= STORE_ATTEMPTS)
					throw new NodeOperationError(this.context.getNode(), (error as Error).message);
				await sleep(50 * attempt);
			}
		}
	}
}

function claimEntries(claim: Claim): string[] {
	return [keyEntry(claim.key), openEntry(claim.key), claim.entry];
}

/** The key the operation declares, under the node's Options. */
function readKey(item: ItemFields, { name, displayName }: CreateKey): string | undefined {
	const value = item.param<unknown>(`options.${name}`, '');
	return item.isBlank(value) ? undefined : item.text(displayName, value, MAX_KEY_LENGTH);
}
