import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/config/settings.js';
import { allResources, BICEP_MISSING, bicepPath, compileMain, type ArmTemplate } from '../helpers/bicep.js';
import { REPO_ROOT } from '../helpers/shared.js';

const ROLE = {
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  monitoringContributor: '749f88d5-cbae-40b8-bcfc-e573ddc772fa',
  eventHubsDataOwner: 'f526a384-b230-433a-b45c-95f59c4a2dec',
};

let template: ArmTemplate | undefined;
let lintOutput = '';
let text = '';

beforeAll(() => {
  const bicep = bicepPath();
  if (bicep === undefined) return;
  ({ template, lintOutput } = compileMain(bicep));
  text = JSON.stringify(template);
}, 120_000);

/** A variable's value, following the `[variables('$fxv#0')]` indirection Bicep compiles loadJsonContent into. */
function variable(holder: ArmTemplate | undefined, name: string): unknown {
  const value = holder?.variables?.[name];
  const indirect = typeof value === 'string' ? /^\[variables\('([^']+)'\)\]$/.exec(value) : null;
  return indirect === null ? value : holder?.variables?.[indirect[1] as string];
}

/**
 * The role GUIDs an assignment's roleDefinitionId can name: `variables('x').y`, `variables('x')[copyIndex()]`
 * (every element of a role loop) or `parameters('x')` (the value the calling deployment passes).
 */
function roleGuids(expression: string, holder: ArmTemplate): string[] {
  const variable = /variables\('(\w+)'\)(?:\.(\w+))?/.exec(expression);
  if (variable !== null) {
    const value = holder.variables?.[variable[1] as string];
    if (Array.isArray(value)) return value.map((v) => roleGuids(String(v), holder)).flat();
    return [String(variable[2] === undefined ? value : (value as Record<string, unknown>)[variable[2]])];
  }
  const parameter = /parameters\('(\w+)'\)/.exec(expression);
  if (parameter !== null) {
    const caller = allResources(template as ArmTemplate).find(
      (r) => r.resource.properties?.template === holder,
    );
    const passed = caller?.resource.properties?.parameters?.[parameter[1] as string]?.value;
    return typeof passed === 'string' ? roleGuids(passed, caller?.template as ArmTemplate) : [expression];
  }
  return [expression];
}

