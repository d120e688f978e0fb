/**
 * ISO 8601 dates and times, read without a date library (the package ships none, and n8n's
 * luxon is not ours to import). Only ISO's unambiguous forms pass: 01/05/2024 is May in Vietnam
 * and January to JavaScript's Date.parse, which also reads "Order 12" as 2001-12-01.
 */

// 2024-05-01, 2024-05-01T10:30, 2024-05-01T10:30:00, 2024-05-01T10:30:00.123 (a space may
// stand for the T, as databases write it), each optionally followed by Z, +07:00, +0700 or +07.
const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const MINUTE_MS = 60_000;

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `timeZone` at `instant`, read as if it were UTC. */
function wallClockMs(instant: number, timeZone: string): number {
	let format = zoneFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		zoneFormats.set(timeZone, format);
	}
	const part = Object.fromEntries(
		format.formatToParts(instant).map(({ type, value }) => [type, Number(value)]),
	);
	return (
		Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second) +
		(((instant % 1000) + 1000) % 1000)
	);
}

/**
 * The instant at which `timeZone`'s clocks show this wall-clock time. A time a daylight-saving
 * change skips or repeats gets one of its neighbouring offsets.
 */
function zonedToEpochMs(wallClock: number, timeZone: string): number {
	const firstGuess = wallClock - (wallClockMs(wallClock, timeZone) - wallClock);
	return wallClock - (wallClockMs(firstGuess, timeZone) - firstGuess);
}

/** Epoch milliseconds, or undefined when `text` is not an ISO 8601 date and time that exists. */
export function parseIsoDateTime(text: string, timeZone: string): number | undefined {
	const match = ISO_DATE_TIME.exec(text.trim());
	if (!match) return undefined;
	const [year, month, day, hour = 0, minute = 0, second = 0] = match
		.slice(1, 7)
		.map((field) => Number(field ?? 0));
	const milliseconds = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
	const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
	// Date.UTC rolls 2024-02-30 over into March and 25:00 into the next day: such a time does not exist.
	const check = new Date(wallClock);
	const exists =
		check.getUTCFullYear() === year &&
		check.getUTCMonth() === month - 1 &&
		check.getUTCDate() === day &&
		check.getUTCHours() === hour &&
		check.getUTCMinutes() === minute &&
		check.getUTCSeconds() === second;
	if (!exists) return undefined;
	const offset = match[8];
	if (offset === undefined) return zonedToEpochMs(wallClock, timeZone);
	if (offset.toUpperCase() === 'Z') return wallClock;
	const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(
		offset,
	) as RegExpExecArray;
	if (Number(hours) > 23 || Number(minutes) > 59) return undefined;
	return wallClock - (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * MINUTE_MS;
}
