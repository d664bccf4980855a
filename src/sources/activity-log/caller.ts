import { isRecord } from '../../util/is-record.js';
import { stringOrUndefined } from '../source-record.js';

const CLAIM = {
  upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
} as const;

export interface ActivityCaller {
  readonly caller: string | undefined;
  readonly objectId: string | undefined;
}

/**
 * The export has no `caller` field: take the principal from the token claims (a user's UPN, else
 * an application's id), falling back to the role-assignment evidence.
 */
export function activityCaller(record: Record<string, unknown>): ActivityCaller {
  const identity = isRecord(record['identity']) ? record['identity'] : {};
  const claims = isRecord(identity['claims']) ? identity['claims'] : {};
  const authorization = isRecord(identity['authorization']) ? identity['authorization'] : {};
  const evidence = isRecord(authorization['evidence']) ? authorization['evidence'] : {};
  const objectId =
    stringOrUndefined(claims[CLAIM.objectId]) ??
    stringOrUndefined(claims['oid']) ??
    formatGuid(stringOrUndefined(evidence['principalId']));
  const caller =
    stringOrUndefined(claims[CLAIM.upn]) ??
    stringOrUndefined(claims['upn']) ??
    stringOrUndefined(claims['unique_name']) ??
    stringOrUndefined(claims[CLAIM.name]) ??
    stringOrUndefined(claims[CLAIM.email]) ??
    stringOrUndefined(claims['appid']) ??
    stringOrUndefined(claims['azp']) ??
    objectId;
  return { caller, objectId };
}

/** Evidence carries object ids without dashes; print them the way every other Azure surface does. */
function formatGuid(id: string | undefined): string | undefined {
  if (id === undefined || !/^[0-9a-f]{32}$/i.test(id)) return id;
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`.toLowerCase();
}