describe('infra/ compiled by the real Bicep CLI', () => {
  it('builds and lints with no diagnostics', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    expect(lintOutput.trim()).toBe('');
    expect(text).toContain('Microsoft.Web/sites');
  });

  it('loads the table columns, stream and transform from the finding schema JSON, without a copy', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const schema = JSON.parse(
      readFileSync(join(REPO_ROOT, 'src', 'findings', 'finding-schema.json'), 'utf8'),
    ) as unknown;
    const tables = allResources(template).filter(
      (r) => r.resource.type === 'Microsoft.OperationalInsights/workspaces/tables',
    );
    expect(tables).toHaveLength(1);
    const table = tables[0];
    expect(variable(table?.template, 'schema')).toEqual(schema);
    const columns = JSON.stringify(
      (table?.resource.properties as { schema: { columns: unknown } }).schema.columns,
    );
    expect(columns).toMatch(/variables\('schema'\)\.columns/);
    expect(columns).toContain("'dateTime'");
    const dcr = allResources(template).find(
      (r) => r.resource.type === 'Microsoft.Insights/dataCollectionRules',
    );
    expect(variable(dcr?.template, 'schema')).toEqual(schema);
    expect(JSON.stringify(dcr?.resource.properties)).toMatch(/variables\('schema'\)\.transformKql/);
  });

  it('grants each role on its intended scope and nothing more', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const grants = allResources(template)
      .filter((r) => r.resource.type === 'Microsoft.Authorization/roleAssignments')
      .flatMap((r) =>
        roleGuids(String(r.resource.properties?.['roleDefinitionId']), r.template).map((role) => ({
          role,
          scope: r.resource.scope ?? 'subscription',
          principal: String(r.resource.properties?.['principalType']),
        })),
      );
    const byRole = (role: string) => grants.filter((g) => g.role === role).map((g) => g.scope);
    expect(byRole(ROLE.eventHubsDataReceiver)).toEqual([
      expect.stringMatching(/Microsoft\.EventHub\/namespaces\/eventhubs'/),
    ]);
    expect(byRole(ROLE.monitoringMetricsPublisher).sort()).toEqual(
      [
        expect.stringMatching(/Microsoft\.Insights\/components'/),
        expect.stringMatching(/Microsoft\.Insights\/dataCollectionRules'/),
      ].sort(),
    );
    for (const hostRole of [
      ROLE.storageBlobDataOwner,
      ROLE.storageQueueDataContributor,
      ROLE.storageTableDataContributor,
    ]) {
      expect(byRole(hostRole)).toEqual([expect.stringMatching(/Microsoft\.Storage\/storageAccounts'/)]);
    }
    expect(byRole(ROLE.storageBlobDataContributor)).toEqual([
      expect.stringMatching(/Microsoft\.Storage\/storageAccounts\/blobServices\/containers'/),
    ]);
    expect(byRole(ROLE.reader)).toEqual(['subscription', 'subscription']);
    // The optional AKS policy's identity: diagnostic settings anywhere, list keys of the Send rule only.
    expect(byRole(ROLE.monitoringContributor)).toEqual(['subscription']);
    expect(byRole(ROLE.eventHubsDataOwner)).toEqual([
      expect.stringMatching(/Microsoft\.EventHub\/namespaces\/authorizationRules'/),
    ]);
    expect(grants).toHaveLength(11);
    for (const grant of grants) expect(grant.principal).toBe('ServicePrincipal');
  });

  it('gives the app no key, connection string or SAS, and identity-based connections only', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    for (const forbidden of [
      'listKeys',
      'listConnectionStrings',
      'listAccountSas',
      'listServiceSas',
      'AccountKey=',
      'SharedAccessKey',
      'Endpoint=sb://',
      'DefaultEndpointsProtocol',
    ]) {
      expect(text).not.toContain(forbidden);
    }
    const storage = allResources(template).find(
      (r) => r.resource.type === 'Microsoft.Storage/storageAccounts',
    );
    expect(storage?.resource.properties?.['allowSharedKeyAccess']).toBe(false);
    const insights = allResources(template).find((r) => r.resource.type === 'Microsoft.Insights/components');
    expect(insights?.resource.properties?.['DisableLocalAuth']).toBe(true);
    const site = allResources(template).find((r) => r.resource.type === 'Microsoft.Web/sites');
    expect(JSON.stringify(site?.resource)).toContain("'Authorization=AAD'");
    expect(JSON.stringify(site?.resource)).toContain('SystemAssignedIdentity');
  });

  it('sets every app setting the runtime reads', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const deployment = allResources(template).find(
      (r) =>
        r.resource.type === 'Microsoft.Resources/deployments' &&
        r.resource.properties?.parameters?.['detectorSettings'] !== undefined,
    );
    const settings = deployment?.resource.properties?.parameters?.['detectorSettings']?.value as Record<
      string,
      unknown
    >;
    for (const name of Object.values(SETTING_NAMES)) expect(Object.keys(settings), name).toContain(name);
  });

  it('creates the hubs, consumer groups, Activity Log export, AKS exports, workbook and alert', (ctx) => {
    if (template === undefined) return ctx.skip(BICEP_MISSING);
    const types = allResources(template).map((r) => r.resource.type);
    for (const type of [
      'Microsoft.EventHub/namespaces/eventhubs',
      'Microsoft.EventHub/namespaces/eventhubs/consumergroups',
      'Microsoft.Insights/diagnosticSettings',
      'Microsoft.Insights/workbooks',
      'Microsoft.Insights/scheduledQueryRules',
      'Microsoft.Web/serverfarms',
    ]) {
      expect(types, type).toContain(type);
    }
    const plan = allResources(template).find((r) => r.resource.type === 'Microsoft.Web/serverfarms');
    expect(JSON.stringify(plan?.resource)).toContain('FlexConsumption');
    const diagnostics = allResources(template)
      .filter((r) => r.resource.type === 'Microsoft.Insights/diagnosticSettings')
      .map((r) => JSON.stringify(r.resource.properties));
    expect(diagnostics.some((d) => d.includes('kube-audit-admin'))).toBe(true);
    expect(diagnostics.some((d) => d.includes('Administrative'))).toBe(true);
  });
});
