import { JsonEventDocument } from '../../sigma/event-document.js';
import { fieldPath, lookupField, MISSING, type FieldLookup, type FieldPath } from '../../sigma/field-path.js';
import { activityCaller } from './caller.js';

type Derive = (root: Record<string, unknown>) => unknown;

/**
 * Field names that SigmaHQ's Activity Log rules borrow from the Sentinel `AzureActivity` table,
 * mapped onto the diagnostic-settings export. Used only when the record has no field of that name.
 * A Map: rule field names must not reach `Object.prototype` (a `toString` field matched everything).
 */
export const ALIASES: ReadonlyMap<string, string | Derive> = new Map<string, string | Derive>([
  ['OperationNameValue', 'operationName'],
  ['OperationName', 'operationName'],
  ['ResourceId', 'resourceId'],
  ['ActivityStatusValue', 'resultType'],
  ['ActivitySubstatusValue', 'resultSignature'],
  ['CallerIpAddress', 'callerIpAddress'],
  ['CorrelationId', 'correlationId'],
  ['Level', 'level'],
  ['CategoryValue', (root) => lookupFirst(root, 'properties.eventCategory') ?? root['category']],
  [
    'ResourceProviderValue',
    (root) => (typeof root['operationName'] === 'string' ? root['operationName'].split('/')[0] : undefined),
  ],
  ['Caller', (root) => activityCaller(root).caller],
  ['SubscriptionId', (root) => subscriptionOf(root['resourceId'])],
]);

/** Whether a field's values are text of the exported record itself (true for plain renames). */
export function isRawActivityField(name: string): boolean {
  const alias = ALIASES.get(name);
  return alias === undefined || typeof alias === 'string';
}

export class ActivityLogDocument extends JsonEventDocument {
  protected override resolve(path: FieldPath): FieldLookup {
    const native = lookupField(this.root, path);
    if (native.present) return native;
    const alias = ALIASES.get(path.name);
    if (alias === undefined) return native;
    if (typeof alias === 'string') return lookupField(this.root, fieldPath(alias));
    const value = alias(this.root);
    return value === undefined ? MISSING : { present: true, values: [value] };
  }
}

function lookupFirst(root: Record<string, unknown>, name: string): unknown {
  return lookupField(root, fieldPath(name)).values[0];
}

/** The subscription of any ARM id, cluster or not, lower-case as `parseClusterId` gives it. */
function subscriptionOf(resourceId: unknown): string | undefined {
  if (typeof resourceId !== 'string') return undefined;
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId.trim())?.[1]?.toLowerCase();
}
