import { describe, expect, it } from 'vitest';
import { parseTimestamp, timestampPart } from '../../src/sigma/timestamp.js';

/** Timestamps as the audit Event (MicroTime) and the Activity Log write them, and their edges. */

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-04T09:15:27.4410532Z', Date.UTC(2025, 2, 4, 9, 15, 27)],
    ['2025-03-04T09:15:27.431220Z', Date.UTC(2025, 2, 4, 9, 15, 27)],
    ['2025-03-04t09:15:27z', Date.UTC(2025, 2, 4, 9, 15, 27)],
    ['2025-03-04 09:15', Date.UTC(2025, 2, 4, 9, 15)],
    ['2025-03-04', Date.UTC(2025, 2, 4)],
    ['  2025-03-04T09:15:27Z\n', Date.UTC(2025, 2, 4, 9, 15, 27)],
    ['2025-03-04T09:15:27+02:00', Date.UTC(2025, 2, 4, 7, 15, 27)],
    ['2025-03-04T09:15:27-05:30', Date.UTC(2025, 2, 4, 14, 45, 27)],
    ['2025-03-04T09:15:27+0530', Date.UTC(2025, 2, 4, 3, 45, 27)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2025-04-30T23:59:59Z', Date.UTC(2025, 3, 30, 23, 59, 59)],
    ['2025-12-31T00:00:00Z', Date.UTC(2025, 11, 31)],
    ['2025-01-01T00:00:00Z', Date.UTC(2025, 0, 1)],
    // A leap second is read as the last second of its minute, not the next minute.
    ['2016-12-31T23:59:60Z', Date.UTC(2016, 11, 31, 23, 59, 59)],
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '2025-13-01T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-03-00T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-03-04T24:00:00Z',
    '2025-03-04T09:60:00Z',
    '2025-03-04T09:15:61Z',
    '04/03/2025 09:15',
    'yesterday',
    '',
  ])('%j is no timestamp', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('timestampPart (UTC)', () => {
  const text = '2025-03-04T09:15:27.4410532+01:00';
  it.each([
    ['minute', 15],
    ['hour', 8],
    ['day', 4],
    ['month', 3],
    ['year', 2025],
    ['week', 10],
  ] as const)('%s', (part, expected) => {
    expect(timestampPart(text, part)).toBe(expected);
  });

  it('the ISO week: a year may start in the previous one, end in the next one', () => {
    expect(timestampPart('2021-01-03T12:00:00Z', 'week')).toBe(53);
    expect(timestampPart('2021-01-04T12:00:00Z', 'week')).toBe(1);
    expect(timestampPart('2024-12-30T12:00:00Z', 'week')).toBe(1);
    expect(timestampPart('2020-12-31T12:00:00Z', 'week')).toBe(53);
  });

  it('an offset moves the day and the year in UTC', () => {
    expect(timestampPart('2025-01-01T00:30:00+01:00', 'year')).toBe(2024);
    expect(timestampPart('2025-01-01T00:30:00+01:00', 'day')).toBe(31);
    expect(timestampPart('2025-01-01T00:30:00+01:00', 'month')).toBe(12);
  });

  it('a text that is no timestamp has no part', () => {
    expect(timestampPart('not a time', 'hour')).toBeUndefined();
    expect(timestampPart('2025-02-30T10:00:00Z', 'day')).toBeUndefined();
  });
});
