import { describe, expect, it } from 'vitest';
import { findingId } from '../../src/findings/finding-id.js';

/** Finding ids are stable across versions: the table collapses redelivered findings by them. */

const RULE = 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8';
const KEY = '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1|/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b';

/** SHA-256 of `KubeAudit\0<rule id>\0<key>`, with the version and variant bits set (checked against Python hashlib). */
const PINNED = '132f50a3-b49d-8ff6-b53c-ea3fb94d55fa';

describe('findingId', () => {
  it('is the pinned id for a known rule and operation', () => {
    expect(findingId(RULE, 'KubeAudit', KEY)).toBe(PINNED);
  });

  it('ignores the case of the rule id', () => {
    expect(findingId(RULE.toUpperCase(), 'KubeAudit', KEY)).toBe(PINNED);
  });

  it('differs by source and by operation', () => {
    expect(findingId(RULE, 'AzureActivity', KEY)).not.toBe(PINNED);
    expect(findingId(RULE, 'KubeAudit', `${KEY}x`)).not.toBe(PINNED);
  });

  it('does not let one part run into the next', () => {
    expect(findingId('a', 'b', 'c')).not.toBe(findingId('a', 'bc', ''));
  });

  it('is a version 8, RFC 9562 variant UUID for any input', () => {
    for (const key of ['', 'a', KEY, '\u0000', '€'.repeat(50)])
      expect(findingId(RULE, 'KubeAudit', key)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
  });
});
