import { emitFindings, type EmitOutcome } from '../emit/emit-findings.js';
import type { EnrichmentOutcome } from '../enrich/enricher.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { Runtime } from './runtime.js';

export interface Delivery {
  /** The rows as delivered: enriched when the runtime enriches. */
  readonly rows: FindingRow[];
  readonly enrichment: EnrichmentOutcome | 'disabled';
  /** All zero when the runtime does not upload. */
  readonly upload: EmitOutcome;
}

const NOTHING_UPLOADED: EmitOutcome = { uploaded: 0, deadLettered: 0, deadLetterBlobs: [], errors: [] };

/**
 * Enrich, then emit: the one delivery stage after detection. `context` is kept with dead-lettered
 * rows to say where they came from. Throws only when rows could be neither uploaded nor
 * dead-lettered (`DeadLetterFailedError`).
 */
export async function deliverFindings(
  findings: FindingRow[],
  runtime: Runtime,
  context: Readonly<Record<string, unknown>>,
): Promise<Delivery> {
  let rows = findings;
  let enrichment: Delivery['enrichment'] = 'disabled';
  if (runtime.enricher !== undefined && findings.length > 0) {
    const enriched = await runtime.enricher.enrich(findings);
    rows = enriched.findings;
    enrichment = enriched.outcome;
  }
  const upload =
    runtime.sink === undefined || runtime.deadLetter === undefined
      ? NOTHING_UPLOADED
      : await emitFindings(rows, runtime.sink, runtime.deadLetter, context, () => runtime.clock.now());
  return { rows, enrichment, upload };
}
