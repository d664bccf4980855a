targetScope = 'subscription'

metadata description = 'kube-job-detector: detects Kubernetes CronJob/Job persistence (MITRE ATT&CK T1053.007) from the Activity Log and AKS audit logs.'

@description('Region of the resource group, the Event Hubs namespace and the new workspace. AKS clusters whose audit logs it receives must be in this region (diagnostic settings stream to a namespace in the resource\'s region).')
param location string

@description('Region of the function app, its plan and its storage. Flex Consumption is not offered in every region (az functionapp list-flexconsumption-locations); defaults to location.')
param functionLocation string = location

@description('Resource group for the detector; created if it does not exist.')
param resourceGroupName string = 'rg-kube-job-detector'

@description('Short prefix for resource names.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'kjd'

@description('An existing Log Analytics workspace (resource id) for the findings table; empty creates one.')
param existingWorkspaceId string = ''

@description('Days findings are kept.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 90

@description('Partitions per hub: the most function instances that read a hub at once.')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Also create the consumer group kube-job-detector-local on each hub, for Core Tools runs on a workstation: one reader per group, so a local run never takes partitions or checkpoints from the deployed app.')
param createLocalConsumerGroup bool = true

@description('Export this subscription\'s Activity Log to the detector.')
param exportActivityLog bool = true

@description('Resource ids of AKS clusters (in this region) whose kube-audit-admin logs are exported to the detector.')
param aksClusterIds array = []

@description('Other subscriptions whose clusters the detector may enrich (Reader is granted there too).')
param extraReaderSubscriptionIds array = []

@description('Create the log alert on new high-severity findings.')
param createAlert bool = true

@description('Action group (resource id) the alert notifies; empty for none.')
param alertActionGroupId string = ''

@description('Most instances the Flex Consumption plan scales the function to (1 to 1000, Flex\'s default 100). Each hub\'s partition count caps its function\'s instances anyway.')
// "The default maximum instance count is 100. Set it to a value between 1 and 1,000."
// (Learn: azure-functions/migration/migrate-plan-consumption-to-flex); the former floor of 40 is gone.
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Assign a DeployIfNotExists policy so that every AKS cluster in location, including clusters created later, exports kube-audit-admin to the hub; a remediation task covers the existing ones.')
param deployAksAuditPolicy bool = false

param tags object = { workload: 'kube-job-detector' }

var suffix = uniqueString(subscription().id, resourceGroupName, namePrefix)
var names = {
  namespace: '${namePrefix}-eh-${suffix}'
  storage: take(toLower('${namePrefix}st${suffix}'), 24)
  workspace: '${namePrefix}-law-${suffix}'
  insights: '${namePrefix}-appi-${suffix}'
  dcr: '${namePrefix}-dcr-findings'
  plan: '${namePrefix}-plan-${suffix}'
  app: '${namePrefix}-func-${suffix}'
}
var hubs = {
  activityLog: 'insights-activity-logs'
  audit: 'insights-logs-kube-audit-admin'
  consumerGroup: 'kube-job-detector'
  localConsumerGroup: 'kube-job-detector-local'
}
var diagnosticSettingName = 'kube-job-detector'
var containers = {
  package: 'app-package'
  deadLetter: 'kube-job-detector-deadletter'
}
var createWorkspace = empty(existingWorkspaceId)
var workspaceId = createWorkspace ? resourceId(subscription().subscriptionId, resourceGroupName, 'Microsoft.OperationalInsights/workspaces', names.workspace) : existingWorkspaceId

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module eventHubs 'modules/event-hubs.bicep' = {
  scope: group
  params: {
    location: location
    namespaceName: names.namespace
    activityLogHubName: hubs.activityLog
    auditHubName: hubs.audit
    consumerGroupNames: createLocalConsumerGroup ? [ hubs.consumerGroup, hubs.localConsumerGroup ] : [ hubs.consumerGroup ]
    partitionCount: eventHubPartitionCount
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: {
    // The host's own storage sits with the app.
    location: functionLocation
    accountName: names.storage
    packageContainerName: containers.package
    deadLetterContainerName: containers.deadLetter
    tags: tags
  }
}

module workspace 'modules/workspace.bicep' = if (createWorkspace) {
  scope: group
  params: {
    location: location
    workspaceName: names.workspace
    retentionInDays: retentionInDays
    tags: tags
  }
}

var workspaceGroup = resourceGroup(split(workspaceId, '/')[2], split(workspaceId, '/')[4])

module findingsTable 'modules/findings-table.bicep' = {
  scope: workspaceGroup
  params: {
    workspaceName: last(split(workspaceId, '/'))
    retentionInDays: retentionInDays
  }
  dependsOn: [ workspace ]
}

module ingestion 'modules/ingestion.bicep' = {
  scope: group
  params: {
    // An existing workspace may be in another region; the rule must be in the workspace's.
    location: findingsTable.outputs.location
    dcrName: names.dcr
    workspaceId: workspaceId
    tableName: findingsTable.outputs.tableName
    tags: tags
  }
}

module insights 'modules/application-insights.bicep' = {
  scope: group
  params: {
    location: location
    name: names.insights
    workspaceId: workspaceId
    tags: tags
  }
  dependsOn: [ workspace ]
}

module functionApp 'modules/function-app.bicep' = {
  scope: group
  params: {
    location: functionLocation
    planName: names.plan
    appName: names.app
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: 2048
    storageAccountName: storage.outputs.accountName
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    packageContainerUrl: storage.outputs.packageContainerUrl
    applicationInsightsConnectionString: insights.outputs.connectionString
    detectorSettings: {
      EventHubConnection__fullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
      ACTIVITY_LOG_HUB_NAME: hubs.activityLog
      AKS_AUDIT_HUB_NAME: hubs.audit
      EVENTHUB_CONSUMER_GROUP: hubs.consumerGroup
      LOGS_INGESTION_ENDPOINT: ingestion.outputs.ingestionEndpoint
      LOGS_INGESTION_DCR_IMMUTABLE_ID: ingestion.outputs.immutableId
      LOGS_INGESTION_STREAM_NAME: ingestion.outputs.streamName
      LOGS_INGESTION_TIMEOUT_SECONDS: '30'
      LOGS_INGESTION_MAX_RETRIES: '3'
      DEADLETTER_CONTAINER_URL: storage.outputs.deadLetterContainerUrl
      ENRICHMENT_ENABLED: 'true'
      ARM_ENDPOINT: environment().resourceManager
      ENRICHMENT_CACHE_TTL_SECONDS: '900'
      ENRICHMENT_BUDGET_SECONDS: '20'
      REDACTION: 'default'
      FINDING_COLUMN_MAX_BYTES: '32768'
    }
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  scope: group
  params: {
    principalId: functionApp.outputs.principalId
    eventHubNamespaceName: eventHubs.outputs.namespaceName
    activityLogHubName: hubs.activityLog
    auditHubName: hubs.audit
    storageAccountName: storage.outputs.accountName
    deadLetterContainerName: containers.deadLetter
    dcrName: ingestion.outputs.dcrName
    applicationInsightsName: insights.outputs.name
  }
}

module reader 'modules/subscription-reader.bicep' = {
  params: { principalId: functionApp.outputs.principalId }
}

module extraReaders 'modules/subscription-reader.bicep' = [for subscriptionId in extraReaderSubscriptionIds: {
  name: 'reader-${subscriptionId}'
  scope: subscription(subscriptionId)
  params: { principalId: functionApp.outputs.principalId }
}]

module activityLogExport 'modules/activity-log-export.bicep' = if (exportActivityLog) {
  params: {
    settingName: diagnosticSettingName
    eventHubAuthorizationRuleId: eventHubs.outputs.diagnosticsRuleId
    eventHubName: hubs.activityLog
  }
}

module aksAuditExports 'modules/aks-audit-export.bicep' = [for clusterId in aksClusterIds: {
  name: 'aks-audit-${uniqueString(clusterId)}'
  scope: resourceGroup(split(clusterId, '/')[2], split(clusterId, '/')[4])
  params: {
    clusterName: last(split(clusterId, '/'))
    settingName: diagnosticSettingName
    eventHubAuthorizationRuleId: eventHubs.outputs.diagnosticsRuleId
    eventHubName: hubs.audit
  }
}]

module aksAuditPolicy 'modules/aks-audit-policy.bicep' = if (deployAksAuditPolicy) {
  params: {
    location: location
    clusterLocation: location
    eventHubResourceGroupName: group.name
    eventHubNamespaceName: eventHubs.outputs.namespaceName
    eventHubAuthorizationRuleName: eventHubs.outputs.diagnosticsRuleName
    eventHubName: hubs.audit
    settingName: diagnosticSettingName
  }
}

module workbook 'modules/workbook.bicep' = {
  scope: workspaceGroup
  params: {
    location: findingsTable.outputs.location
    workspaceId: workspaceId
    displayName: 'kube-job-detector: CronJob and Job persistence'
    tags: tags
  }
}

module alert 'modules/alert.bicep' = if (createAlert) {
  scope: group
  params: {
    location: findingsTable.outputs.location
    workspaceId: workspaceId
    actionGroupId: alertActionGroupId
    tags: tags
  }
}

output resourceGroupName string = group.name
output functionAppName string = functionApp.outputs.name
output workspaceId string = workspaceId
output eventHubNamespace string = eventHubs.outputs.fullyQualifiedNamespace
output dataCollectionRuleImmutableId string = ingestion.outputs.immutableId
output workbookUrl string = '${environment().portal}/#@/resource${workbook.outputs.id}/workbook'
