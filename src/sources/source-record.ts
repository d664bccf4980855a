import type { EventDocument } from '../sigma/event-document.js';
import type { WorkloadFacts } from './kube-audit/workload.js';
import type { ClusterRef } from './resource-id.js';
import type { SourceKind } from './source-kind.js';

/** What a pod-bearing write would run; re-exported so code outside src/sources names no source. */
export type { WorkloadFacts };

/** What a finding row needs to know about the record it came from, whatever the source. */
export interface RecordContext {
  /** The event's own times, best first: the record's `time`, then the audit event's stage and request times. */
  readonly times: readonly RecordTime[];
  readonly sourceRecordId: string | undefined;
  readonly operation: string | undefined;
  readonly resultType: string | undefined;
  readonly cluster: ClusterRef | undefined;
  /** A cluster known only by name (a raw apiserver audit file and `--cluster-id <name>`). */
  readonly clusterName?: string;
  readonly namespace: string | undefined;
  readonly workloadKind: string | undefined;
  readonly workloadName: string | undefined;
  readonly caller: string | undefined;
  readonly callerObjectId: string | undefined;
  readonly callerIpAddress: string | undefined;
  /** The authenticated principal's names, for exceptions: a Kubernetes user, or a UPN, app id and object id. */
  readonly principals: readonly string[];
  /**
   * What makes two records the same operation, so they share a FindingId: the Start and Success
   * records of one Activity Log write, or the stages of one audited request.
   */
  readonly operationKey: string;
}

/** Which of the record's clocks a time was read from. */
export type RecordClock = 'time' | 'stageTimestamp' | 'requestReceivedTimestamp';

export interface RecordTime {
  readonly clock: RecordClock;
  readonly value: string;
}

/** A classified record: the document rules run on, and the context its findings are built from. */
export interface SourceRecord {
  readonly source: SourceKind;
  readonly document: EventDocument;
  /** The record as it was decoded (an audit record's `properties.log` still the exported text). */
  readonly raw: Record<string, unknown>;
  /** The parsed audit Event inside `properties.log`, for kube-audit records. */
  readonly embeddedEvent: Record<string, unknown> | undefined;
  context(): RecordContext;
  /** What the written workload would run, when the record carries its body (kube-audit writes). */
  workload(): WorkloadFacts | undefined;
  /** What went wrong reading the record so far, to report against it; forces no derivation. */
  problems(): readonly string[];
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The candidates that are present, in the order given. */
export function recordTimes(candidates: readonly [RecordClock, unknown][]): RecordTime[] {
  return candidates.flatMap(([clock, value]) => {
    const text = stringOrUndefined(value);
    return text === undefined ? [] : [{ clock, value: text }];
  });
}
