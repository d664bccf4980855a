import { describe, expect, it } from 'vitest';
import { azureActivityRowShape } from '../../src/sources/activity-log/shapes/azure-activity-row.js';
import { restEventDataShape } from '../../src/sources/activity-log/shapes/rest-event-data.js';
import { activityLogSource } from '../../src/sources/activity-log/source.js';
import { mayHoldOtherShape } from '../../src/sources/shapes.js';
import { activityRecord } from '../helpers/detector.js';
import { azureActivityRow, restEventData } from '../helpers/shapes.js';

const OPERATION = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
const EXPORT = activityRecord(OPERATION);
const SCOPE =
  '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-pay/providers/Microsoft.ContainerService/managedClusters/aks-pay-01';
const CLAIMS = {
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'mallory@contoso.example',
  'http://schemas.microsoft.com/identity/claims/objectidentifier': 'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
};

describe('Activity Log REST EventData', () => {
  const convert = (record: Record<string, unknown>) => restEventDataShape.toSourceRecord(record, {});

  it('converts into the export record, field by field as Microsoft maps them', () => {
    expect(convert({ ...restEventData(EXPORT), description: 'Create or update a CronJob' })).toEqual({
      time: '2025-03-04T09:15:27.4410532Z',
      resourceId: SCOPE,
      operationName: OPERATION,
      category: 'Administrative',
      resultType: 'Succeeded',
      resultSignature: 'Created',
      resultDescription: 'Create or update a CronJob',
      callerIpAddress: '198.51.100.23',
      correlationId: '6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314',
      identity: { authorization: { action: OPERATION, scope: SCOPE }, claims: CLAIMS },
      level: 'Informational',
      properties: {
        eventCategory: 'Administrative',
        eventName: 'EndRequest',
        operationId: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
      },
      tenantId: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
    });
  });

  it('takes plain strings for localized values, keeps the properties, and calls a category-less event Administrative', () => {
    const converted = convert({
      eventTimestamp: '2025-03-04T09:15:27Z',
      operationName: OPERATION,
      status: 'Succeeded',
      category: { localizedValue: 'Administrative' },
      properties: { statusCode: 'Created' },
      httpRequest: 'not an object',
      authorization: 'not an object',
      claims: ['not an object'],
    });
    expect(converted).toEqual({
      time: '2025-03-04T09:15:27Z',
      operationName: OPERATION,
      category: 'Administrative',
      resultType: 'Succeeded',
      identity: {},
      properties: { statusCode: 'Created' },
    });
  });

  it('is recognised by its eventTimestamp key and a localized operation name', () => {
    expect(
      [
        restEventData(EXPORT),
        { eventTimestamp: null, operationName: OPERATION },
        { operationName: { value: OPERATION } },
        { eventTimestamp: '2025-03-04T09:15:27Z', operationName: { value: '' } },
        { eventTimestamp: '2025-03-04T09:15:27Z', operationName: 7 },
      ].map((r) => restEventDataShape.recognise(r)),
    ).toEqual([true, true, false, false, false]);
  });
});

describe('AzureActivity table rows', () => {
  const convert = (record: Record<string, unknown>) => azureActivityRowShape.toSourceRecord(record, {});

  it('convert into the export record', () => {
    expect(convert(azureActivityRow(EXPORT))).toEqual({
      time: '2025-03-04T09:15:27.4410532Z',
      resourceId: EXPORT['resourceId'],
      operationName: OPERATION,
      category: 'Administrative',
      resultType: 'Success',
      resultSignature: 'Succeeded.Created',
      callerIpAddress: '198.51.100.23',
      correlationId: '6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314',
      identity: { authorization: { scope: SCOPE, action: OPERATION }, claims: CLAIMS },
      level: 'Informational',
      properties: {
        eventCategory: 'Administrative',
        operationId: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
        eventDataId: '0c9a3f1e-7b2d-4e5f-8a6b-1c2d3e4f5a6b',
      },
    });
  });

  it('fall back on the older and text columns when the newer ones are empty', () => {
    const converted = convert({
      OperationNameValue: OPERATION,
      EventSubmissionTimestamp: new Date('2025-03-04T09:17:02.123Z'),
      _ResourceId: SCOPE.toLowerCase(),
      Category: 'Write',
      ActivityStatus: 'Succeeded',
      ActivitySubstatus: 'Created',
      ResourceId: '',
      CategoryValue: '',
      Authorization: JSON.stringify({ scope: SCOPE }),
      Claims: JSON.stringify(CLAIMS),
      Properties: '{"statusCode":"Created"}',
    });
    expect(converted).toEqual({
      time: '2025-03-04T09:17:02.123Z',
      resourceId: SCOPE.toLowerCase(),
      operationName: OPERATION,
      category: 'Write',
      resultType: 'Succeeded',
      resultSignature: 'Created',
      identity: { authorization: { scope: SCOPE }, claims: CLAIMS },
      properties: { statusCode: 'Created', eventCategory: 'Write' },
    });
  });

  it('call a row without a category Administrative, and keep an empty identity', () => {
    expect(convert({ OperationNameValue: OPERATION, Properties_d: 'skipped-too-big-size-object' })).toEqual({
      operationName: OPERATION,
      category: 'Administrative',
      identity: {},
      properties: {},
    });
  });

  it('read the dynamic columns when a query projects only those, and the category column alone', () => {
    const converted = convert({
      OperationNameValue: OPERATION,
      CategoryValue: 'Policy',
      Authorization_d: { scope: SCOPE },
      Claims_d: CLAIMS,
      Properties_d: { statusCode: 'Created' },
    });
    expect(converted).toEqual({
      operationName: OPERATION,
      category: 'Policy',
      identity: { authorization: { scope: SCOPE }, claims: CLAIMS },
      properties: { statusCode: 'Created', eventCategory: 'Policy' },
    });
  });

  it('are recognised by their OperationNameValue column', () => {
    expect(
      [{ OperationNameValue: OPERATION }, { OperationNameValue: 7 }, { operationName: OPERATION }].map((r) =>
        azureActivityRowShape.recognise(r),
      ),
    ).toEqual([true, false, false]);
  });
});

describe('the shapes of the Activity Log', () => {
  const shapes = [
    { shape: restEventDataShape, record: restEventData(EXPORT) },
    { shape: azureActivityRowShape, record: azureActivityRow(EXPORT) },
  ];

  it('are listed by the source they name, under stable ids, after the export', () => {
    expect(activityLogSource.shapes.map((s) => s.id)).toEqual([
      'diagnostic-export',
      'rest-event-data',
      'azure-activity-row',
    ]);
    expect(shapes.map(({ shape }) => shape.source)).toEqual([activityLogSource.id, activityLogSource.id]);
  });

  it('each require the key their marker names, so the text of every record of theirs holds it', () => {
    for (const { shape, record } of shapes) {
      const key = JSON.parse(shape.marker) as string;
      expect(JSON.stringify(record), shape.id).toContain(shape.marker);
      expect(shape.recognise(record), shape.id).toBe(true);
      expect(
        shape.recognise(Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))),
        shape.id,
      ).toBe(false);
    }
    expect(mayHoldOtherShape(JSON.stringify(EXPORT))).toBe(false);
    expect(shapes.map(({ record }) => mayHoldOtherShape(JSON.stringify(record)))).toEqual([true, true]);
  });
});
