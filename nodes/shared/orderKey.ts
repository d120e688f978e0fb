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
import {
	entry,
	onCheck,
	onClaim,
	onOutcome,
	removals,
	stateFound,
	type KeyOutcome,
} from './keyProtocol';

export type { KeyOutcome } from './keyProtocol';

/**
 * Create keys (Shop Order Key and its kin): a create whose key an earlier execution created is
 * not sent again, also when that execution ran on another queue-mode worker. The tables are in
 * ./keyProtocol.ts, the long form in docs/queue-mode.md.
 *
 * THE STORE. n8n's processed-data store keeps, per node, one database row of entries. Every
 * call reads the row, changes it, writes it back whole, without a lock: a call that read before
 * ours wrote can put back a row without our change, and its answer (`new` or `processed`)
 * describes the row it read. The only way to ask "is this entry there?" is to record it.
 *
 * ONE RUN, per key: the claim call records `key:`, `open:` and a claim entry of its own; a free
 * key makes the run a claimant. After a pause it records its claim entry again (the check): still
 * there, it sends; gone, another claimant's write (or a stale one) took it. Two claims written at
 * about the same time cannot both survive: the later write holds only its own. A claim survives
 * its pause only if no call that read the row before the claim was written ends after the pause:
 * the pause is at least the MARGIN, so that takes a store call stalled for longer than that. A
 * key found open is waited for, up to the request timeout and the margin: its sender's confirm
 * (→ skipped) or release (→ claim it).
 *
 * A STORE CALL THAT FAILED may have written before it failed (a connection lost after the
 * commit). Every record call also records a witness of its own attempt, and a repeat records the
 * earlier witnesses again: none found, the repeat's answer is as good as a first one; one found,
 * what the repeat finds of the run's own entries may be that attempt's, so the run cannot tell
 * whether it is the key's claimant: it neither sends nor frees the key, and waits for it. A
 * removal that frees a key is never repeated; only its check (after a pause, by its claim entry)
 * can ask for it again. Removals of entries only this run can own (a confirm, its leftovers) are
 * simply repeated.
 *
 * INVARIANTS (docs/queue-mode.md; checked by test/shared/orderKey.model.test.ts):
 * - I1: at most one create per key reaches the vendor unless an earlier one certainly failed.
 * - I2: `skipped` only after a create the vendor confirmed.
 * - I3: a key stays open only when a request of it may have reached the vendor, or when the run
 *   says its key could not be freed.
 * - I4: every created order is reported with its id, also in a failed run (the runner's part).
 * - I5: no key stays claimed by a run that ended without sending it.
 */

const SCOPE = 'node';
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_CAPACITY };
/**
 * The margin: a store call of another process must stall longer than this, between reading and
 * writing the row, for two executions of one key to both send. The pause is never shorter.
 */
export const MARGIN_MS = 1_000;
/** The pause: ten times this process's slowest recent store call, within these bounds. */
const MIN_PAUSE_MS = MARGIN_MS;
const MAX_PAUSE_MS = 2_000;
const PAUSE_PER_CALL = 10;
/** A slow call counts for this long: the database may stay that slow for the other processes too. */
const SLOWEST_CALL_WINDOW_MS = 60_000;
/**
 * After each store call this process leaves the store alone for twice that call's time (at most
 * MAX_GAP_MS): two busy workers calling back to back would otherwise carry a stale row from one
 * overlapping call to the next.
 */
const GAP_PER_CALL = 2;
const MAX_GAP_MS = 200;
/** Rounds in a row that lose their claim, then the item fails, not sent. */
const CLAIM_ROUNDS = 3;
/** Rounds of removing and checking at the end of a run. */
const FINISH_ROUNDS = 4;
const STORE_ATTEMPTS = 3;
const MAX_KEY_LENGTH = 200;
/** How often a run waiting for another run's outcome looks again: first, then at most. */
const FIRST_LOOK_MS = 200;
const MAX_LOOK_MS = 5_000;

/** What the runner does with an item instead of sending it. */
export type OrderKeyVerdict =
	| { skipped: IDataObject }
	| { error: Error }
	/** An earlier item of this run has the same key: this one follows that item's outcome. */
	| { sameKeyAs: number; key: string };

