const REDACTED = '[redacted]';

/** Base64 runs shorter than this could match ordinary text by chance. */
const MIN_BASE64_CORE = 8;

/**
 * The parts of a secret's base64 encoding that do not depend on the bytes around it: a vendor
 * may echo the secret inside a longer encoded value ("Token: abc…" as base64), where the
 * encoding's 3-byte groups can start at any of three offsets.
 */
function base64Forms(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const forms: string[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
		const fullGroups = Math.floor(padded.length / 3);
		for (const encoding of ['base64', 'base64url'] as const) {
			const encoded = padded.toString(encoding);
			// Groups that mix in the bytes before or after the secret differ from echo to echo.
			const core = encoded.slice(offset === 0 ? 0 : 4, fullGroups * 4);
			if (core.length >= MIN_BASE64_CORE) forms.push(core);
		}
	}
	return forms;
}

/** Every form in which a secret could come back to us: as sent, URL- or form-encoded, JSON-escaped, base64. */
export function secretForms(secrets: unknown[]): string[] {
	const forms = new Set<string>();
	for (const value of secrets) {
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		for (const secret of new Set([String(value), String(value).trim()])) {
			// Very short values would blank out ordinary words, and are no secret anyway.
			if (secret.length < 4) continue;
			const percentEncoded = encodeURIComponent(secret);
			forms.add(secret);
			forms.add(percentEncoded);
			forms.add(percentEncoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
			forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
			forms.add(JSON.stringify(secret).slice(1, -1));
			for (const form of base64Forms(secret)) forms.add(form);
		}
	}
	// Longest first, so that a form containing another is replaced whole.
	return [...forms].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, secrets: string[]): string {
	let clean = text;
	for (const secret of secrets) {
		if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
	}
	return clean;
}

/**
 * A copy of a reply or an output item with every secret replaced, found by walking its strings
 * (keys too) and numbers: a vendor may echo a numeric token as a number.
 */
export function redactValue<T>(value: T, secrets: string[]): T {
	if (secrets.length === 0) return value;
	return walk(value, secrets) as T;
}

/** The value itself when it holds no secret, so that clean replies are not copied. */
function walk(value: unknown, secrets: string[]): unknown {
	if (typeof value === 'string') return redactText(value, secrets);
	if (typeof value === 'number') {
		const text = String(value);
		return redactText(text, secrets) === text ? value : REDACTED;
	}
	if (value === null || typeof value !== 'object') return value;
	const entries = Array.isArray(value)
		? value.map((entry, index) => [index, entry])
		: Object.entries(value);
	let changed = false;
	const cleanEntries = entries.map(([key, entry]) => {
		const cleanKey = typeof key === 'string' ? redactText(key, secrets) : key;
		const cleanEntry = walk(entry, secrets);
		if (cleanKey !== key || cleanEntry !== entry) changed = true;
		return [cleanKey, cleanEntry] as const;
	});
	if (!changed) return value;
	// fromEntries defines own properties, so a "__proto__" key stays data.
	return Array.isArray(value)
		? cleanEntries.map(([, entry]) => entry)
		: Object.fromEntries(cleanEntries);
}
