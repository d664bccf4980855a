import { createRequire } from 'node:module';
import { FINDING_SCHEMA, type ColumnType } from '../../src/findings/schema.js';

/**
 * `@kusto/language-service-next` is Kusto.Language compiled to JavaScript with Bridge.NET: plain
 * scripts that define a global `Kusto`. This facade types the few calls the tests make.
 */
interface KustoDiagnostic {
  readonly Severity: string;
  readonly Message: string;
  readonly Start: number;
}
interface KustoList<T> {
  readonly Count: number;
  getItem(index: number): T;
}
interface KustoLanguage {
  Symbols: {
    ColumnSymbol: new (name: string, type: unknown) => unknown;
    TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
    DatabaseSymbol: { ctor: new (name: string, tables: unknown[]) => unknown };
    ClusterSymbol: { ctor: new (name: string, databases: unknown[]) => unknown };
    ScalarTypes: Record<string, unknown>;
  };
  GlobalState: { Default: { WithCluster(cluster: unknown): { WithDatabase(db: unknown): unknown } } };
  KustoCode: {
    ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): KustoList<KustoDiagnostic> };
  };
}

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
const Kusto = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;

const SCALAR: Record<ColumnType, string> = {
  string: 'String',
  datetime: 'DateTime',
  dynamic: 'Dynamic',
  boolean: 'Bool',
  int: 'Int',
  long: 'Long',
  real: 'Real',
  guid: 'Guid',
};

function table(name: string, columns: readonly { name: string; type: ColumnType }[]): unknown {
  return new Kusto.Symbols.TableSymbol.$ctor4(
    name,
    columns.map((c) => new Kusto.Symbols.ColumnSymbol(c.name, Kusto.Symbols.ScalarTypes[SCALAR[c.type]])),
  );
}

function columns(type: ColumnType, names: string): { name: string; type: ColumnType }[] {
  return names.split(' ').map((name) => ({ name, type }));
}

/** The workspace as the queries see it: the findings table from the schema JSON, and Application Insights' AppTraces. */
const workspace = new Kusto.Symbols.DatabaseSymbol.ctor('workspace', [
  table(FINDING_SCHEMA.table, FINDING_SCHEMA.columns),
  table('AppTraces', [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Message', type: 'string' },
    { name: 'SeverityLevel', type: 'int' },
    { name: 'Properties', type: 'dynamic' },
    { name: 'OperationName', type: 'string' },
    { name: 'AppRoleName', type: 'string' },
  ]),
  // A DCR transformation reads its input stream as the table `source`.
  table('source', FINDING_SCHEMA.columns),
  // The tables `hunt` queries, with the columns of the Azure Monitor table reference.
  table('AzureActivity', [
    ...columns(
      'string',
      'ActivityStatusValue ActivitySubstatusValue Authorization Caller CallerIpAddress Category CategoryValue Claims CorrelationId EventDataId Level OperationId OperationNameValue Properties ResourceId _ResourceId SubscriptionId TenantId Type',
    ),
    ...columns('dynamic', 'Authorization_d Claims_d Properties_d'),
    ...columns('datetime', 'TimeGenerated EventSubmissionTimestamp'),
  ]),
  ...['AKSAudit', 'AKSAuditAdmin'].map((name) =>
    table(name, [
      ...columns(
        'string',
        'AuditId Level PodName RequestUri SourceSystem Stage TenantId Type UserAgent Verb _ResourceId',
      ),
      ...columns(
        'dynamic',
        'Annotations ObjectRef RequestObject ResponseObject ResponseStatus SourceIps User',
      ),
      ...columns('datetime', 'RequestReceivedTime StageReceivedTime TimeGenerated'),
    ]),
  ),
  table('AzureDiagnostics', [
    ...columns('string', 'Category ResourceId ResourceProvider log_s pod_s stream_s Type'),
    ...columns('datetime', 'TimeGenerated'),
  ]),
]);
const globals = Kusto.GlobalState.Default.WithCluster(
  new Kusto.Symbols.ClusterSymbol.ctor('cluster', [workspace]),
).WithDatabase(workspace);

/** Errors (severity Error only) the Kusto analyzer reports for a query. */
export function kqlErrors(query: string): string[] {
  const diagnostics = Kusto.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
  const errors: string[] = [];
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === 'Error')
      errors.push(`${d.Message} (at ${d.Start}: "${query.slice(d.Start, d.Start + 30)}")`);
  }
  return errors;
}