/**
 * This process's store calls, one at a time (each reads and rewrites the same row, so that they
 * never undo each other), with the gap after each, and the timing the pause is made of.
 */
class ProcessStore {
	private readonly waiting: Array<() => Promise<void>> = [];
	private draining = false;
	private slowestCallMs = 0;
	private slowestCallAt = 0;
	private quietUntil = 0;

	pauseMs(): number {
		return Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, PAUSE_PER_CALL * this.slowestCallMs));
	}

	run<T>(call: () => Promise<T>): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const job = async () => {
				const gapLeft = this.quietUntil - Date.now();
				if (gapLeft >= 1) await sleep(gapLeft);
				const started = Date.now();
				try {
					resolve(await call());
				} catch (error) {
					reject(error);
				} finally {
					const tookMs = Date.now() - started;
					this.noteCallTime(tookMs);
					this.quietUntil = Date.now() + Math.min(MAX_GAP_MS, GAP_PER_CALL * tookMs);
				}
			};
			this.waiting.push(job);
			void this.drain();
		});
	}

	private async drain(): Promise<void> {
		if (this.draining) return;
		this.draining = true;
		try {
			for (let job = this.waiting.shift(); job; job = this.waiting.shift()) await job();
		} finally {
			this.draining = false;
		}
	}

	private noteCallTime(ms: number): void {
		const now = Date.now();
		if (ms >= this.slowestCallMs || now - this.slowestCallAt > SLOWEST_CALL_WINDOW_MS) {
			this.slowestCallMs = ms;
			this.slowestCallAt = now;
		}
	}
}

const store = new ProcessStore();

/** Work that goes on after the node returned: checks, leftovers, cancelled runs' keys. */
const background = new Set<Promise<unknown>>();

function inBackground(work: Promise<unknown>): void {
	const tracked = work.catch(() => undefined);
	background.add(tracked);
	void tracked.finally(() => background.delete(tracked));
}

/** Resolves once this process's key work after the node returned is over (tests wait for it). */
export async function keyWorkSettled(): Promise<void> {
	while (background.size > 0) await Promise.all([...background]);
}

function record(context: IExecuteFunctions, entries: string[]) {
	return context.helpers.checkProcessedAndRecord(entries, SCOPE, STORE_OPTIONS);
}

function remove(context: IExecuteFunctions, entries: string[]) {
	return context.helpers.removeProcessed(entries, SCOPE, STORE_OPTIONS);
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
	/** The witnesses of a check whose every attempt failed: one found later means it wrote. */
	failedCheck?: string[];
}

/** A store call failed every attempt. */
class StoreFailure extends Error {
	constructor(
		message: string,
		/** The failed attempts' witnesses. */
		readonly witnesses: string[],
	) {
		super(message);
	}
}

/** The witnesses of a store call's failed attempts, if it was one of `recordOwning`'s. */
const witnessesOf = (error: unknown): string[] =>
	error instanceof StoreFailure ? error.witnesses : [];

/** The order keys of one run, from claim to confirm or release. */
export class OrderKeys {
	private readonly verdicts = new Map<number, OrderKeyVerdict>();
	/** Claims this run won: it may send these items. */
	private readonly won = new Map<number, Claim>();
	/** Claims not known to be lost whose check never came (a cancel, a failed check). */
	private undecided: Claim[] = [];
	private readonly outcomes = new Map<number, KeyOutcome>();
	/** Keys whose store answer an earlier failed attempt may have written: waited for, never sent. */
	private readonly ambiguous = new Set<string>();
	/** Claim entries this run recorded and does not need: removed once nobody reads them. */
	private readonly leftovers = new Set<string>();

	private constructor(
		private readonly context: IExecuteFunctions,
		private readonly createKey: CreateKey,
	) {}

