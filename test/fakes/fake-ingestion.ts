import { FINDING_SCHEMA, type ColumnType } from '../../src/findings/schema.js';
import { FakeHttpsServer, type FakeRequest, type FakeResponse } from './https-fake.js';
import type { TestCertificate } from './tls.js';

export const TEST_TOKEN = 'test-token';
export const DCR_ID = 'dcr-0123456789abcdef0123456789abcdef';

/**
 * The Logs Ingestion endpoint: checks what the service checks — path, api-version, bearer token,
 * gzip, the 1 MB request limit, and every row's columns and types against the finding schema —
 * and keeps the rows it accepted.
 */
export class FakeIngestion {
  readonly rows: Record<string, unknown>[] = [];
  readonly violations: string[] = [];

  private constructor(readonly server: FakeHttpsServer) {}

  static async start(certificate: TestCertificate): Promise<FakeIngestion> {
    const holder: { fake?: FakeIngestion } = {};
    const server = await FakeHttpsServer.start(
      certificate,
      (request) => holder.fake?.accept(request) ?? { status: 500 },
    );
    holder.fake = new FakeIngestion(server);
    return holder.fake;
  }

  get url(): string {
    return this.server.url;
  }

  private accept(request: FakeRequest): FakeResponse {
    const problems: string[] = [];
    const expectedPath = `/dataCollectionRules/${DCR_ID}/streams/${FINDING_SCHEMA.stream}`;
    if (request.method !== 'POST') problems.push(`method ${request.method}`);
    if (request.url.pathname !== expectedPath) problems.push(`path ${request.url.pathname}`);
    if (request.url.searchParams.get('api-version') !== '2023-01-01')
      problems.push(`api-version ${String(request.url.searchParams.get('api-version'))}`);
    if (request.headers.authorization !== `Bearer ${TEST_TOKEN}`)
      problems.push(`authorization ${String(request.headers.authorization)}`);
    if (request.headers['content-encoding'] !== 'gzip') problems.push('body not gzipped');
    // As the service: a call over 1 MB is refused whole with 413, which retrying cannot fix.
    if (request.body.length > 1024 * 1024) {
      this.violations.push(`uncompressed body of ${request.body.length} bytes exceeds 1 MB`);
      return {
        status: 413,
        body: { error: { code: 'ContentLengthLimitExceeded', message: 'Maximum request size is 1 MB' } },
      };
    }
    let rows: unknown;
    try {
      rows = JSON.parse(request.body.toString('utf8'));
    } catch {
      problems.push('body is not JSON');
    }
    if (!Array.isArray(rows)) problems.push('body is not an array');
    else for (const [i, row] of rows.entries()) problems.push(...checkRow(row, i));
    if (problems.length > 0) {
      this.violations.push(...problems);
      return { status: 400, body: { error: { code: 'InvalidRequest', message: problems.join('; ') } } };
    }
    this.rows.push(...(rows as Record<string, unknown>[]));
    return { status: 204 };
  }
}

const TYPES = new Map(FINDING_SCHEMA.columns.map((c) => [c.name, c.type]));

function checkRow(row: unknown, index: number): string[] {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return [`row ${index} is not an object`];
  const problems: string[] = [];
  for (const [column, value] of Object.entries(row)) {
    const type = TYPES.get(column);
    if (type === undefined) problems.push(`row ${index}: column ${column} is not in the stream declaration`);
    else if (!fitsType(value, type))
      problems.push(`row ${index}: ${column}=${JSON.stringify(value)?.slice(0, 60)} is not ${type}`);
  }
  if (typeof (row as Record<string, unknown>)['TimeGenerated'] !== 'string')
    problems.push(`row ${index}: TimeGenerated missing`);
  return problems;
}

function fitsType(value: unknown, type: ColumnType): boolean {
  if (value === null) return true;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof value === 'string';
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
    case 'long':
      return Number.isInteger(value);
    case 'real':
      return typeof value === 'number';
    case 'dynamic':
      return true;
  }
}
