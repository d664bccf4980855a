import { describe, expect, it } from 'vitest';
import { activityLogSource } from '../../src/sources/activity-log/source.js';
import { catalogueTable, catalogueTables } from '../../src/sources/catalogue-table.js';
import { derivedField, rawField, renamedField } from '../../src/sources/field-info.js';
import type { LogSource } from '../../src/sources/log-source.js';
import { describeLogsource } from '../../src/sources/source-kind.js';

const source = (fields: LogSource['fields']): LogSource => ({ ...activityLogSource, fields });

describe('field catalogue tables', () => {
  it('print one row per field with its type, meaning and origin, escaping what would break the table', () => {
    const table = catalogueTable(
      source(
        new Map([
          ['verb', rawField('string', 'get | list | create')],
          ['OperationName', renamedField('string', 'Sentinel name\nof operationName')],
          ['host_path', derivedField('boolean', 'mounts a host path')],
        ]),
      ),
    );
    expect(table).toBe(
      [
        '#### Activity Log (`AzureActivity`)',
        '',
        '| field | type | meaning | origin |',
        '| --- | --- | --- | --- |',
        '| `verb` | string | get \\| list \\| create | raw |',
        '| `OperationName` | string | Sentinel name of operationName | renamed |',
        '| `host_path` | boolean | mounts a host path | derived |',
        '',
      ].join('\n'),
    );
  });

  it('print every source one after another', () => {
    const one = source(new Map([['time', rawField('string', 'when the event happened')]]));
    expect(catalogueTables([one, one])).toBe(`${catalogueTable(one)}\n${catalogueTable(one)}`);
  });
});

describe('Sigma log sources in reports', () => {
  it('read category/product/service, with a dash for what the rule leaves out', () => {
    expect(
      [
        { product: 'azure', service: 'activitylogs' },
        { category: 'process_creation', product: 'windows' },
        { category: 'application', product: 'kubernetes', service: 'audit' },
        {},
      ].map(describeLogsource),
    ).toEqual([
      '-/azure/activitylogs',
      'process_creation/windows/-',
      'application/kubernetes/audit',
      '-/-/-',
    ]);
  });
});
