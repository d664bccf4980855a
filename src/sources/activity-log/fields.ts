import { derivedField, rawField, renamedField } from '../field-info.js';
import type { FieldCatalogue, FieldInfo } from '../log-source.js';

/**
 * The fields Activity Log rules see: the diagnostic-settings export's own, then the Sentinel
 * `AzureActivity` column names SigmaHQ rules use, which resolve onto the export when the record
 * has no field of that name. Every alias in `ALIASES` is listed here.
 */
export const ACTIVITY_LOG_FIELDS: FieldCatalogue = new Map<string, FieldInfo>([
  ['time', rawField('string', 'when the event happened (eventTimestamp), ISO-8601 UTC')],
  ['resourceId', rawField('string', 'the ARM id of the resource operated on, often upper-case')],
  [
    'operationName',
    rawField(
      'string',
      'the ARM operation, e.g. MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE',
    ),
  ],
  ['category', rawField('string', 'Administrative, or Write/Delete/Action in older exports')],
  ['resultType', rawField('string', 'Start, Accept, Success, Failure, …')],
  ['resultSignature', rawField('string', 'the sub-status, e.g. Succeeded.Created')],
  ['resultDescription', rawField('string', 'a description of the result, often absent')],
  ['durationMs', rawField('number', 'duration in milliseconds; sometimes a string')],
  ['callerIpAddress', rawField('string', "the caller's address, missing for service-initiated operations")],
  ['correlationId', rawField('string', 'GUID shared by the Start and Success records of one operation')],
  ['level', rawField('string', 'Information, Warning, Error or Critical')],
  ['location', rawField('string', 'where the event was processed, often global')],
  ['tenantId', rawField('string', 'the Entra tenant')],
  ['identity.authorization.action', rawField('string', 'the RBAC action authorised')],
  [
    'identity.authorization.scope',
    rawField('string', 'the scope authorised; keeps the resource id in its original case'),
  ],
  [
    'identity.authorization.evidence.principalId',
    rawField('string', 'the object id the role assignment names'),
  ],
  ['identity.authorization.evidence.principalType', rawField('string', 'User, ServicePrincipal, Group, …')],
  ['identity.authorization.evidence.role', rawField('string', 'the role that granted the action')],
  ['identity.authorization.evidence.roleAssignmentScope', rawField('string', 'where the role is assigned')],
  [
    'identity.authorization.evidence.roleAssignmentId',
    rawField('string', 'the role assignment that granted it'),
  ],
  [
    'identity.authorization.evidence.roleDefinitionId',
    rawField('string', 'the role definition that granted it'),
  ],
  [
    'identity.claims',
    rawField('object', 'JWT claims keyed by full URI: objectidentifier, upn, appid, ipaddr, name, …'),
  ],
  [
    'properties',
    rawField(
      'object',
      'event-specific properties; their keys vary by category and operation, so any is accepted',
    ),
  ],
  ['properties.eventCategory', rawField('string', 'the event category; Administrative when absent')],
  ['properties.eventName', rawField('string', 'BeginRequest or EndRequest')],
  ['properties.operationId', rawField('string', 'the operation id')],
  ['properties.statusCode', rawField('string', 'the HTTP status, e.g. Created')],
  ['properties.serviceRequestId', rawField('string', "the resource provider's request id")],
  ['properties.entity', rawField('string', 'the resource id operated on')],
  ['properties.message', rawField('string', 'the operation name as a message')],
  ['properties.hierarchy', rawField('string', 'the management-group path of the subscription')],
  ['properties.requestbody', rawField('string', 'the request body as a JSON string, when logged')],
  ['properties.responseBody', rawField('string', 'the response body as a JSON string, when logged')],
  ['OperationNameValue', renamedField('string', 'Sentinel name of operationName')],
  ['OperationName', renamedField('string', 'Sentinel name of operationName')],
  ['ResourceId', renamedField('string', 'Sentinel name of resourceId')],
  ['ActivityStatusValue', renamedField('string', 'Sentinel name of resultType')],
  ['ActivitySubstatusValue', renamedField('string', 'Sentinel name of resultSignature')],
  ['CallerIpAddress', renamedField('string', 'Sentinel name of callerIpAddress')],
  ['CorrelationId', renamedField('string', 'Sentinel name of correlationId')],
  ['Level', renamedField('string', 'Sentinel name of level')],
  ['CategoryValue', derivedField('string', 'properties.eventCategory, else category')],
  [
    'ResourceProviderValue',
    derivedField('string', 'the provider namespace: the first segment of operationName'),
  ],
  ['Caller', derivedField('string', 'the caller: UPN, else app id, else object id, from the claims')],
  ['SubscriptionId', derivedField('string', 'the subscription of resourceId, lower-case')],
]);
