import { isJsonObject, type VendorName } from './vendor';

export type Fault =
	/** Answer with this HTTP status in the vendor's error envelope; the request is not processed. */
	| { kind: 'status'; status: number; retryAfterSeconds?: number }
	/** Destroy the socket. 'after': the request was processed, only the reply is lost. */
	| { kind: 'drop'; when: 'before' | 'after' }
	/** Process normally, answer after delayMs. */
	| { kind: 'slow'; delayMs: number };

/**
 * When a fault applies. The selectors combine (all given ones must agree); a rule with none
 * applies to every matching request. Counting is per rule, over the requests its vendor
 * filter matches.
 */
export interface FaultRule {
	/** Only requests to this vendor; both when absent. */
	vendor?: VendorName;
	fault: Fault;
	/** Every Nth matching request: the Nth, 2Nth, ... */
	every?: number;
	/** The first N matching requests. */
	first?: number;
	/** Each matching request with this probability, drawn from the sandbox's seeded PRNG. */
	probability?: number;
}

/** mulberry32: tiny, fast and good enough to make "random" faults repeat exactly per seed. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

interface ArmedRule {
	rule: FaultRule;
	matched: number;
}

/** Decides, request by request, which fault (if any) the sandbox injects. */
export class FaultPlan {
	private armed: ArmedRule[] = [];
	private random: () => number;

	constructor(private readonly seed: number) {
		this.random = seededRandom(seed);
	}

	/** Replaces all rules; counters and the random sequence restart, so a rule set always plays out the same way. */
	set(rules: readonly FaultRule[]): void {
		this.armed = rules.map((rule) => ({ rule, matched: 0 }));
		this.random = seededRandom(this.seed);
	}

	/** The fault for the next request to this vendor: the first rule that fires wins. */
	next(vendor: VendorName): Fault | undefined {
		let chosen: Fault | undefined;
		for (const armed of this.armed) {
			if (armed.rule.vendor !== undefined && armed.rule.vendor !== vendor) continue;
			armed.matched++;
			// Every matching rule is evaluated, not only those up to the first hit, so that a
			// rule's counter never depends on whether an earlier rule fired.
			if (this.fires(armed) && !chosen) chosen = armed.rule.fault;
		}
		return chosen;
	}

	private fires({ rule, matched }: ArmedRule): boolean {
		if (rule.first !== undefined && matched > rule.first) return false;
		if (rule.every !== undefined && matched % rule.every !== 0) return false;
		if (rule.probability !== undefined && this.random() >= rule.probability) return false;
		return true;
	}
}

/** How a fault appears in the request log. */
export function describeFault(fault: Fault): string {
	switch (fault.kind) {
		case 'status':
			return fault.retryAfterSeconds === undefined
				? `status ${fault.status}`
				: `status ${fault.status}, Retry-After ${fault.retryAfterSeconds}s`;
		case 'drop':
			return `drop ${fault.when}`;
		case 'slow':
			return `slow ${fault.delayMs}ms`;
	}
}

/**
 * Checks rules arriving as JSON (control endpoint) or from TypeScript callers, whose types
 * cannot rule out a probability of 5 or a negative delay. Throws with the first problem found.
 */
export function validateFaultRules(value: unknown): FaultRule[] {
	if (!Array.isArray(value)) throw new Error('fault rules must be an array');
	return value.map((rule, index) => validateRule(rule, `rules[${index}]`));
}

function validateRule(value: unknown, where: string): FaultRule {
	if (!isJsonObject(value)) throw new Error(`${where} must be an object`);
	const { vendor, every, first, probability } = value;
	if (vendor !== undefined && vendor !== 'salekit' && vendor !== 'accessTrade') {
		throw new Error(`${where}.vendor must be "salekit" or "accessTrade"`);
	}
	const rule: FaultRule = { fault: validateFault(value.fault, `${where}.fault`) };
	if (vendor !== undefined) rule.vendor = vendor;
	if (every !== undefined)
		rule.every = requireNumber(every, `${where}.every`, isPositiveInteger, 'a positive integer');
	if (first !== undefined)
		rule.first = requireNumber(
			first,
			`${where}.first`,
			isNonNegativeInteger,
			'a non-negative integer',
		);
	if (probability !== undefined) {
		rule.probability = requireNumber(
			probability,
			`${where}.probability`,
			(n) => n >= 0 && n <= 1,
			'between 0 and 1',
		);
	}
	return rule;
}

function validateFault(value: unknown, where: string): Fault {
	if (!isJsonObject(value)) throw new Error(`${where} must be an object`);
	switch (value.kind) {
		case 'status': {
			const status = requireNumber(
				value.status,
				`${where}.status`,
				isHttpErrorStatus,
				'an HTTP error status (400-599)',
			);
			if (value.retryAfterSeconds === undefined) return { kind: 'status', status };
			const retryAfterSeconds = requireNumber(
				value.retryAfterSeconds,
				`${where}.retryAfterSeconds`,
				isNonNegativeInteger,
				'a non-negative integer',
			);
			return { kind: 'status', status, retryAfterSeconds };
		}
		case 'drop':
			if (value.when !== 'before' && value.when !== 'after')
				throw new Error(`${where}.when must be "before" or "after"`);
			return { kind: 'drop', when: value.when };
		case 'slow':
			return {
				kind: 'slow',
				delayMs: requireNumber(value.delayMs, `${where}.delayMs`, (n) => n >= 0, 'a number >= 0'),
			};
		default:
			throw new Error(`${where}.kind must be "status", "drop" or "slow"`);
	}
}

function requireNumber(
	value: unknown,
	where: string,
	accept: (n: number) => boolean,
	expected: string,
): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || !accept(value)) {
		throw new Error(`${where} must be ${expected}`);
	}
	return value;
}

const isPositiveInteger = (n: number) => Number.isInteger(n) && n > 0;
const isNonNegativeInteger = (n: number) => Number.isInteger(n) && n >= 0;
const isHttpErrorStatus = (n: number) => Number.isInteger(n) && n >= 400 && n <= 599;
