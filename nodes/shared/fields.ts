import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

const SHOWN_VALUE_LENGTH = 40;

function shown(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
	return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A number, a yes/no or a text that is not an expression (n8n evaluates texts starting with "="). */
function isFixed(value: unknown): boolean {
	return (
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		(typeof value === 'string' && !value.startsWith('='))
	);
}

/**
 * A run's parameter reads. n8n takes every read through its expression and schema machinery,
 * which costs more per item than the rest of the item's own work. A parameter left unset or set
 * to a fixed value (no expression) is the same for every item, so n8n is asked once per run.
 */
export class RunParameters {
	private readonly raw: INode['parameters'];
	private readonly fixed = new Map<string, unknown>();

	constructor(readonly context: IExecuteFunctions) {
		this.raw = context.getNode().parameters;
	}

	read(name: string, itemIndex: number, fallback: unknown): unknown {
		const raw = name
			.split('.')
			.reduce<unknown>((parent, key) => (parent as Record<string, unknown> | undefined)?.[key], this.raw);
		// What n8n returns for an unset parameter.
		if (raw === undefined && fallback !== undefined) return fallback;
		if (!isFixed(raw)) return this.context.getNodeParameter(name, itemIndex, fallback);
		if (!this.fixed.has(name)) this.fixed.set(name, this.context.getNodeParameter(name, itemIndex, fallback));
		return this.fixed.get(name);
	}
}

/**
 * One input item's parameters, read and checked. Every problem becomes an error that names the
 * field and the item, raised before anything is sent.
 */
export class ItemFields {
	constructor(
		private readonly parameters: RunParameters,
		readonly itemIndex: number,
	) {}

	get node(): INode {
		return this.parameters.context.getNode();
	}

	param<T = unknown>(name: string, fallback?: unknown): T {
		return this.parameters.read(name, this.itemIndex, fallback) as T;
	}

	fail(field: string, problem: string): never {
		throw new NodeOperationError(this.node, `${field} ${problem} [item ${this.itemIndex}]`, {
			itemIndex: this.itemIndex,
		});
	}

	isBlank(value: unknown): boolean {
		return isBlank(value);
	}

	/** Text that must be present; numbers from expressions are accepted as their text. */
	requiredText(field: string, value: unknown, maxLength: number): string {
		if (isBlank(value)) this.fail(field, 'is required');
		return this.text(field, value, maxLength);
	}

	text(field: string, value: unknown, maxLength: number): string {
		if (typeof value !== 'string' && typeof value !== 'number') {
			this.fail(field, `must be text, got ${shown(value)}`);
		}
		const text = String(value).trim();
		if (text.length > maxLength) {
			this.fail(field, `is too long: ${text.length} characters, at most ${maxLength} allowed`);
		}
		return text;
	}

	email(field: string, value: unknown): string {
		const email = this.text(field, value, 254);
		if (!EMAIL_SHAPE.test(email)) this.fail(field, `must be an email address, got ${shown(value)}`);
		return email;
	}

	/** An amount of money: a number (or numeric text, as shop triggers send it) of 0 or more. */
	money(field: string, value: unknown): number {
		const amount = this.toNumber(value);
		if (amount === undefined || amount < 0) {
			this.fail(field, `must be a number of 0 or more, got ${shown(value)}`);
		}
		return amount;
	}

	wholeNumber(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
		const number = this.toNumber(value);
		if (number === undefined || !Number.isInteger(number) || number < min || number > max) {
			const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
			this.fail(field, `must be a whole number ${range}, got ${shown(value)}`);
		}
		return number;
	}

	private toNumber(value: unknown): number | undefined {
		if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
		if (typeof value === 'string' && value.trim() !== '') {
			const number = Number(value.trim());
			return Number.isFinite(number) ? number : undefined;
		}
		return undefined;
	}
}
