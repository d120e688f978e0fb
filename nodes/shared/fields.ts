import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

const SHOWN_VALUE_LENGTH = 40;

/** A value as the user gave it: NaN and Infinity stay themselves, not JSON's null. */
function shown(value: unknown): string {
	const text =
		typeof value === 'number' || typeof value === 'bigint'
			? String(value)
			: String(JSON.stringify(value));
	return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** More than any shop order; a bigger amount is a mapping mistake (1e300, a phone number…). */
const MAX_MONEY = 1_000_000_000_000;

const DIGITS = /^[0-9]+$/;
const PLAIN_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;
/** 290.000 or 1,000,000: Vietnamese and English thousands grouping, never a decimal fraction here. */
const GROUPED_DIGITS = /^[0-9]{1,3}([.,][0-9]{3})+$/;
const PHONE_CHARACTERS = /^[0-9+().\- ]+$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Where the first control character sits, if any. Notes may hold tabs and line breaks;
 * identifiers go into paths, queries and lookups, where no control character belongs.
 */
function controlCharacterAt(text: string, allowLineBreaks: boolean): string | undefined {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0x20 && code !== 0x7f) continue;
		if (allowLineBreaks && (code === TAB || code === LINE_FEED || code === CARRIAGE_RETURN))
			continue;
		return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${index + 1}`;
	}
	return undefined;
}

function isEmailAddress(text: string): boolean {
	const at = text.lastIndexOf('@');
	const local = text.slice(0, at);
	const labels = text.slice(at + 1).split('.');
	return (
		at > 0 &&
		!/[\s@"(),:;<>[\]\\]/.test(local) &&
		!local.startsWith('.') &&
		!local.endsWith('.') &&
		!local.includes('..') &&
		labels.length >= 2 &&
		labels.every((label) => DOMAIN_LABEL.test(label)) &&
		!DIGITS.test(labels[labels.length - 1])
	);
}

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
	private zone?: string;

	constructor(readonly context: IExecuteFunctions) {
		this.raw = context.getNode().parameters;
	}

	/** The workflow's time zone (its settings, else the instance's), for times given without an offset. */
	get timeZone(): string {
		this.zone ??= this.context.getTimezone();
		return this.zone;
	}

	read(name: string, itemIndex: number, fallback: unknown): unknown {
		const raw = name
			.split('.')
			.reduce<unknown>(
				(parent, key) => (parent as Record<string, unknown> | undefined)?.[key],
				this.raw,
			);
		// What n8n returns for an unset parameter.
		if (raw === undefined && fallback !== undefined) return fallback;
		if (!isFixed(raw)) return this.context.getNodeParameter(name, itemIndex, fallback);
		if (!this.fixed.has(name))
			this.fixed.set(name, this.context.getNodeParameter(name, itemIndex, fallback));
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

	get timeZone(): string {
		return this.parameters.timeZone;
	}

	/** `description` is the longer help n8n shows under the message. */
	fail(field: string, problem: string, description?: string): never {
		throw new NodeOperationError(this.node, `${field} ${problem} [item ${this.itemIndex}]`, {
			itemIndex: this.itemIndex,
			description,
		});
	}

	isBlank(value: unknown): boolean {
		return isBlank(value);
	}

	/** Numbers from expressions are accepted as their text. */
	text(field: string, value: unknown, maxLength: number, allowLineBreaks = true): string {
		if (typeof value !== 'string' && typeof value !== 'number') {
			this.fail(field, `must be text, got ${shown(value)}`);
		}
		if (typeof value === 'number' && !Number.isFinite(value))
			this.fail(field, `must be text, got ${shown(value)}`);
		const text = String(value).trim();
		if (text.length > maxLength) {
			this.fail(field, `is too long: ${text.length} characters, at most ${maxLength} allowed`);
		}
		const control = controlCharacterAt(text, allowLineBreaks);
		if (control) {
			this.fail(
				field,
				`must not contain control characters (line break, tab, NUL…), found ${control}`,
			);
		}
		return text;
	}

	/** A vendor's ID or SKU: required, on one line, no control character anywhere. */
	identifier(field: string, value: unknown, maxLength: number): string {
		if (isBlank(value)) this.fail(field, 'is required');
		return this.text(field, value, maxLength, false);
	}

	phone(field: string, value: unknown): string {
		const phone = this.text(field, value, 30, false);
		if (!PHONE_CHARACTERS.test(phone) || !/[0-9]/.test(phone)) {
			this.fail(
				field,
				`must be a phone number (digits, spaces and + ( ) - . only), got ${shown(value)}`,
			);
		}
		return phone;
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
		const email = this.text(field, value, 254, false);
		if (!isEmailAddress(email)) this.fail(field, `must be an email address, got ${shown(value)}`);
		return email;
	}

	/**
	 * An amount of money: a number, or plain decimal text as shop triggers send it. Grouped
	 * thousands (290.000, 1,000) are refused rather than guessed at: 290.000 means 290 to
	 * JavaScript and 290000 to a Vietnamese shop.
	 */
	money(field: string, value: unknown): number {
		const text = typeof value === 'string' ? value.trim() : undefined;
		if (text !== undefined && GROUPED_DIGITS.test(text)) {
			this.fail(
				field,
				`must be written without thousands separators, e.g. 290000 (a dot only before decimals, as in 290.5), got ` +
					`${shown(value)}`,
			);
		}
		const amount =
			typeof value === 'number'
				? value
				: text !== undefined && PLAIN_DECIMAL.test(text)
					? Number(text)
					: NaN;
		if (!(amount >= 0)) this.fail(field, `must be a number of 0 or more, got ${shown(value)}`);
		if (amount > MAX_MONEY) this.fail(field, `must be at most ${MAX_MONEY}, got ${shown(value)}`);
		return amount;
	}

	/** IDs, codes and quantities: a whole number, or plain digits (no 0x10, 1e3, 12.0 or sign). */
	wholeNumber(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
		const number =
			typeof value === 'number'
				? value
				: typeof value === 'string' && DIGITS.test(value.trim())
					? Number(value.trim())
					: NaN;
		if (!Number.isSafeInteger(number) || number < min || number > max) {
			const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
			this.fail(field, `must be a whole number ${range}, got ${shown(value)}`);
		}
		return number;
	}
}