	/**
	 * Reads each ready item's key and decides what becomes of it: sent, skipped, or failed.
	 * Throws only for bad input (a bad or empty key without Continue On Fail, too many keys): a
	 * store failure becomes the item's error. Waits up to `waitMs` (and the margin) for keys
	 * another run is sending.
	 */
	static async claim(
		context: IExecuteFunctions,
		createKey: CreateKey,
		itemIndexes: number[],
		waitMs: number,
	): Promise<OrderKeys> {
		const keys = new OrderKeys(context, createKey);
		const firstItemOfKey = new Map<string, number>();
		const runParameters = new RunParameters(context);
		const optionSet = isSet(context.getNode().parameters.options, createKey.name);
		for (const itemIndex of itemIndexes) {
			let key: string | undefined;
			try {
				key = optionSet ? readKey(new ItemFields(runParameters, itemIndex), createKey) : undefined;
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
					`guard: n8n's store keeps ${STORE_CAPACITY} entries per node, and a run may use only part of them so ` +
					`that the other executions meanwhile keep theirs. Nothing was sent. Split the input into batches of at ` +
					`most ${MAX_KEYS_PER_RUN} items (e.g. with the Loop Over Items node)`,
			);
		}
		await keys.decide(firstItemOfKey, waitMs + MARGIN_MS);
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
	 * decides claims left undecided. Never throws: returns the items whose key could not be freed
	 * (their create certainly did not happen, but a later run will say it may exist). What only
	 * checks that done work held goes on after the node returned; after a cancel, all of it.
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
		inBackground(
			settling.then(({ unreleased }) => {
				if (unreleased.length === 0) return;
				const keys = this.keysOf(unreleased).map((key) => `"${key}"`);
				this.context.logger.warn(
					`${this.createKey.displayName} ${keys.join(', ')}: could not be freed in n8n's database after the execution ` +
						`was cancelled; a later run will say the order may exist`,
				);
			}),
		);
		return { unreleased: [] };
	}

	private keysOf(itemIndexes: number[]): string[] {
		const claims = [...this.undecided, ...this.won.values()];
		return itemIndexes.flatMap((itemIndex) =>
			claims.filter((claim) => claim.itemIndex === itemIndex).map((claim) => claim.key),
		);
	}

	/** Claim rounds until every key is decided: won, skipped, failed, or waited for too long. */
	private async decide(firstItemOfKey: Map<string, number>, waitMs: number): Promise<void> {
		const deadline = Date.now() + waitMs;
		const lostRounds = new Map<string, number>();
		let pending = [...firstItemOfKey.keys()];
		let waited = false;
		let lookMs = FIRST_LOOK_MS;
		while (pending.length > 0) {
			if (waited) {
				const leftMs = deadline - Date.now();
				if (leftMs <= 0 || !(await this.pauseUnlessCancelled(Math.min(lookMs, leftMs)))) {
					const why = leftMs <= 0 ? undefined : 'the execution was cancelled';
					for (const key of pending) {
						const itemIndex = firstItemOfKey.get(key) as number;
						this.verdicts.set(itemIndex, {
							error: this.ambiguous.has(key)
								? this.unsureError(key, itemIndex, 'a store call failed after it wrote')
								: why
									? this.notSent(key, itemIndex, why)
									: this.mayExist(key, itemIndex, waitMs),
						});
					}
					return;
				}
				lookMs = Math.min(MAX_LOOK_MS, lookMs * 2);
			}
			await this.removeLeftovers();
			const next = await this.round(pending, firstItemOfKey);
			for (const key of next.lost) lostRounds.set(key, (lostRounds.get(key) ?? 0) + 1);
			const outOfRounds = next.lost.filter(
				(key) => (lostRounds.get(key) as number) >= CLAIM_ROUNDS,
			);
			for (const key of outOfRounds) {
				const itemIndex = firstItemOfKey.get(key) as number;
				this.verdicts.set(itemIndex, {
					error: this.notSent(key, itemIndex, 'other executions kept rewriting it'),
				});
			}
			if (outOfRounds.length < next.lost.length) this.logLost(next.lost.length, lostRounds);
			pending = [...next.lost.filter((key) => !outOfRounds.includes(key)), ...next.waiting];
			// A lost claim is claimed again at once; a key another run holds is looked at again later.
			waited = next.lost.length === outOfRounds.length;
		}
	}

