import type { DeadLetterStore, FindingSink } from '../emit/finding-sink.js';
import type { Enricher } from '../enrich/enricher.js';
import type { Clock } from '../util/clock.js';

/**
 * The side effects a delivery needs, built once by `createRuntime` (src/azure) and shared by the
 * function, `scan --enrich/--upload` and `listen`. A stage that is absent is skipped.
 */
export interface Runtime {
  readonly clock: Clock;
  /** Absent when enrichment is switched off. */
  readonly enricher: Enricher | undefined;
  /** Absent when findings are not uploaded (`scan` without `--upload`). */
  readonly sink: FindingSink | undefined;
  /** Where rows the sink could not take go; present whenever `sink` is. */
  readonly deadLetter: DeadLetterStore | undefined;
}
