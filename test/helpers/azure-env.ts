import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { ContainerClient } from '@azure/storage-blob';
import { createRuntime } from '../../src/azure/create-runtime.js';
import { readSettings } from '../../src/config/settings.js';
import type { InvocationDeps } from '../../src/pipeline/invocation.js';
import { connectedClusterResource, FakeArm, managedClusterResource } from '../fakes/fake-arm.js';
import { DCR_ID, FakeIngestion, TEST_TOKEN } from '../fakes/fake-ingestion.js';
import { generateTestCertificate, trustPolicy, type TestCertificate } from '../fakes/tls.js';
import { startAzurite, type RunningAzurite } from '../fakes/azurite.js';
import { bundledRuleSet } from './detector.js';
import { REPO_ROOT } from './shared.js';

export const staticCredential: TokenCredential = {
  getToken: async () => ({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export const SAMPLE_CLUSTERS = {
  payments:
    '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-pay-weu-01',
  batch:
    '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-batch/providers/Microsoft.ContainerService/managedClusters/aks-batch-neu-02',
  arc: '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/arc-store-117',
};

/** Local stand-ins for every Azure service the runtime talks to, started once per test file. */
export interface AzureFakes {
  readonly certificate: TestCertificate;
  readonly ingestion: FakeIngestion;
  readonly arm: FakeArm;
  readonly azurite: RunningAzurite;
  readonly deadLetter: ContainerClient;
  stop(): Promise<void>;
}

export async function startAzureFakes(): Promise<AzureFakes> {
  const certificate = await generateTestCertificate();
  const [ingestion, arm, azurite] = await Promise.all([
    FakeIngestion.start(certificate),
    FakeArm.start(certificate),
    startAzurite(),
  ]);
  arm.add(managedClusterResource(SAMPLE_CLUSTERS.payments));
  arm.add(managedClusterResource(SAMPLE_CLUSTERS.batch));
  arm.add(connectedClusterResource(SAMPLE_CLUSTERS.arc));
  const deadLetter = await azurite.container('kube-job-detector-deadletter');
  return {
    certificate,
    ingestion,
    arm,
    azurite,
    deadLetter,
    async stop() {
      await Promise.all([ingestion.server.close(), arm.server.close(), azurite.stop()]);
    },
  };
}

export function settingsEnv(fakes: AzureFakes, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ACTIVITY_LOG_HUB_NAME: 'insights-activity-logs',
    AKS_AUDIT_HUB_NAME: 'insights-logs-kube-audit-admin',
    EVENTHUB_CONSUMER_GROUP: 'kube-job-detector',
    EventHubConnection__fullyQualifiedNamespace: 'contoso-detector.servicebus.windows.net',
    LOGS_INGESTION_ENDPOINT: fakes.ingestion.url,
    LOGS_INGESTION_DCR_IMMUTABLE_ID: DCR_ID,
    LOGS_INGESTION_TIMEOUT_SECONDS: '2',
    LOGS_INGESTION_MAX_RETRIES: '2',
    DEADLETTER_CONTAINER_URL: `https://127.0.0.1:${fakes.azurite.port}/devstoreaccount1/kube-job-detector-deadletter`,
    ARM_ENDPOINT: fakes.arm.url,
    ENRICHMENT_BUDGET_SECONDS: '5',
    ...extra,
  };
}

/** The runtime the function builds, with the fakes' certificate trusted and a static token. */
export async function runtimeFor(
  fakes: AzureFakes,
  options: { env?: Record<string, string>; deadLetter?: ContainerClient } = {},
): Promise<InvocationDeps> {
  const settings = readSettings(settingsEnv(fakes, options.env));
  const runtime = createRuntime(settings, {
    credential: staticCredential,
    deadLetterContainer: options.deadLetter ?? fakes.deadLetter,
    additionalPolicies: [trustPolicy(fakes.certificate)],
    ingestionRetryDelayMs: 20,
  });
  return {
    ...runtime,
    ruleSet: await bundledRuleSet(),
    detectorVersion: 'test',
    findingPolicy: settings.findings,
  };
}

/** Every bundled sample body, as the Functions host would hand it over (parsed JSON). */
export function sampleBodies(): unknown[] {
  const bodies: unknown[] = [];
  for (const dir of ['activity-log', 'kube-audit']) {
    for (const file of readdirSync(join(REPO_ROOT, 'samples', dir)).sort()) {
      const text = readFileSync(join(REPO_ROOT, 'samples', dir, file), 'utf8').replace(/^\uFEFF/, '');
      if (file === 'PT1H.json')
        bodies.push({
          records: text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as unknown),
        });
      else bodies.push(JSON.parse(text) as unknown);
    }
  }
  return bodies;
}
