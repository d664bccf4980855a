import { createHash } from 'node:crypto';

/**
 * A deterministic, UUID-shaped id (RFC 9562 version 8): the same rule on the same operation
 * always yields the same id, so redelivery and the Start/Success records of one write collapse.
 */
export function findingId(ruleId: string, source: string, operationKey: string): string {
  const hex = createHash('sha256')
    .update(`${source}\u0000${ruleId.toLowerCase()}\u0000${operationKey}`)
    .digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
