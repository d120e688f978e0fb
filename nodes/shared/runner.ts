import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { ItemFields, RunParameters } from './fields';
import { readRunSettings } from './options';
import { redactObject, redactText } from './redact';
import { Pacer, sendWithRetry, Throttle } from './retry';
import { connectVendor, type ApiRequest, type Vendor } from './transport';

/** One operation of a node: fields in, one request out, one output item back. Nothing else. */
export interface Operation {
	/** Whether sending the same request twice is harmless; decides which failures are retried. */
	idempotent: boolean;
	/** Reads and checks one item's parameters; throws (naming field and item) on bad input. */
	request(item: ItemFields): ApiRequest;
	/** Shapes the vendor's successful reply into the item n8n outputs. */
	output(reply: IDataObject, request: ApiRequest, item: ItemFields): IDataObject;
}

/**
 * Runs an operation over every input item: each item is checked before its request is sent,
 * requests run with bounded concurrency, pacing and retries, and every input item yields exactly
 * one output item in input order (an error item under Continue On Fail).
 */
export async function runOperation(
	this: IExecuteFunctions,
	vendor: Vendor,
	operation: Operation,
): Promise<INodeExecutionData[][]> {
	const itemCount = this.getInputData().length;
	const settings = readRunSettings(this);
	const continueOnFail = this.continueOnFail();
	const client = await connectVendor(this, vendor, { timeoutMs: settings.timeoutMs });
	const parameters = new RunParameters(this);
	const output: INodeExecutionData[] = new Array(itemCount);

	const errorItem = (error: Error, itemIndex: number): INodeExecutionData => ({
		json: { error: redactText(error.message, client.secrets) },
		pairedItem: { item: itemIndex },
	});

	// Without Continue On Fail the first failure (by item order) stops the run; no new requests start.
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const prepare = (item: ItemFields): ApiRequest | undefined => {
		try {
			return operation.request(item);
		} catch (error) {
			const itemError = new NodeOperationError(this.getNode(), error as Error, { itemIndex: item.itemIndex });
			if (continueOnFail) output[item.itemIndex] = errorItem(itemError, item.itemIndex);
			else failures.push({ itemIndex: item.itemIndex, error: itemError });
			return undefined;
		}
	};

	// A repeated create would create twice, so every item is read and checked before the first
	// request: one bad item stops the batch before anything exists. Idempotent operations read
	// each item just before sending it, so that n8n's expression work overlaps the network waits.
	const prepared: Array<ApiRequest | undefined> = [];
	if (!operation.idempotent) {
		for (let itemIndex = 0; itemIndex < itemCount && failures.length === 0; itemIndex++) {
			prepared[itemIndex] = prepare(new ItemFields(parameters, itemIndex));
		}
		if (failures.length > 0) throw failures[0].error;
	}

	const throttle = new Throttle(settings.requestsPerInterval, settings.intervalMs);
	const pacer = new Pacer(settings.concurrency);
	const cancelSignal = this.getExecutionCancelSignal();
	const isCancelled = () => cancelSignal?.aborted === true;
	let nextIndex = 0;

	const worker = async () => {
		while (nextIndex < itemCount && failures.length === 0 && !isCancelled()) {
			const itemIndex = nextIndex++;
			const item = new ItemFields(parameters, itemIndex);
			const request = operation.idempotent ? prepare(item) : prepared[itemIndex];
			if (request === undefined) continue;
			const outcome = await sendWithRetry(
				client,
				request,
				itemIndex,
				operation.idempotent,
				settings,
				throttle,
				pacer,
				isCancelled,
			);
			if (outcome.ok) {
				output[itemIndex] = {
					json: redactObject(operation.output(outcome.reply, request, item), client.secrets),
					pairedItem: { item: itemIndex },
				};
			} else if (continueOnFail) {
				output[itemIndex] = errorItem(outcome.error, itemIndex);
			} else {
				failures.push({ itemIndex, error: outcome.error });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(settings.concurrency, itemCount) }, worker));

	// A cancelled run leaves items unsent; n8n discards the node's output then anyway.
	if (isCancelled()) throw new NodeOperationError(this.getNode(), 'The execution was cancelled');
	if (failures.length > 0) {
		throw failures.reduce((first, next) => (next.itemIndex < first.itemIndex ? next : first)).error;
	}
	return [output];
}
