import { describeFault, FaultPlan, validateFaultRules, type Fault } from '../../sandbox/faults';

const UNAVAILABLE: Fault = { kind: 'status', status: 503 };
const DROP: Fault = { kind: 'drop', when: 'after' };

describe('FaultPlan', () => {
	it('lets the first rule that fires win, while every rule keeps counting', () => {
		const plan = new FaultPlan(1);
		plan.set([
			{ first: 1, fault: DROP },
			{ every: 2, fault: UNAVAILABLE },
		]);

		// Request 2 is the second rule's 2nd match even though request 1 went to the first rule.
		expect([1, 2, 3, 4].map(() => plan.next('salekit'))).toEqual([
			DROP,
			UNAVAILABLE,
			undefined,
			UNAVAILABLE,
		]);
	});

	it('counts only the requests of a rule vendor', () => {
		const plan = new FaultPlan(1);
		plan.set([{ vendor: 'accessTrade', every: 2, fault: UNAVAILABLE }]);

		const faults = (['salekit', 'accessTrade', 'salekit', 'accessTrade'] as const).map((vendor) =>
			plan.next(vendor),
		);

		expect(faults).toEqual([undefined, undefined, undefined, UNAVAILABLE]);
	});

	it('restarts counters and the random sequence when the rules are set again', () => {
		const plan = new FaultPlan(7);
		const draw = () => {
			plan.set([{ probability: 0.5, fault: UNAVAILABLE }]);
			return Array.from({ length: 20 }, () => plan.next('salekit') !== undefined);
		};

		const first = draw();

		expect(draw()).toEqual(first);
		expect(first).toContain(true);
		expect(first).toContain(false);
	});
});

describe('validateFaultRules', () => {
	it('accepts well-formed rules', () => {
		const rules = [{ vendor: 'salekit', every: 3, fault: { kind: 'slow', delayMs: 10 } }];

		expect(validateFaultRules(rules)).toEqual(rules);
	});

	it.each([
		[{ fault: UNAVAILABLE }, /array/],
		[
			[{ fault: { kind: 'status', status: 200 } }],
			/rules\[0\]\.fault\.status must be an HTTP error status/,
		],
		[[{ fault: DROP }, { vendor: 'shopee', fault: DROP }], /rules\[1\]\.vendor/],
		[[{ every: 0, fault: DROP }], /every must be a positive integer/],
		[[{ fault: { kind: 'drop', when: 'during' } }], /when must be "before" or "after"/],
		[[{ fault: { kind: 'slow' } }], /delayMs/],
	])('rejects %j', (rules, message) => {
		expect(() => validateFaultRules(rules)).toThrow(message);
	});
});

describe('describeFault', () => {
	it.each([
		[{ kind: 'status', status: 429, retryAfterSeconds: 2 }, 'status 429, Retry-After 2s'],
		[UNAVAILABLE, 'status 503'],
		[DROP, 'drop after'],
		[{ kind: 'slow', delayMs: 300 }, 'slow 300ms'],
	] as const)('describes %j as "%s"', (fault, text) => {
		expect(describeFault(fault)).toBe(text);
	});
});
