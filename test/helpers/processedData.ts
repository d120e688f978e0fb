import { createHash } from 'node:crypto';

import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

/**
 * n8n's processed-data store for the engine harness. n8n's own one (DeduplicationHelper in the
 * n8n CLI package) needs n8n's database layer; this follows it step by step for mode `entries`
 * (the only one Shop Order Key uses), with a Map for the `processed_data` table: one row per
 * workflow and context (`n:<node id>` for scope node), holding md5 hashes of the entries; every
 * call reads the row, changes it and writes it back whole, with a pause between read and write
 * where the database round trip would be; maxEntries drops the oldest. The queue-mode test
 * (`npm run test:queue`) runs the real one on Postgres.
 */
type CallKind = 'record' | 'remove';

interface Call {
	number: number;
	kind: CallKind;
	entries: string[];
}

export class ProcessedDataTable implements IDataDeduplicator {
	private readonly rows = new Map<string, string[]>();
	private calls = 0;
	/** Fails a call before it reads (a deadlock, a lost connection), by its number since `clear`, from 1. */
	failWhen?: (call: number, kind: CallKind, entries: string[]) => boolean;
	/**
	 * Fails a call after its write committed (the connection lost after the commit). A promise
	 * returned is waited for between the commit and the failure: what other runs do meanwhile.
	 */
	failAfterWriteWhen?: (
		call: number,
		kind: CallKind,
		entries: string[],
		/** Of a record call, the entries that were there already (its `processed` answer). */
		found: string[],
	) => boolean | Promise<unknown>;
	/** Held between each call's read and its write while set: a slow database round trip. */
	writesWaitFor?: Promise<unknown>;
	/** Holds one call's write for this long after its read: a store call that stalls. */
	stallMs?: (call: number, kind: CallKind, entries: string[]) => number;
	/** Holds a call before its read until the promise returned settles: to order calls of several runs. */
	readWaitsFor?: (call: number, kind: CallKind, entries: string[]) => Promise<unknown> | undefined;

	clear(): void {
		this.rows.clear();
		this.calls = 0;
		this.failWhen = undefined;
		this.failAfterWriteWhen = undefined;
		this.writesWaitFor = undefined;
		this.stallMs = undefined;
		this.readWaitsFor = undefined;
	}

	private async begin(kind: CallKind, items: DeduplicationItemTypes[]): Promise<Call> {
		const call = { number: ++this.calls, kind, entries: items.map(String) };
		if (this.failWhen?.(call.number, kind, call.entries)) throw new Error('deadlock detected');
		await this.readWaitsFor?.(call.number, kind, call.entries);
		return call;
	}

	/** After the write: the stall before it, and the failure after it. */
	private async commit(
		call: Call,
		row: string,
		data: string[],
		found: string[] = [],
	): Promise<void> {
		const stall = this.stallMs?.(call.number, call.kind, call.entries) ?? 0;
		if (stall > 0) await new Promise((resolve) => setTimeout(resolve, stall));
		await this.write(row, data);
		const fail = this.failAfterWriteWhen?.(call.number, call.kind, call.entries, found);
		if (fail === false || fail === undefined) return;
		await fail;
		throw new Error('Connection terminated unexpectedly');
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const call = await this.begin('record', items);
		const row = rowKey(scope, contextData);
		const stored = await this.read(row);
		const hashed = items.map(hash);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		const data = stored ?? [];
		// Like n8n: membership is decided against the row as read, so one call's duplicates are both new.
		const before = new Set(data);
		hashed.forEach((value, index) => {
			if (stored && before.has(value)) {
				output.processed.push(items[index]);
			} else {
				output.new.push(items[index]);
				data.push(value);
			}
		});
		if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
		await this.commit(call, row, data, output.processed.map(String));
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		const call = await this.begin('remove', items);
		const row = rowKey(scope, contextData);
		const data = await this.read(row);
		if (!data) return;
		for (const value of items.map(hash)) {
			const index = data.indexOf(value);
			if (index !== -1) data.splice(index, 1);
		}
		await this.commit(call, row, data);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		this.rows.delete(rowKey(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const data = await this.read(rowKey(scope, contextData));
		return options.mode === 'entries' && data ? data.length : 0;
	}

	private async read(row: string): Promise<string[] | undefined> {
		await Promise.resolve();
		const data = this.rows.get(row);
		return data && [...data];
	}

	private async write(row: string, data: string[]): Promise<void> {
		await Promise.resolve();
		await this.writesWaitFor;
		this.rows.set(row, data);
	}
}

function rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
	if (scope === 'node' && !contextData.node)
		throw new Error("No node information has been provided and so cannot use scope 'node'");
	return `${contextData.workflow.id}|${scope === 'node' ? `n:${contextData.node!.id}` : ''}`;
}

function hash(value: DeduplicationItemTypes): string {
	return createHash('md5').update(value.toString()).digest('base64');
}
