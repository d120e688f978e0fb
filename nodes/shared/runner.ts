import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { CreateKey } from './createKey';
import { ItemFields, RunParameters } from './fields';
import { readRunSettings } from './options';
import { OrderKeys, type KeyOutcome } from './orderKey';
import { stoppedRunReport, UnconfirmedReply, type ItemFailure, type ItemResult } from './outcome';
import { redactText, redactValue } from './redact';
import { Pacer, sendWithRetry, Throttle, type SendControl } from './retry';
import { RunSignals } from './signals';
import { connectVendor, type ApiRequest, type Vendor, type VendorClient } from './transport';

/** One operation of a node: fields in, one request out, one output item back. Nothing else. */
export interface Operation {
	/** Whether sending the same request twice is harmless; decides which failures are retried. */
	idempotent: boolean;
	/**
	 * The key that guards a create against running twice (Shop Order Key…): places its field
	 * under the node's Options and guards every run. Needs `idempotent: false`.
	 */
	createKey?: CreateKey;
	/** Reads and checks one item's parameters; throws (naming field and item) on bad input. */
	request(item: ItemFields): ApiRequest;
	/**
	 * Shapes the vendor's successful reply into the item n8n outputs. Throws UnconfirmedReply
	 * when the reply does not confirm the result (a create without an id).
	 */
	output(reply: IDataObject, request: ApiRequest, item: ItemFields): IDataObject;
	/** The id a failed run's report gives for a done item; its output's `id` by default. */
	resultId?(output: IDataObject): unknown;
}

/**
 * Runs an operation over every input item: each item is checked before its request is sent,
 * requests run with bounded concurrency, pacing and retries, and every input item yields exactly
 * one output item in input order (an error item under Continue On Fail). Without Continue On
 * Fail the first failure stops new requests; those under way finish, and the error reports what
 * became of every item.
 */
export async function runOperation(
	this: IExecuteFunctions,
	vendor: Vendor,
	operation: Operation,
): Promise<INodeExecutionData[][]> {
	const itemCount = this.getInputData().length;
	const settings = readRunSettings(this);
	const continueOnFail = this.continueOnFail();
	const parameters = new RunParameters(this);
	const results: Array<ItemResult | undefined> = new Array(itemCount);
	// n8n passes the input through as if it succeeded when a Continue On Fail node throws: a
	// failure of the whole run (credential, store) becomes every item's error instead.
	const everyItemFails = (error: Error): INodeExecutionData[][] => {
		if (!continueOnFail) throw error;
		return [
			Array.from({ length: itemCount }, (_, itemIndex) => ({
				json: { error: error.message },
				pairedItem: { item: itemIndex },
			})),
		];
	};
	let client: VendorClient;
	try {
		client = await connectVendor(this, vendor, { timeoutMs: settings.timeoutMs });
	} catch (error) {
		return everyItemFails(error as Error);
	}

	const readRequest = (item: ItemFields): ApiRequest | ItemResult => {
		try {
			return operation.request(item);
		} catch (error) {
			return {
				status: 'failed',
				error: new NodeOperationError(this.getNode(), error as Error, {
					itemIndex: item.itemIndex,
				}),
			};
		}
	};

	// A repeated create would create twice, so every item is read and checked before the first
	// request: one bad item stops the batch before anything exists. Idempotent operations read
	// each item just before sending it, so that n8n's expression work overlaps the network waits.
	const prepared: Array<ApiRequest | ItemResult> = [];
	if (!operation.idempotent) {
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			prepared[itemIndex] = readRequest(new ItemFields(parameters, itemIndex));
			const checked = prepared[itemIndex];
			if (!continueOnFail && 'status' in checked && checked.status === 'failed')
				throw checked.error;
		}
	}
	const readyItems = prepared.flatMap((request, itemIndex) =>
		'status' in request ? [] : [itemIndex],
	);
	let orderKeys: OrderKeys | undefined;
	if (operation.createKey) {
		try {
			orderKeys = await OrderKeys.claim(this, operation.createKey, readyItems, settings.timeoutMs);
		} catch (error) {
			return everyItemFails(error as Error);
		}
	}
	const followers: Array<{ itemIndex: number; first: number; key: string }> = [];

	const signals = new RunSignals(this.getExecutionCancelSignal());
	const control: SendControl = {
		settings,
		throttle: new Throttle(settings.requestsPerInterval, settings.intervalMs),
		pacer: new Pacer(settings.concurrency),
		run: signals,
	};

	// Never throws: whatever goes wrong with one item becomes that item's result, so the other
	// workers are never left sending after the node has returned.
	const runItem = async (itemIndex: number): Promise<ItemResult | undefined> => {
		const item = new ItemFields(parameters, itemIndex);
		const request = prepared[itemIndex] ?? readRequest(item);
		if ('status' in request) return request;
		const verdict = orderKeys?.verdict(itemIndex);
		if (verdict) {
			if ('skipped' in verdict) return { status: 'skipped', output: verdict.skipped };
			if ('error' in verdict) return { status: 'failed', error: verdict.error };
			// Decided once the first item of its key is: it may still be sending.
			followers.push({ itemIndex, first: verdict.sameKeyAs, key: verdict.key });
			return { status: 'skipped', output: {} };
		}
		let keyOutcome: KeyOutcome = 'unknown';
		try {
			const outcome = await sendWithRetry(
				client,
				request,
				itemIndex,
				operation.idempotent,
				control,
			);
			if (outcome === undefined) {
				keyOutcome = 'not-created';
				return undefined;
			}
			if (!outcome.ok) {
				const mayHaveTakenEffect = outcome.facts.fate === 'unknown';
				if (!mayHaveTakenEffect) keyOutcome = 'not-created';
				return { status: mayHaveTakenEffect ? 'unknown' : 'failed', error: outcome.error };
			}
			const output = redactValue(operation.output(outcome.reply, request, item), client.secrets);
			keyOutcome = 'created';
			return { status: 'done', output };
		} catch (error) {
			// Sent or not, it cannot be told: an unconfirmed reply, or a fault of our own.
			const cause =
				error instanceof UnconfirmedReply
					? error.message
					: `Unexpected error: ${(error as Error).message}`;
			return {
				status: 'unknown',
				error: new NodeOperationError(this.getNode(), redactText(cause, client.secrets), {
					itemIndex,
				}),
			};
		} finally {
			orderKeys?.settle(itemIndex, keyOutcome);
		}
	};

	let nextIndex = 0;
	const worker = async () => {
		while (!signals.stopped && nextIndex < itemCount) {
			const itemIndex = nextIndex++;
			const result = await runItem(itemIndex);
			results[itemIndex] = result;
			if (
				result !== undefined &&
				(result.status === 'failed' || result.status === 'unknown') &&
				!continueOnFail
			)
				signals.stop();
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.min(settings.concurrency, itemCount) }, worker));
	} finally {
		signals.end();
	}
	// An item the run stopped before reaching keeps what its key said: "its key could not be
	// freed" must not read as a plain "Not sent".
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const verdict = orderKeys?.verdict(itemIndex);
		if (results[itemIndex] === undefined && verdict && 'error' in verdict)
			results[itemIndex] = { status: 'failed', error: verdict.error };
	}
	for (const { itemIndex, first, key } of followers) {
		results[itemIndex] = followFirst(
			this.getNode(),
			results[first],
			first,
			itemIndex,
			key,
			operation.createKey as CreateKey,
		);
	}
	// Never throws: a store failure here must not hide the orders this run created.
	const { unreleased, problem } = (await orderKeys?.finish()) ?? { unreleased: [] };
	for (const itemIndex of unreleased) {
		const note =
			`Its key could not be freed in n8n's database (${problem}): a later run of it will say the order may ` +
			`exist, though this one created nothing`;
		const result = results[itemIndex];
		if (result === undefined) {
			results[itemIndex] = {
				status: 'failed',
				error: new NodeOperationError(this.getNode(), `Not sent. ${note}`, { itemIndex }),
			};
		} else if (result.status === 'failed' || result.status === 'unknown') {
			result.error.message = `${result.error.message}. ${note}`;
		}
	}

	for (const result of results) {
		if (result?.status === 'unknown' && !operation.idempotent)
			flagMayHaveTakenEffect(result.error, client);
	}
	const report = (error: ItemFailure['error']) => withRunReport(error, results, client, operation);
	if (signals.cancelled)
		throw report(new NodeOperationError(this.getNode(), 'The execution was cancelled'));
	const firstFailure = results.find(
		(result): result is ItemFailure =>
			result !== undefined && (result.status === 'failed' || result.status === 'unknown'),
	);
	if (firstFailure && !continueOnFail)
		throw itemCount > 1 ? report(firstFailure.error) : firstFailure.error;
	return [
		Array.from(results, (result, itemIndex) => ({
			json:
				result?.status === 'done' || result?.status === 'skipped'
					? result.output
					: { error: redactText(result?.error.message ?? 'Not sent', client.secrets) },
			pairedItem: { item: itemIndex },
		})),
	];
}

