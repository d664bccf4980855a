import { queryResponse } from '../helpers/shapes.js';
import { TEST_TOKEN } from './fake-ingestion.js';
import { FakeHttpsServer, type FakeRequest, type FakeResponse } from './https-fake.js';
import type { TestCertificate } from './tls.js';

export const WORKSPACE_ID = '5e2b9f4c-1d3a-4b6c-8e7f-9a0b1c2d3e4f';

/**
 * The Log Analytics query API (`POST /v1/workspaces/{id}/query`), answering in its documented
 * format: `{"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}` with `dynamic` cells
 * as JSON text. It runs as much of the KQL as the hunt sends: the table, the TimeGenerated bounds
 * and `take`; a table it does not hold gets the service's semantic error.
 */
export class FakeLogQuery {
  readonly queries: {
    table: string;
    start: string;
    end: string;
    take: number;
    text: string;
    prefer: string;
  }[] = [];
  readonly violations: string[] = [];
  private readonly tables = new Map<string, Record<string, unknown>[]>();

  private constructor(readonly server: FakeHttpsServer) {}

  static async start(certificate: TestCertificate): Promise<FakeLogQuery> {
    const holder: { fake?: FakeLogQuery } = {};
    const server = await FakeHttpsServer.start(certificate, (r) => holder.fake?.answer(r) ?? { status: 500 });
    holder.fake = new FakeLogQuery(server);
    return holder.fake;
  }

  /** The query API root, as the client's `endpoint` option takes it. */
  get endpoint(): string {
    return `${this.server.url}/v1`;
  }

  add(table: string, rows: readonly Record<string, unknown>[]): void {
    this.tables.set(table, [...(this.tables.get(table) ?? []), ...rows]);
  }

  private answer(request: FakeRequest): FakeResponse {
    if (request.url.pathname !== `/v1/workspaces/${WORKSPACE_ID}/query`)
      this.violations.push(`path ${request.url.pathname}`);
    if (request.headers.authorization !== `Bearer ${TEST_TOKEN}`) this.violations.push('no bearer token');
    const body = JSON.parse(request.body.toString('utf8')) as { query: string; timespan?: string };
    const text = body.query;
    const table = text.split('\n')[0]?.trim() ?? '';
    const bounds = /TimeGenerated >= datetime\(([^)]+)\) and TimeGenerated < datetime\(([^)]+)\)/.exec(text);
    const take = Number(/\| take (\d+)/.exec(text)?.[1] ?? Infinity);
    if (bounds === null) this.violations.push(`no time bounds in ${text}`);
    const [start, end] = [bounds?.[1] ?? '', bounds?.[2] ?? ''];
    this.queries.push({ table, start, end, take, text, prefer: String(request.headers.prefer ?? '') });
    const rows = this.tables.get(table);
    if (rows === undefined)
      return {
        status: 400,
        body: {
          error: {
            message: 'The request had some invalid properties',
            code: 'BadArgumentError',
            innererror: {
              code: 'SemanticError',
              message: 'A semantic error occurred.',
              innererror: {
                code: 'SEM0100',
                message: `'where' operator: Failed to resolve table or column expression named '${table}'`,
              },
            },
          },
        },
      };
    const from = Date.parse(start);
    const to = Date.parse(end);
    const selected = rows
      .filter((r) => {
        const t = Date.parse(String(r['TimeGenerated']));
        return t >= from && t < to;
      })
      .slice(0, take);
    // `extend X = tostring(X)` makes a datetime column text.
    const asText = [...text.matchAll(/(\w+) = tostring\(\1\)/g)].map((m) => m[1] as string);
    return { status: 200, body: selected.length === 0 ? emptyAnswer() : queryResponse(selected, asText) };
  }
}

function emptyAnswer(): Record<string, unknown> {
  return {
    tables: [{ name: 'PrimaryResult', columns: [{ name: 'TimeGenerated', type: 'datetime' }], rows: [] }],
  };
}