	/**
	 * One claim round for these keys (one store call for all, then the pause and the check for the
	 * claimants): sets the verdicts and wins it decides, returns the rest. A key whose answer an
	 * earlier, failed attempt may have written is waited for, like a key another run holds: this
	 * run cannot tell whether that attempt made it the key's claimant, so it neither sends nor
	 * frees it.
	 */
	private async round(
		keys: string[],
		firstItemOfKey: Map<string, number>,
	): Promise<{ lost: string[]; waiting: string[] }> {
		const nonce = newNonce();
		const claims: Claim[] = keys.map((key) => ({
			key,
			itemIndex: firstItemOfKey.get(key) as number,
			entry: entry.claim(key, nonce),
		}));
		const waiting: string[] = [];
		const wait = (claim: Claim, ambiguous: boolean) => {
			waiting.push(claim.key);
			this.leftovers.add(claim.entry);
			if (ambiguous) this.ambiguous.add(claim.key);
		};
		let answer: { found: Set<string>; ownFound: Set<string> };
		try {
			answer = await this.recordOwning(
				claims.flatMap((claim) => [entry.key(claim.key), entry.open(claim.key), claim.entry]),
				claims.map((claim) => claim.entry),
			);
		} catch (error) {
			// Every attempt failed, and any of them may have written: the keys may now say "may exist".
			for (const one of witnessesOf(error)) this.leftovers.add(one);
			for (const claim of claims) this.unsure(claim, error as Error);
			return { lost: [], waiting: [] };
		}
		const contenders: Claim[] = [];
		const probedOpen: string[] = [];
		for (const claim of claims) {
			if (answer.ownFound.has(claim.entry)) {
				wait(claim, true);
				continue;
			}
			const step =
				onClaim[
					stateFound({
						key: answer.found.has(entry.key(claim.key)),
						open: answer.found.has(entry.open(claim.key)),
					})
				];
			if (step === 'contend') contenders.push(claim);
			else if (step === 'wait') wait(claim, false);
			else {
				this.leftovers.add(claim.entry);
				this.verdicts.set(claim.itemIndex, this.skipped(claim.key));
				probedOpen.push(entry.open(claim.key));
			}
		}
		// Asking whether a done key is open recorded `open:`: removed before anyone reads it.
		if (probedOpen.length > 0) await this.removeOwn(probedOpen);
		if (contenders.length === 0) return { lost: [], waiting };

		this.undecided.push(...contenders);
		if (!(await this.pauseUnlessCancelled(store.pauseMs()))) {
			for (const claim of contenders)
				this.verdicts.set(claim.itemIndex, {
					error: this.notSent(claim.key, claim.itemIndex, 'the execution was cancelled'),
				});
			return { lost: [], waiting };
		}
		let checked: { found: Set<string>; ownFound: Set<string> };
		try {
			const entries = contenders.map((claim) => claim.entry);
			checked = await this.recordOwning(entries, entries);
		} catch (error) {
			// Still undecided: the end of the run decides them, by their claim entry after a pause,
			// unless one of these attempts turns out to have written it.
			for (const claim of contenders) {
				claim.failedCheck = witnessesOf(error);
				this.verdicts.set(claim.itemIndex, {
					error: this.notSent(claim.key, claim.itemIndex, (error as Error).message),
				});
			}
			return { lost: [], waiting };
		}
		this.undecided = this.undecided.filter((claim) => !contenders.includes(claim));
		const lost: string[] = [];
		for (const claim of contenders) {
			if (checked.ownFound.has(claim.entry)) wait(claim, true);
			else if (onCheck(checked.found.has(claim.entry)) === 'send')
				this.won.set(claim.itemIndex, claim);
			else {
				lost.push(claim.key);
				this.leftovers.add(claim.entry);
			}
		}
		return { lost, waiting };
	}

