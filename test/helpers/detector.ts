import { join } from 'node:path';
import type { FindingRow } from '../../src/findings/finding-row.js';
import type { BatchReport } from '../../src/pipeline/batch-report.js';
import {
  Detector,
  type BodyResult,
  type DetectorDeps,
  type InputBody,
  type SuppressedFinding,
} from '../../src/pipeline/detector.js';
import { loadRuleSet } from '../../src/rules/load-rules.js';
import type { RuleSet } from '../../src/rules/rule-set.js';
import type { Clock } from '../../src/util/clock.js';
import { REPO_ROOT } from './shared.js';

export const FIXED_CLOCK: Clock = { now: () => new Date('2025-03-04T10:00:00.000Z') };

export async function bundledRuleSet(): Promise<RuleSet> {
  const { ruleSet, files } = await loadRuleSet([join(REPO_ROOT, 'rules')]);
  const broken = files.filter((f) => f.status === 'error');
  if (broken.length > 0) throw new Error(`bundled rules do not compile: ${JSON.stringify(broken)}`);
  return ruleSet;
}

/** A diagnostic-settings Activity Log record with the given operation and overrides. */
export function activityRecord(
  operationName: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    time: '2025-03-04T09:15:27.4410532Z',
    resourceId:
      '/SUBSCRIPTIONS/3F2A9C10-5B7E-4D21-9A44-0C1D2E3F4A5B/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PAY-01',
    operationName,
    category: 'Administrative',
    resultType: 'Success',
    resultSignature: 'Succeeded.Created',
    callerIpAddress: '198.51.100.23',
    correlationId: '6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314',
    identity: {
      authorization: {
        scope:
          '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-pay/providers/Microsoft.ContainerService/managedClusters/aks-pay-01',
        action: operationName,
      },
      claims: {
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'mallory@contoso.example',
        'http://schemas.microsoft.com/identity/claims/objectidentifier':
          'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
      },
    },
    level: 'Information',
    properties: { eventCategory: 'Administrative' },
    ...overrides,
  };
}

/** Runs a whole batch through one Detector, as the function's invocation does body by body. */
export function processBatch(
  inputs: Iterable<InputBody>,
  deps: DetectorDeps,
): BodyResult & { report: BatchReport } {
  const detector = new Detector(deps);
  const findings: FindingRow[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const input of inputs) {
    const result = detector.processBody(input);
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
  }
  return { findings, suppressed, report: detector.report() };
}