/**
 * An item whose key an earlier item of the run has: skipped when that item created (or skipped)
 * the order, failed when it did not, not sent when it was not.
 */
function followFirst(
	node: ReturnType<IExecuteFunctions['getNode']>,
	first: ItemResult | undefined,
	firstIndex: number,
	itemIndex: number,
	orderKey: string,
	{ displayName, guards }: CreateKey,
): ItemResult | undefined {
	if (first === undefined) return undefined;
	if (first.status === 'done' || first.status === 'skipped') {
		const reason = `item ${firstIndex} of this run has the same ${displayName}; only that item creates the ${guards}`;
		return { status: 'skipped', output: { skipped: true, orderKey, reason } };
	}
	return {
		status: 'failed',
		error: new NodeOperationError(
			node,
			`Not sent: item ${firstIndex} of this run has the same key (${orderKey}) and did not create the ${guards} [item ` +
				`${itemIndex}]`,
			{ itemIndex },
		),
	};
}

/** In the message, not the description: a Continue On Fail item shows only the message. */
function flagMayHaveTakenEffect(error: Error, client: VendorClient): void {
	error.message =
		`${error.message}. It may have been created all the same, so it was not sent again: check ` +
		`${client.vendorName} before running this item again`;
}

/** The error a run ends with, carrying what became of every item, done ones with their ids. */
function withRunReport(
	error: ItemFailure['error'],
	results: Array<ItemResult | undefined>,
	client: VendorClient,
	operation: Operation,
): Error {
	const report = stoppedRunReport(client.vendorName, results, (output) =>
		operation.resultId ? operation.resultId(output) : output.id,
	);
	// A create run again would create again: its message itself says to look first.
	if (!operation.idempotent && report.done + report.unknown > 0) {
		error.message =
			`${error.message} (the run stopped: ${report.done} item(s) done and ${report.unknown} that may have ` +
			`taken effect at ${client.vendorName} are listed in the error's details)`;
	}
	const details = redactText(report.text, client.secrets);
	error.description = error.description ? `${details}\n\n${error.description}` : details;
	return error;
}
