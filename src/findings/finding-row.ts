/** One row of the findings table; its keys are exactly the columns of finding-schema.json. */
export interface FindingRow {
  TimeGenerated: string;
  DetectedAt: string;
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
  RawRecord: unknown;
  RawRecordTruncated: boolean;
  DetectorVersion: string;
}
