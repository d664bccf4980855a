import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';
import {
  allResources,
  BICEP_MISSING,
  bicepPath,
  compileMain,
  type ArmResource,
  type ArmTemplate,
} from '../helpers/bicep.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** Each fix of issue 14 that shows in the ARM JSON the real Bicep CLI compiles from infra/. */

let template: ArmTemplate | undefined;

beforeAll(() => {
  const bicep = bicepPath();
  if (bicep !== undefined) template = compileMain(bicep).template;
}, 120_000);

function main(): ArmTemplate {
  if (template === undefined) throw new Error('not compiled');
  return template;
}

function ofType(type: string): { resource: ArmResource; template: ArmTemplate }[] {
  return allResources(main()).filter((r) => r.resource.type === type);
}

function only(type: string): { resource: ArmResource; template: ArmTemplate } {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as { resource: ArmResource; template: ArmTemplate };
}

/** The module deployment of main.bicep with this symbolic name (`module <name> ...`). */
function moduleNamed(name: string): ArmResource {
  const resources = main().resources;
  const found = Array.isArray(resources) ? undefined : resources[name];
  if (found?.type !== 'Microsoft.Resources/deployments') throw new Error(`no module ${name}`);
  return found;
}

function passed(module: ArmResource, parameter: string): unknown {
  const value = module.properties?.parameters?.[parameter];
  return value?.value ?? value;
}

function parameter(name: string): Record<string, unknown> {
  return main().parameters?.[name] as Record<string, unknown>;
}

const text = (value: unknown): string => JSON.stringify(value);

