/**
 * The create keys' protocol as tables: what each store call's answer means for a key, and what
 * a sent request's outcome does to it. nodes/shared/orderKey.ts runs these tables against n8n's
 * store; docs/queue-mode.md prints the same tables (test/shared/keyProtocol.test.ts compares
 * them), and the model test checks the whole under every interleaving it finds.
 */

/** The entries of a key `k` in the node's store. */
export const entry = {
	/** Someone claimed k. */
	key: (key: string) => `key:${key}`,
	/** k's create is not confirmed (a negative mark: "done" is `key:` without it). */
	open: (key: string) => `open:${key}`,
	/** One claimant's own mark, new for every claim call. */
	claim: (key: string, nonce: string) => `claim:${key}:${nonce}`,
	/** Recorded with every attempt of a store call: a repeat that finds it knows that attempt wrote. */
	witness: (nonce: string) => `attempt:${nonce}`,
};

/** What a key was when the claim call recorded `key:`, `open:` and its claim entry. */
export type KeyState = 'free' | 'open' | 'done';

export function stateFound(found: { key: boolean; open: boolean }): KeyState {
	if (!found.key) return 'free';
	return found.open ? 'open' : 'done';
}

/** What the run then does with the key. */
export type Step =
	/** pause, then record its claim entry again (the check) */
	| 'contend'
	/** look again later (a new claim call), until the key is free or done or the wait is over */
	| 'wait'
	/** output the item as skipped, and remove the `open:` just recorded */
	| 'skip'
	/** claim again in a new round: another claimant's write, or a stale one, took its claim away */
	| 'claim-again'
	/** send the request */
	| 'send';

export const onClaim: Record<KeyState, Step> = { free: 'contend', open: 'wait', done: 'skip' };

/** The check, after the pause: the claim entry found again, or not. */
export const onCheck = (claimFound: boolean): Step => (claimFound ? 'send' : 'claim-again');

/** What a sent request did, as far as its key is concerned. */
export type KeyOutcome = 'created' | 'not-created' | 'unknown';

/** What the end of the run does with a key it sent (or won and never sent). */
export type Settle = 'confirm' | 'release' | 'keep';

export const onOutcome: Record<KeyOutcome, Settle> = {
	created: 'confirm',
	'not-created': 'release',
	unknown: 'keep',
};

/** The entries each settle removes. */
export function removals(
	settle: Exclude<Settle, 'keep'>,
	claim: { key: string; entry: string },
): string[] {
	if (settle === 'confirm') return [entry.open(claim.key), claim.entry];
	return [entry.key(claim.key), entry.open(claim.key), claim.entry];
}
