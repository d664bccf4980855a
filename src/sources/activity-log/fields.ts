import type { FieldCatalogue, FieldInfo, FieldType } from '../log-source.js';

const raw = (type: FieldType, meaning: string): FieldInfo => ({ type, origin: 'raw', meaning });
const renamed = (type: FieldType, meaning: string): FieldInfo => ({ type, origin: 'renamed', meaning });
const derived = (type: FieldType, meaning: string): FieldInfo => ({ type, origin: 'derived', meaning });

/**
 * The fields Activity Log rules see: the diagnostic-settings export's own, then the Sentinel
 * `AzureActivity` column names SigmaHQ rules use, which resolve onto the export when the record
 * has no field of that name. Every alias in `ALIASES` is listed here.
 */
export const ACTIVITY_LOG_FIELDS: FieldCatalogue = new Map<string, FieldInfo>([
  ['time', raw('string', 'when the event happened (eventTimestamp), ISO-8601 UTC')],
  ['resourceId', raw('string', 'the ARM id of the resource operated on, often upper-case')],
  [
    'operationName',
    raw('string', 'the ARM operation, e.g. MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE'),
  ],
  ['category', raw('string', 'Administrative, or Write/Delete/Action in older exports')],
  ['resultType', raw('string', 'Start, Accept, Success, Failure, …')],
  ['resultSignature', raw('string', 'the sub-status, e.g. Succeeded.Created')],
  ['resultDescription', raw('string', 'a description of the result, often absent')],
  ['durationMs', raw('number', 'duration in milliseconds; sometimes a string')],
  ['callerIpAddress', raw('string', "the caller's address, missing for service-initiated operations")],
  ['correlationId', raw('string', 'GUID shared by the Start and Success records of one operation')],
  ['level', raw('string', 'Information, Warning, Error or Critical')],
  ['location', raw('string', 'where the event was processed, often global')],
  ['tenantId', raw('string', 'the Entra tenant')],
  ['identity.authorization.action', raw('string', 'the RBAC action authorised')],
  [
    'identity.authorization.scope',
    raw('string', 'the scope authorised; keeps the resource id in its original case'),
  ],
  ['identity.authorization.evidence.principalId', raw('string', 'the object id the role assignment names')],
  ['identity.authorization.evidence.principalType', raw('string', 'User, ServicePrincipal, Group, …')],
  ['identity.authorization.evidence.role', raw('string', 'the role that granted the action')],
  ['identity.authorization.evidence.roleAssignmentScope', raw('string', 'where the role is assigned')],
  [
    'identity.claims',
    raw('object', 'JWT claims keyed by full URI: objectidentifier, upn, appid, ipaddr, name, …'),
  ],
  ['properties.eventCategory', raw('string', 'the event category; Administrative when absent')],
  ['properties.eventName', raw('string', 'BeginRequest or EndRequest')],
  ['properties.operationId', raw('string', 'the operation id')],
  ['properties.statusCode', raw('string', 'the HTTP status, e.g. Created')],
  ['properties.serviceRequestId', raw('string', "the resource provider's request id")],
  ['properties.entity', raw('string', 'the resource id operated on')],
  ['properties.message', raw('string', 'the operation name as a message')],
  ['properties.hierarchy', raw('string', 'the management-group path of the subscription')],
  ['properties.requestbody', raw('string', 'the request body as a JSON string, when logged')],
  ['properties.responseBody', raw('string', 'the response body as a JSON string, when logged')],
  ['OperationNameValue', renamed('string', 'Sentinel name of operationName')],
  ['OperationName', renamed('string', 'Sentinel name of operationName')],
  ['ResourceId', renamed('string', 'Sentinel name of resourceId')],
  ['ActivityStatusValue', renamed('string', 'Sentinel name of resultType')],
  ['ActivitySubstatusValue', renamed('string', 'Sentinel name of resultSignature')],
  ['CallerIpAddress', renamed('string', 'Sentinel name of callerIpAddress')],
  ['CorrelationId', renamed('string', 'Sentinel name of correlationId')],
  ['Level', renamed('string', 'Sentinel name of level')],
  ['CategoryValue', derived('string', 'properties.eventCategory, else category')],
  ['ResourceProviderValue', derived('string', 'the provider namespace: the first segment of operationName')],
  ['Caller', derived('string', 'the caller: UPN, else app id, else object id, from the claims')],
  ['SubscriptionId', derived('string', 'the subscription of resourceId, lower-case')],
]);
