/** One row of the findings table; its keys are exactly the columns of finding-schema.json. */
export interface FindingRow {
  TimeGenerated: string;
  DetectedAt: string;
  EventTime: string;
  EventTimeSource: EventTimeSource;
  FindingId: string;
  RuleId: string;
  RuleTitle: string;
  Severity: string;
  Tactics: readonly string[];
  Techniques: readonly string[];
  Source: string;
  SourceRecordId: string | null;
  Operation: string | null;
  ResultType: string | null;
  ClusterResourceId: string | null;
  ClusterName: string | null;
  ClusterKind: string | null;
  SubscriptionId: string | null;
  ResourceGroup: string | null;
  Namespace: string | null;
  WorkloadKind: string | null;
  WorkloadName: string | null;
  Caller: string | null;
  CallerObjectId: string | null;
  CallerIpAddress: string | null;
  Indicators: Record<string, unknown>;
  Enrichment: Record<string, unknown>;
  RawRecord: string;
  RawRecordTruncated: boolean;
  /** Each column cut to fit the caps, with its original size in bytes. */
  Truncated: Record<string, number>;
  DetectorVersion: string;
}

/** Which clock `EventTime` comes from: the record's, the audit event's, or the detector's. */
export type EventTimeSource = 'time' | 'stageTimestamp' | 'requestReceivedTimestamp' | 'DetectedAt';
