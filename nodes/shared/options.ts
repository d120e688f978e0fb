import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createKeyFields, type DeclaredKeys } from './createKey';

const MAX_CONCURRENCY = 100;
const DEFAULT_CONCURRENCY = 10;
const MAX_RETRIES = 10;

export interface RunSettings {
	concurrency: number;
	timeoutMs: number;
	maxRetries: number;
	/** At most this many request starts per interval; 0 means no limit. */
	requestsPerInterval: number;
	intervalMs: number;
}

/** The options every operation of both nodes understands, under each node's `options`. */
const runOptions: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
		default: DEFAULT_CONCURRENCY,
		description:
			`How many requests may be under way at once (1 to ${MAX_CONCURRENCY}). ` +
			'Output order always follows input order.',
	},
	{
		displayName: 'Max Requests per Interval',
		name: 'requestsPerInterval',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description:
			'Throttle: start at most this many requests (retries included) per interval. 0 means no limit.',
	},
	{
		displayName: 'Interval (Ms)',
		name: 'intervalMs',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1000,
		description: 'Length of the throttle interval, in milliseconds',
	},
	{
		displayName: 'Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_RETRIES, numberPrecision: 0 },
		default: 3,
		description:
			'How many times to send a request again after a temporary failure (HTTP 429, 502, 503, 504, a timeout or ' +
			'a dropped connection). Order creation is only retried when the request never reached the server.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 30000,
		description: 'How long to wait for one reply before giving up on that attempt',
	},
];

function setting(value: unknown, fallback: number, min: number, max: number): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (value === undefined || value === '' || !Number.isFinite(number)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(number)));
}

/** Read once per run: these shape the whole batch, not one item. */
export function readRunSettings(context: IExecuteFunctions): RunSettings {
	// One option at a time: reading the whole collection would evaluate every expression in it,
	// a key's among them, and one that throws would fail the run before any item is looked at.
	const option = (name: string) => context.getNodeParameter(`options.${name}`, 0, '');
	return {
		concurrency: setting(option('concurrency'), DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY),
		timeoutMs: setting(option('timeout'), 30000, 1, 10 * 60 * 1000),
		maxRetries: setting(option('maxRetries'), 3, 0, MAX_RETRIES),
		requestsPerInterval: setting(option('requestsPerInterval'), 0, 0, Number.MAX_SAFE_INTEGER),
		intervalMs: setting(option('intervalMs'), 1000, 1, 24 * 60 * 60 * 1000),
	};
}

/**
 * The node's `options` collection: the keys its operations declare, its own options, then the
 * shared run options.
 */
export function optionsCollection(
	operations: DeclaredKeys,
	nodeOptions: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...createKeyFields(operations), ...nodeOptions, ...runOptions],
	};
}
