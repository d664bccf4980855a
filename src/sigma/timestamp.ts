import { assertNever } from './assert-never.js';
import type { TimePart } from './modifiers.js';

/**
 * ISO 8601 / RFC 3339 date or date-time, optional fraction and offset. Parsed by hand because
 * `Date.parse` reads an offset-less date-time in the process's local time zone, which would make a
 * rule's result depend on `TZ`; here an absent offset means UTC.
 */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Milliseconds since the epoch, or undefined when the text is not an ISO 8601 timestamp. */
export function parseTimestamp(text: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const sign = m[8] === '-' ? -1 : 1;
  const offsetMinutes = m[8] === undefined ? 0 : sign * (Number(m[9]) * 60 + Number(m[10]));
  return Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The UTC component of an ISO 8601 timestamp; the specification leaves time zones to the log source. */
export function timestampPart(text: string, part: TimePart): number | undefined {
  const ms = parseTimestamp(text);
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'year':
      return date.getUTCFullYear();
    case 'week':
      return isoWeek(date);
    default:
      return assertNever(part);
  }
}

/** ISO 8601 week number: the week holding the year's first Thursday is week 1. */
function isoWeek(date: Date): number {
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 3 - ((thursday.getUTCDay() + 6) % 7));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000));
}
