import schema from './finding-schema.json' with { type: 'json' };

/** Log Analytics column types the finding table uses. */
export type ColumnType = 'string' | 'datetime' | 'dynamic' | 'boolean' | 'int' | 'long' | 'real' | 'guid';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

export interface FindingSchema {
  readonly table: string;
  readonly stream: string;
  readonly description: string;
  /** The default cap of each string or dynamic column (UTF-8 JSON bytes); FINDING_COLUMN_MAX_BYTES changes it. */
  readonly columnMaxBytes: number;
  /** The highest cap a setting may choose: Logs Ingestion truncates field values over 64 KB (https://learn.microsoft.com/azure/azure-monitor/service-limits#logs-ingestion-api). */
  readonly columnMaxBytesLimit: number;
  /** The cap of a whole row: well under the 1 MB a Logs Ingestion call accepts, compressed or not (same page). */
  readonly rowMaxBytes: number;
  /** The data collection rule's transformation from the stream to the table. */
  readonly transformKql: string;
  readonly columns: readonly ColumnDefinition[];
}

/** The one definition of the finding row: the code, the DCR and the table all read this file. */
export const FINDING_SCHEMA: FindingSchema = schema as FindingSchema;

export const FINDING_COLUMNS: readonly string[] = FINDING_SCHEMA.columns.map((c) => c.name);
