import type { IDataObject } from 'n8n-workflow';

const REDACTED = '[redacted]';

/** Every form in which a secret could come back to us: as sent, and as a URL would carry it. */
export function secretForms(secrets: Array<string | undefined>): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		// Very short values would blank out ordinary words, and are no secret anyway.
		if (typeof secret !== 'string' || secret.length < 4) continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
	}
	return [...forms];
}

export function redactText(text: string, secrets: string[]): string {
	let clean = text;
	for (const secret of secrets) {
		if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
	}
	return clean;
}

/** Returns the object unchanged unless a secret appears somewhere in it (cheap check first). */
export function redactObject<T extends IDataObject>(value: T, secrets: string[]): T {
	if (secrets.length === 0) return value;
	const serialized = JSON.stringify(value);
	if (!secrets.some((secret) => serialized.includes(secret))) return value;
	return JSON.parse(redactText(serialized, secrets.map(jsonEscaped))) as T;
}

function jsonEscaped(secret: string): string {
	return JSON.stringify(secret).slice(1, -1);
}
