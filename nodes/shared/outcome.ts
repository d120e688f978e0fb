import type { IDataObject } from 'n8n-workflow';

/**
 * What became of one item. `unknown`: its request may have taken effect at the vendor though no
 * usable reply came back (a timeout, a cut reply, a reply without the new record's id).
 */
export type ItemResult =
	| { status: 'done'; output: IDataObject }
	/** Not sent: its key's order was created before (a Shop Order Key). */
	| { status: 'skipped'; output: IDataObject }
	| ItemFailure;

export interface ItemFailure {
	status: 'failed' | 'unknown';
	error: Error & { description?: string | null };
}

/**
 * Thrown by an operation's `output` when the vendor accepted the request but its reply does not
 * confirm the result, e.g. a create answered without the new record's id.
 */
export class UnconfirmedReply extends Error {}

/** The id a vendor gave the record it created; a create without one is not a success. */
export function createdId(reply: IDataObject, key: string, vendorName: string): string | number {
	const id = reply[key];
	if (
		(typeof id === 'string' && id.trim() !== '') ||
		(typeof id === 'number' && Number.isFinite(id))
	)
		return id;
	throw new UnconfirmedReply(`${vendorName} answered without the new record's ${key}`);
}

/** "item 4", or "items 3–9, 12": the indexes as runs of consecutive items. */
function itemRanges(indexes: number[]): string {
	const parts: string[] = [];
	for (let start = 0; start < indexes.length;) {
		let end = start;
		while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end++;
		parts.push(end === start ? `${indexes[start]}` : `${indexes[start]}–${indexes[end]}`);
		start = end + 1;
	}
	return `${indexes.length === 1 ? 'item' : 'items'} ${parts.join(', ')}`;
}

/**
 * Every item of a run that ended early, by what became of it, so that a failed run never hides
 * what already reached the vendor: each done item with its id, each item that may have taken
 * effect, each failure, and the items never sent.
 */
export function stoppedRunReport(
	vendorName: string,
	results: Array<ItemResult | undefined>,
	idOf: (output: IDataObject) => unknown,
): { done: number; unknown: number; text: string } {
	const done: string[] = [];
	const skipped: number[] = [];
	const unknown: string[] = [];
	const failed: string[] = [];
	const notSent: number[] = [];
	// A for loop, not forEach: the items never sent are holes in the array.
	for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
		const result = results[itemIndex];
		if (result === undefined) notSent.push(itemIndex);
		else if (result.status === 'skipped') skipped.push(itemIndex);
		else if (result.status === 'done') {
			const id = idOf(result.output);
			done.push(
				id === undefined || id === null
					? `item ${itemIndex}`
					: `item ${itemIndex} (id ${String(id)})`,
			);
		} else
			(result.status === 'unknown' ? unknown : failed).push(
				`item ${itemIndex}: ${result.error.message}`,
			);
	}
	const lines = [
		done.length > 0 && `Done at ${vendorName} (${done.length}): ${done.join(', ')}`,
		skipped.length > 0 &&
			`Skipped, created by an earlier execution or item (${skipped.length}): ${itemRanges(skipped)}`,
		unknown.length > 0 &&
			`May have taken effect at ${vendorName}, check before running them again ` +
				`(${unknown.length}):\n${unknown.join('\n')}`,
		failed.length > 0 && `Failed (${failed.length}):\n${failed.join('\n')}`,
		notSent.length > 0 && `Not sent (${notSent.length}): ${itemRanges(notSent)}`,
	].filter((line): line is string => typeof line === 'string');
	return { done: done.length, unknown: unknown.length, text: lines.join('\n') };
}
