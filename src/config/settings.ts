import type { FindingPolicy } from '../findings/finding-policy.js';
import { FINDING_SCHEMA } from '../findings/schema.js';
import { REDACTION_MODES, type RedactionMode } from '../redact/redaction-mode.js';

/** Everything the runtime reads from app settings, validated once at start-up. */
export interface Settings {
  readonly activityLogHubName: string;
  readonly auditHubName: string | undefined;
  readonly consumerGroup: string;
  readonly eventHubNamespace: string;
  readonly ingestion: {
    readonly endpoint: string;
    readonly dcrImmutableId: string;
    readonly streamName: string;
    readonly timeoutMs: number;
    readonly maxRetries: number;
  };
  readonly deadLetterContainerUrl: string;
  readonly enrichment: {
    readonly enabled: boolean;
    readonly armEndpoint: string;
    readonly cacheTtlMs: number;
    readonly budgetMs: number;
  };
  readonly findings: FindingPolicy;
}

/** The connection prefix the Event Hub triggers use; identity-based, so only the namespace is set. */
export const EVENT_HUB_CONNECTION = 'EventHubConnection';

/** Every setting, with what it is for; `local.settings.example.json` and the Bicep templates list the same names. */
export const SETTING_NAMES = {
  activityLogHub: 'ACTIVITY_LOG_HUB_NAME',
  auditHub: 'AKS_AUDIT_HUB_NAME',
  consumerGroup: 'EVENTHUB_CONSUMER_GROUP',
  eventHubNamespace: `${EVENT_HUB_CONNECTION}__fullyQualifiedNamespace`,
  ingestionEndpoint: 'LOGS_INGESTION_ENDPOINT',
  dcrImmutableId: 'LOGS_INGESTION_DCR_IMMUTABLE_ID',
  streamName: 'LOGS_INGESTION_STREAM_NAME',
  ingestionTimeout: 'LOGS_INGESTION_TIMEOUT_SECONDS',
  ingestionRetries: 'LOGS_INGESTION_MAX_RETRIES',
  deadLetterContainer: 'DEADLETTER_CONTAINER_URL',
  enrichmentEnabled: 'ENRICHMENT_ENABLED',
  armEndpoint: 'ARM_ENDPOINT',
  enrichmentTtl: 'ENRICHMENT_CACHE_TTL_SECONDS',
  enrichmentBudget: 'ENRICHMENT_BUDGET_SECONDS',
  redaction: 'REDACTION',
  columnMaxBytes: 'FINDING_COLUMN_MAX_BYTES',
} as const;

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks every setting, reporting all problems at once, each naming its setting. */
export function readSettings(env: Env): Settings {
  const problems: string[] = [];
  const reader = new SettingReader(env, problems);
  const n = SETTING_NAMES;
  const settings: Settings = {
    activityLogHubName: reader.required(n.activityLogHub, HUB_NAME, 'an Event Hub name'),
    auditHubName: reader.optional(n.auditHub, HUB_NAME, 'an Event Hub name'),
    consumerGroup:
      reader.optional(
        n.consumerGroup,
        /^(\$Default|[A-Za-z0-9][A-Za-z0-9._-]{0,49})$/,
        'a consumer group name',
      ) ?? '$Default',
    eventHubNamespace: reader.required(
      n.eventHubNamespace,
      /^[A-Za-z0-9.-]+(:\d+)?$/,
      'a fully qualified namespace such as contoso.servicebus.windows.net',
    ),
    ingestion: ingestion(reader),
    deadLetterContainerUrl: deadLetter(reader),
    enrichment: enrichment(reader),
    findings: findingPolicy(reader),
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

/** The settings one part needs, for the CLI, which runs only some parts. */
export function readPartialSettings<
  K extends 'ingestion' | 'enrichment' | 'deadLetterContainerUrl' | 'findings',
>(env: Env, parts: readonly K[]): Pick<Settings, K> {
  const problems: string[] = [];
  const reader = new SettingReader(env, problems);
  const out: Partial<Settings> = {};
  for (const part of parts) {
    if (part === 'ingestion') Object.assign(out, { ingestion: ingestion(reader) });
    if (part === 'enrichment') Object.assign(out, { enrichment: enrichment(reader) });
    if (part === 'deadLetterContainerUrl') Object.assign(out, { deadLetterContainerUrl: deadLetter(reader) });
    if (part === 'findings') Object.assign(out, { findings: findingPolicy(reader) });
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return out as Pick<Settings, K>;
}

function ingestion(reader: SettingReader): Settings['ingestion'] {
  const n = SETTING_NAMES;
  return {
    endpoint: reader.url(n.ingestionEndpoint, true) ?? '',
    dcrImmutableId: reader.required(
      n.dcrImmutableId,
      /^dcr-[0-9a-f]{32}$/,
      'a data collection rule immutable id (dcr- and 32 hex digits)',
    ),
    streamName:
      reader.optional(
        n.streamName,
        /^Custom-[A-Za-z0-9_]+$/,
        'a stream name such as Custom-KubeJobFindings',
      ) ?? FINDING_SCHEMA.stream,
    timeoutMs: reader.seconds(n.ingestionTimeout, 30),
    maxRetries: reader.integer(n.ingestionRetries, 3, 0, 10),
  };
}

function deadLetter(reader: SettingReader): string {
  return reader.url(SETTING_NAMES.deadLetterContainer, true) ?? '';
}

function enrichment(reader: SettingReader): Settings['enrichment'] {
  const n = SETTING_NAMES;
  return {
    enabled: reader.boolean(n.enrichmentEnabled, true),
    armEndpoint: reader.url(n.armEndpoint, false) ?? 'https://management.azure.com',
    cacheTtlMs: reader.seconds(n.enrichmentTtl, 900),
    budgetMs: reader.seconds(n.enrichmentBudget, 20),
  };
}

/** REDACTION (default, strict, off) and FINDING_COLUMN_MAX_BYTES (4096 up to the 64 KB Logs Ingestion keeps whole). */
function findingPolicy(reader: SettingReader): FindingPolicy {
  const n = SETTING_NAMES;
  const mode = reader.optional(n.redaction, /^(default|strict|off)$/, `one of ${REDACTION_MODES.join(', ')}`);
  return {
    redaction: (mode ?? 'default') as RedactionMode,
    columnMaxBytes: reader.integer(
      n.columnMaxBytes,
      FINDING_SCHEMA.columnMaxBytes,
      4096,
      FINDING_SCHEMA.columnMaxBytesLimit,
    ),
  };
}

const HUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;

class SettingReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private value(name: string): string | undefined {
    const raw = this.env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  }

  required(name: string, pattern: RegExp, what: string): string {
    const value = this.value(name);
    if (value === undefined) {
      this.problems.push(`${name} is not set (expected ${what})`);
      return '';
    }
    return this.check(name, value, pattern, what) ?? '';
  }

  optional(name: string, pattern: RegExp, what: string): string | undefined {
    const value = this.value(name);
    return value === undefined ? undefined : this.check(name, value, pattern, what);
  }

  url(name: string, required: boolean): string | undefined {
    const value = this.value(name);
    if (value === undefined) {
      if (required) this.problems.push(`${name} is not set (expected an https:// URL)`);
      return undefined;
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(`${name} is not a URL: "${value}"`);
      return undefined;
    }
    if (parsed.protocol !== 'https:') {
      this.problems.push(
        `${name} must be an https:// URL (Azure SDK bearer tokens are only sent over TLS): "${value}"`,
      );
      return undefined;
    }
    return value.replace(/\/+$/, '');
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.value(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problems.push(`${name} must be true or false, not "${value}"`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.value(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
      return fallback;
    }
    return n;
  }

  seconds(name: string, fallbackSeconds: number): number {
    return this.integer(name, fallbackSeconds, 1, 3600) * 1000;
  }

  private check(name: string, value: string, pattern: RegExp, what: string): string | undefined {
    if (pattern.test(value)) return value;
    this.problems.push(`${name} is "${value}", which is not ${what}`);
    return undefined;
  }
}
