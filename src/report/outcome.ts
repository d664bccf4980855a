import type { FindingRow } from '../findings/finding-row.js';
import { isRecord } from '../util/is-record.js';
import { tryParseJson } from '../util/json.js';

/** What the recorded operation achieved, as a responder asks it: did the write go through? */
export type Outcome = 'succeeded' | 'denied' | 'failed' | 'started' | 'unknown';

/** Outcomes that end an operation; `started` and `unknown` say nothing about whether it worked. */
const FINAL: ReadonlySet<Outcome> = new Set(['succeeded', 'denied', 'failed']);

export function isFinal(outcome: Outcome): boolean {
  return FINAL.has(outcome);
}

/**
 * Reads `ResultType` as the sources build it: kube-audit gives "Success (201)", "Denied (403)" or
 * "Failed (500)"; the Activity Log gives Start, Accept, Success or Failure, where a Failure whose
 * resultSignature or statusCode says Forbidden/Unauthorized was an authorization denial.
 */
export function outcomeOf(row: FindingRow): Outcome {
  const result = row.ResultType ?? '';
  if (/^denied\b/i.test(result)) return 'denied';
  if (/^(success|succeeded|accept)/i.test(result)) return 'succeeded';
  if (/^(fail|failure|failed|server error)/i.test(result))
    return deniedByAuthorization(row.RawRecord) ? 'denied' : 'failed';
  if (/^start/i.test(result)) return 'started';
  return 'unknown';
}

/** RawRecord is the record's JSON text (possibly cut to fit, and then unreadable: not denied). */
function deniedByAuthorization(rawText: string): boolean {
  const record = tryParseJson(rawText);
  if (!isRecord(record)) return false;
  const properties = record['properties'];
  const candidates = [record['resultSignature'], isRecord(properties) ? properties['statusCode'] : undefined];
  return candidates.some((value) => typeof value === 'string' && /forbidden|unauthorized/i.test(value));
}
