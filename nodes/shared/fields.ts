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

/**
 * One input item's parameters, read and checked. Every problem becomes an error that names the
 * field and the item, raised before anything is sent.
 */
export class ItemFields {
	constructor(
		private readonly context: IExecuteFunctions,
		readonly itemIndex: number,
	) {}

	get node(): INode {
		return this.context.getNode();
	}

	param<T = unknown>(name: string, fallback?: unknown): T {
		return this.context.getNodeParameter(name, this.itemIndex, fallback) as T;
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

	/** A list, given as one (e.g. from an expression) or as JSON text; nothing given is an empty list. */
	jsonList(field: string, value: unknown, entries: string): unknown[] {
		let list = value;
		if (isBlank(list)) return [];
		if (typeof list === 'string') {
			try {
				list = JSON.parse(list);
			} catch {
				this.fail(field, 'is not valid JSON');
			}
		}
		if (!Array.isArray(list)) this.fail(field, `must be a list of ${entries}`);
		return list;
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