	/**
	 * Records entries; a failed call is repeated with the same entries. Each attempt also records
	 * a witness of its own, and a repeat records the earlier attempts' witnesses again: one found
	 * means an earlier attempt wrote before it failed. `ownFound`: the run's own entries a repeat
	 * found after such an attempt, which that attempt may have written (an attempt that wrote
	 * nothing leaves the repeat's answer as good as a first one).
	 */
	private async recordOwning(
		entries: string[],
		own: string[],
	): Promise<{ found: Set<string>; ownFound: Set<string> }> {
		const witnesses: string[] = [];
		let lastError: unknown;
		for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
			const witness = entry.witness(newNonce());
			try {
				const { processed } = await store.run(() =>
					record(this.context, [...entries, ...witnesses, witness]),
				);
				const found = new Set(processed.map(String));
				for (const one of [...witnesses, witness]) this.leftovers.add(one);
				const earlierWrote = witnesses.some((one) => found.has(one));
				return {
					found,
					ownFound: new Set(earlierWrote ? own.filter((one) => found.has(one)) : []),
				};
			} catch (error) {
				lastError = error;
				witnesses.push(witness);
				if (attempt < STORE_ATTEMPTS) await sleep(50 * attempt);
			}
		}
		// The caller removes these witnesses once nothing needs to read them.
		throw new StoreFailure((lastError as Error).message, witnesses);
	}

	/** A removal that is harmless to repeat: entries only this run can own, or a confirm of its own win. */
	private async removeOwn(entries: string[]): Promise<boolean> {
		for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
			try {
				await store.run(() => remove(this.context, entries));
				return true;
			} catch (error) {
				if (attempt === STORE_ATTEMPTS) {
					// Tried again with the leftovers: a probe's `open:` left would make a done key say "may exist".
					for (const one of entries) this.leftovers.add(one);
					this.context.logger.warn(`${this.createKey.displayName}: ${(error as Error).message}`);
					return false;
				}
				await sleep(50 * attempt);
			}
		}
		return false;
	}

	/** One attempt: a removal that frees a key, or a check that decides one, is never repeated blindly. */
	private async once<T>(call: () => Promise<T>): Promise<T> {
		return await store.run(call);
	}

	private async settleKeys(): Promise<{ unreleased: number[]; problem?: string }> {
		const confirming: Claim[] = [];
		const releasing: Array<Claim & { step: 'release' | 'decide' }> = this.undecided.map(
			(claim) => ({ ...claim, step: 'decide' as const }),
		);
		for (const claim of this.won.values()) {
			// Never settled: never sent, so released.
			const settle = onOutcome[this.outcomes.get(claim.itemIndex) ?? 'not-created'];
			if (settle === 'confirm') confirming.push(claim);
			else if (settle === 'release') releasing.push({ ...claim, step: 'release' });
		}
		if (confirming.length > 0) {
			const confirmed = await this.removeOwn(
				confirming.flatMap((claim) => removals('confirm', claim)),
			);
			if (!confirmed)
				this.context.logger.warn(
					`${this.createKey.displayName}: could not confirm ${confirming.length} created keys in n8n's database; a later ` +
						`run will say the order may exist`,
				);
		}
		const result = await this.releaseAndCheck(releasing);
		// A stale row written over a confirm brings its claim entry back: checked after a pause, in the background.
		inBackground(
			this.checkConfirms(confirming)
				.then(() => this.removeLeftovers())
				.then(() => sleep(store.pauseMs()))
				.then(() => this.removeLeftovers()),
		);
		return result;
	}

	/** Releases (and decisions of undecided claims), each checked after a pause and removed again if undone. */
	private async releaseAndCheck(
		claims: Array<Claim & { step: 'release' | 'decide' }>,
	): Promise<{ unreleased: number[]; problem?: string }> {
		const { left, problem } = await this.checkReleases(claims);
		if (left.length === 0) return { unreleased: [] };
		return { unreleased: left.map((claim) => claim.itemIndex), problem };
	}

	/**
	 * Removes the releases, then, after a pause, records each claim entry: still there means a
	 * stale row undid the removal (or, undecided, that the claim was still this run's), and it is
	 * removed again. Never repeats a removal after a check it cannot trust. The checks end within
	 * a few pauses: a later look could find only a copy of the claim entry a check itself wrote,
	 * and remove what a run that claimed the key since has recorded.
	 */
	private async checkReleases(
		claims: Array<Claim & { step: 'release' | 'decide' }>,
	): Promise<{ left: Claim[]; problem: string }> {
		let checking = claims;
		const removalsOf = (list: typeof checking) =>
			list.flatMap((claim) => (claim.step === 'release' ? removals('release', claim) : []));
		let removing = removalsOf(checking);
		let problem = 'other executions kept rewriting the store';
		const left: Claim[] = [];
		for (let round = 1; round <= FINISH_ROUNDS && checking.length > 0; round++) {
			if (removing.length > 0) {
				try {
					await this.once(() => remove(this.context, removing));
				} catch (error) {
					// It may have removed them: only the check after the pause can say.
					problem = (error as Error).message;
				}
				removing = [];
			}
			// Not cut by a cancel: releasing before another process's call ended could free a key another run won.
			await sleep(store.pauseMs());
			let back: Set<string>;
			// A failed check's witnesses are read once more here, and removed at the end either way.
			const earlier = checking.flatMap((claim) => claim.failedCheck ?? []);
			try {
				const entries = checking.map((claim) => claim.entry);
				const checked = await this.recordOwning([...entries, ...earlier], entries);
				// Found where an attempt wrote (this check's, or the failed check's): perhaps that
				// attempt's own entry. Removing then could free a key another run holds.
				const selfWritten = (claim: Claim) =>
					checked.found.has(claim.entry) &&
					(checked.ownFound.has(claim.entry) ||
						(claim.failedCheck ?? []).some((witness) => checked.found.has(witness)));
				const unsure = checking.filter(selfWritten);
				if (unsure.length > 0) {
					problem = 'a store call failed after it wrote';
					left.push(...unsure);
					checking = checking.filter((claim) => !selfWritten(claim));
				}
				back = checked.found;
			} catch (error) {
				problem = (error as Error).message;
				for (const witness of witnessesOf(error)) this.leftovers.add(witness);
				break;
			} finally {
				for (const witness of earlier) this.leftovers.add(witness);
			}
			for (const claim of checking) claim.failedCheck = undefined;
			for (const claim of checking) if (!back.has(claim.entry)) this.leftovers.add(claim.entry);
			const undone = checking.filter((claim) => back.has(claim.entry) && claim.step === 'release');
			if (undone.length > 0) this.logLostRemovals(undone.length, round);
			checking = checking
				.filter((claim) => back.has(claim.entry))
				.map((claim) => ({ ...claim, step: 'release' as const }));
			removing = removalsOf(checking);
		}
		return { left: [...left, ...checking], problem };
	}

	/**
	 * A confirm checked a pause later by its claim entry, and done again while that comes back: a
	 * stale row of another process can have undone it, which would make the key say "may exist"
	 * for ever. Its removals are this run's own (the key is done), so they are simply repeated.
	 */
	private async checkConfirms(confirming: Claim[]): Promise<void> {
		let checking = confirming;
		for (let round = 1; round <= FINISH_ROUNDS && checking.length > 0; round++) {
			await sleep(store.pauseMs());
			try {
				// A repeat that finds what its own attempt wrote only removes the confirm's entries again: harmless.
				const { processed } = await store.run(() =>
					record(
						this.context,
						checking.map((claim) => claim.entry),
					),
				);
				const back = new Set(processed.map(String));
				for (const claim of checking) if (!back.has(claim.entry)) this.leftovers.add(claim.entry);
				checking = checking.filter((claim) => back.has(claim.entry));
			} catch (error) {
				this.context.logger.warn(`${this.createKey.displayName}: ${(error as Error).message}`);
				continue;
			}
			if (checking.length === 0) return;
			this.logLostRemovals(checking.length, round);
			await this.removeOwn(checking.flatMap((claim) => removals('confirm', claim)));
		}
		if (checking.length === 0) return;
		const keys = checking.map((claim) => `"${claim.key}"`).join(', ');
		this.context.logger.warn(
			`${this.createKey.displayName} ${keys}: created, but the confirm could not be kept in n8n's database ` +
				`(other executions kept rewriting the store); a later run may say the ${this.createKey.guards} may exist`,
		);
	}

	/** Not awaited by anything: `npm run test:queue` counts these lines in the workers' logs. */
	private logLost(count: number, lostRounds: Map<string, number>): void {
		const round = Math.max(...lostRounds.values());
		this.context.logger.warn(
			`${this.createKey.displayName}: ${count} claims lost to a concurrent store write (round ${round}, pause ` +
				`${store.pauseMs()} ms)`,
		);
	}

	private logLostRemovals(count: number, round: number): void {
		this.context.logger.warn(
			`${this.createKey.displayName}: ${count} removals lost to a concurrent store write (round ${round}, pause ` +
				`${store.pauseMs()} ms)`,
		);
	}

	/** False when the execution was cancelled: nothing more is sent. */
	private async pauseUnlessCancelled(ms: number): Promise<boolean> {
		const cancel = this.context.getExecutionCancelSignal?.();
		try {
			await sleepWithAbort(ms, cancel);
		} catch {
			// Cancelled.
		}
		return cancel?.aborted !== true;
	}

	/**
	 * Left over, they only take room in the store; nothing reads them. All of them each time: a
	 * removal another process's stale row undid would otherwise stay for good, and a run waiting
	 * for a key leaves two per look.
	 */
	private async removeLeftovers(): Promise<void> {
		if (this.leftovers.size > 0) await this.removeOwn([...this.leftovers]);
	}

	/** A store failure that may have written: not sent, and the key may say "may exist" from now on. */
	private unsure(claim: Claim, error: Error): void {
		this.leftovers.add(claim.entry);
		this.verdicts.set(claim.itemIndex, {
			error: this.unsureError(claim.key, claim.itemIndex, error.message),
		});
	}

	private unsureError(key: string, itemIndex: number, why: string): NodeOperationError {
		const { displayName, guards } = this.createKey;
		return new NodeOperationError(
			this.context.getNode(),
			`Could not store the ${displayName} "${key}" in n8n's database (${why}). Nothing was sent, but its ` +
				`key could not be freed: a later run may say the ${guards} may exist. Look for it in the vendor's ` +
				`system first; if it is not there, run this item again with the ${displayName} changed (e.g. ` +
				`"${key}-retry") [item ${itemIndex}]`,
			{ itemIndex },
		);
	}

	private skipped(orderKey: string): OrderKeyVerdict {
		const { guards, displayName } = this.createKey;
		return {
			skipped: {
				skipped: true,
				orderKey,
				reason: `an earlier execution already created the ${guards} for this ${displayName}, so it was not created again`,
			},
		};
	}

	private mayExist(key: string, itemIndex: number, waitedMs: number): NodeOperationError {
		const { guards, displayName } = this.createKey;
		return new NodeOperationError(
			this.context.getNode(),
			`${displayName} "${key}": an earlier execution sent this ${guards} and its reply was not recorded within ` +
				`${Math.round(waitedMs / 1000)} s (it crashed, timed out or is still running), so it was not sent again. The ` +
				`${guards} may exist: look for it in the vendor's system. If it does not, run this item again with the ` +
				`${displayName} changed (e.g. "${key}-retry") [item ${itemIndex}]`,
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
}

/** Whether the node's Options hold this key at all: then every item must have one. */
function isSet(options: unknown, name: string): boolean {
	const value = (options as Record<string, unknown> | undefined)?.[name];
	if (value === undefined || value === null) return false;
	return !(typeof value === 'string' && ['', '='].includes(value.trim()));
}

/** The key the operation declares, under the node's Options; an empty one is refused. */
function readKey(item: ItemFields, { name, displayName, guards }: CreateKey): string {
	const value = item.param<unknown>(`options.${name}`, '');
	if (item.isBlank(value))
		item.fail(
			displayName,
			`is empty for this item, so it could be created twice: nothing was sent for it. Give every item a key (the ` +
				`shop's own ${guards} ID), or remove the option`,
		);
	return item.text(displayName, value, MAX_KEY_LENGTH);
}