describe('the deployment as compiled by the real Bicep CLI', () => {
  it('sets nothing Flex Consumption rejects and turns FTP and SCM credentials off', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const site = only('Microsoft.Web/sites').resource;
    const siteConfig = (site.properties as { siteConfig: Record<string, unknown> }).siteConfig;
    for (const rejected of [
      'ftpsState',
      'use32BitWorkerProcess',
      'netFrameworkVersion',
      'functionsRuntimeScaleMonitoringEnabled',
      'linuxFxVersion',
      'alwaysOn',
    ]) {
      expect(Object.keys(siteConfig), rejected).not.toContain(rejected);
    }
    const settings = text(site) + text(passed(moduleNamed('functionApp'), 'detectorSettings'));
    for (const deprecated of [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTSHARE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
    ]) {
      expect(settings, deprecated).not.toContain(deprecated);
    }
    const policies = ofType('Microsoft.Web/sites/basicPublishingCredentialsPolicies').map((r) => ({
      name: String(r.resource.name),
      allow: r.resource.properties?.['allow'],
    }));
    expect(policies.map((p) => /'(ftp|scm)'\)\]$/.exec(p.name)?.[1]).sort()).toEqual(['ftp', 'scm']);
    for (const policy of policies) expect(policy.allow).toBe(false);
  });

  it("lets maximumInstanceCount go from 1 to 1000, defaulting to Flex's 100", (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    expect(parameter('maximumInstanceCount')).toMatchObject({
      minValue: 1,
      maxValue: 1000,
      defaultValue: 100,
    });
    expect(passed(moduleNamed('functionApp'), 'maximumInstanceCount')).toBe(
      "[parameters('maximumInstanceCount')]",
    );
  });

  it("puts the DCR, the workbook and the alert in the workspace's region, read from the workspace", (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const table = moduleNamed('findingsTable');
    const outputs = (table.properties?.template as { outputs: Record<string, { value: string }> }).outputs;
    expect(outputs['location']?.value).toMatch(
      /reference\(.*Microsoft\.OperationalInsights\/workspaces.*'full'\)\.location/,
    );
    const fromWorkspace = "[reference('findingsTable').outputs.location.value]";
    for (const name of ['ingestion', 'workbook', 'alert']) {
      expect(passed(moduleNamed(name), 'location'), name).toBe(fromWorkspace);
    }
    expect(only('Microsoft.Insights/dataCollectionRules').resource.location).toBe("[parameters('location')]");
  });

  it('gives the function app and its storage their own functionLocation, apart from the hubs', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    expect(parameter('functionLocation')).toMatchObject({
      type: 'string',
      defaultValue: "[parameters('location')]",
    });
    expect(passed(moduleNamed('functionApp'), 'location')).toBe("[parameters('functionLocation')]");
    expect(passed(moduleNamed('storage'), 'location')).toBe("[parameters('functionLocation')]");
    expect(passed(moduleNamed('eventHubs'), 'location')).toBe("[parameters('location')]");
    for (const type of ['Microsoft.Web/sites', 'Microsoft.Web/serverfarms']) {
      expect(only(type).resource.location, type).toBe("[parameters('location')]");
    }
  });

  it('creates a local consumer group by default, and the example settings use it, not the deployed one', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    expect(parameter('createLocalConsumerGroup')).toMatchObject({ type: 'bool', defaultValue: true });
    const hubs = main().variables?.['hubs'] as Record<string, string>;
    expect(hubs['localConsumerGroup']).toBe('kube-job-detector-local');
    const groups = String(passed(moduleNamed('eventHubs'), 'consumerGroupNames'));
    expect(groups).toMatch(
      /^\[if\(parameters\('createLocalConsumerGroup'\), .*variables\('hubs'\)\.localConsumerGroup/,
    );
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'local.settings.example.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    expect(example.Values['EVENTHUB_CONSUMER_GROUP']).toBe(hubs['localConsumerGroup']);
    const deployed = passed(moduleNamed('functionApp'), 'detectorSettings') as Record<string, string>;
    expect(deployed['EVENTHUB_CONSUMER_GROUP']).toBe("[variables('hubs').consumerGroup]");
    expect(hubs['consumerGroup']).not.toBe(hubs['localConsumerGroup']);
  });

  it('keeps local auth for the export through one Send-only rule, and the app reads with its identity', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    expect(main().parameters).not.toHaveProperty('eventHubDisableLocalAuth');
    expect(only('Microsoft.EventHub/namespaces').resource.properties?.['disableLocalAuth']).toBe(false);
    const rule = only('Microsoft.EventHub/namespaces/authorizationRules').resource;
    expect(rule.properties?.['rights']).toEqual(['Send']);
    const exports = ofType('Microsoft.Insights/diagnosticSettings');
    expect(exports).toHaveLength(2);
    for (const setting of exports) {
      expect(setting.resource.properties?.['eventHubAuthorizationRuleId']).toBe(
        "[parameters('eventHubAuthorizationRuleId')]",
      );
    }
    const deployed = passed(moduleNamed('functionApp'), 'detectorSettings') as Record<string, string>;
    const connection = Object.keys(deployed).filter((k) => k.startsWith('EventHubConnection'));
    expect(connection).toEqual(['EventHubConnection__fullyQualifiedNamespace']);
  });

  it('ties the workbook to the workspace: its resource group, sourceId, gallery and fallbackResourceIds', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const workbookModule = moduleNamed('workbook');
    const tableModule = moduleNamed('findingsTable');
    expect(workbookModule.subscriptionId).toBe(tableModule.subscriptionId);
    expect(workbookModule.resourceGroup).toBe(tableModule.resourceGroup);
    expect(workbookModule.resourceGroup).toBe("[split(variables('workspaceId'), '/')[4]]");
    expect(passed(workbookModule, 'workspaceId')).toBe("[variables('workspaceId')]");
    const { resource, template: holder } = only('Microsoft.Insights/workbooks');
    expect(resource.properties).toMatchObject({
      category: 'workbook',
      sourceId: "[parameters('workspaceId')]",
      serializedData: "[string(variables('content'))]",
    });
    const content = String(holder.variables?.['content']);
    expect(content).toMatch(
      /^\[union\(variables\('\$fxv#\d+'\), createObject\('fallbackResourceIds', createArray\(parameters\('workspaceId'\)\)\)\)\]$/,
    );
  });

  it('alerts on what was ingested since the last run, once per FindingId', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    // The optional retries-exhausted alert is a second rule of this type; this one is the findings alert.
    const findingsAlerts = ofType('Microsoft.Insights/scheduledQueryRules').filter(
      (r) => r.resource.name === 'kube-job-detector-high-severity',
    );
    expect(findingsAlerts).toHaveLength(1);
    const { resource, template: holder } = findingsAlerts[0] as {
      resource: ArmResource;
      template: ArmTemplate;
    };
    expect(resource.properties).toMatchObject({
      evaluationFrequency: 'PT5M',
      windowSize: 'PT5M',
      overrideQueryTimeRange: 'P2D',
    });
    const criteria = (resource.properties as { criteria: { allOf: { query: string }[] } }).criteria.allOf[0];
    expect(criteria?.query).toBe("[variables('query')]");
    const query = String(holder.variables?.['query']);
    expect(query).toBe(readFileSync(join(REPO_ROOT, 'infra', 'alert.kql'), 'utf8'));
    expect(query.startsWith(`let alerting = ${FINDING_SCHEMA.table}\n`)).toBe(true);
    expect(query).toMatch(/\| where ingestion_time\(\) > ago\(5m\)\n/);
    expect(query).toMatch(/\| where TimeGenerated > ago\(2d\)\n/);
    expect(query).toMatch(/summarize arg_max\(DetectedAt, \*\) by FindingId/);
    expect(query).toMatch(
      /join kind=leftanti \(alerting \| where ingestion_time\(\) <= ago\(5m\) \| distinct FindingId\) on FindingId/,
    );
    expect(query).not.toMatch(/DetectedAt > ago/);
  });

  it('offers a DeployIfNotExists policy for AKS audit export, off by default, with identity, roles and remediation', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    expect(parameter('deployAksAuditPolicy')).toMatchObject({ type: 'bool', defaultValue: false });
    const policyModule = moduleNamed('aksAuditPolicy');
    expect(policyModule.condition).toBe("[parameters('deployAksAuditPolicy')]");
    expect(passed(policyModule, 'eventHubName')).toBe("[variables('hubs').audit]");
    expect(passed(policyModule, 'clusterLocation')).toBe("[parameters('location')]");

    const { resource: definition, template: holder } = only('Microsoft.Authorization/policyDefinitions');
    const rule = definition.properties?.['policyRule'] as {
      if: { allOf: { field: string; equals: string }[] };
      then: { effect: string; details: Record<string, unknown> };
    };
    expect(rule.if.allOf).toContainEqual({
      field: 'type',
      equals: 'Microsoft.ContainerService/managedClusters',
    });
    expect(rule.then.effect).toBe("[[parameters('effect')]");
    expect(
      (definition.properties?.['parameters'] as Record<string, { defaultValue?: string }>)['effect']
        ?.defaultValue,
    ).toBe('DeployIfNotExists');
    const details = rule.then.details;
    expect(details['type']).toBe('Microsoft.Insights/diagnosticSettings');
    expect(text(details['existenceCondition'])).toContain('kube-audit-admin');
    const deployed = text(
      (details['deployment'] as { properties: { template: unknown } }).properties.template,
    );
    expect(deployed).toContain('Microsoft.ContainerService/managedClusters/providers/diagnosticSettings');
    expect(deployed).toContain('{"category":"kube-audit-admin","enabled":true}');
    const roles = holder.variables?.['roles'] as Record<string, string>;
    expect(text(details['roleDefinitionIds'])).toContain("variables('roles').monitoringContributor");
    expect(text(details['roleDefinitionIds'])).toContain("variables('roles').eventHubsDataOwner");
    expect(roles).toEqual({
      monitoringContributor: '749f88d5-cbae-40b8-bcfc-e573ddc772fa',
      eventHubsDataOwner: 'f526a384-b230-433a-b45c-95f59c4a2dec',
    });

    const assignment = only('Microsoft.Authorization/policyAssignments').resource as ArmResource & {
      identity?: { type: string };
    };
    expect(assignment.identity).toEqual({ type: 'SystemAssigned' });
    expect(assignment.location).toBe("[parameters('location')]");
    const remediation = only('Microsoft.PolicyInsights/remediations').resource;
    expect(remediation.properties?.['policyAssignmentId']).toMatch(
      /policyAssignments', 'kube-job-detector-aks-audit'/,
    );
    expect(remediation.properties?.['resourceDiscoveryMode']).toBe('ReEvaluateCompliance');
    expect([...(remediation.dependsOn ?? [])].sort()).toEqual([
      'assignment',
      'monitoringContributor',
      'ruleAccess',
    ]);
  });
});
