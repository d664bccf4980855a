import { readFileSync } from 'node:fs';

/** The Functions default on the Flex Consumption and Premium plans when host.json names none. */
const DEFAULT_FUNCTION_TIMEOUT_MS = 30 * 60_000;

/**
 * `functionTimeout` of a host.json (`hh:mm:ss`, or `-1` for none) in milliseconds. An absent file
 * or value gives the host's default; a value that is not a time span is an error naming it.
 */
export function functionTimeoutMs(hostJsonPath: string): number {
  let text: string;
  try {
    text = readFileSync(hostJsonPath, 'utf8');
  } catch {
    return DEFAULT_FUNCTION_TIMEOUT_MS;
  }
  const value = (JSON.parse(text) as { functionTimeout?: unknown }).functionTimeout;
  if (value === undefined || value === '-1' || value === -1) return DEFAULT_FUNCTION_TIMEOUT_MS;
  const match = typeof value === 'string' ? /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(value) : null;
  if (match === null)
    throw new Error(`${hostJsonPath}: functionTimeout ${JSON.stringify(value)} is not hh:mm:ss`);
  const [, days, hours, minutes, seconds] = match.map(Number) as [number, number, number, number, number];
  return ((((days || 0) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}
