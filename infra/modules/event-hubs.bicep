@description('Region of the namespace: the region of the AKS clusters whose audit logs it receives.')
param location string
param namespaceName string
param activityLogHubName string
param auditHubName string
@description('Consumer groups created on each hub: the deployed app\'s, and the local one when wanted.')
param consumerGroupNames array
param partitionCount int
param tags object

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }
  properties: {
    // Local (SAS) auth stays on: diagnostic settings stream to Event Hubs only through a SAS
    // authorization rule ("requires Manage, Send, and Listen permissions ... ListKey permission on
    // that Event Hubs authorization rule", Learn: azure-monitor/platform/diagnostic-settings), with no
    // Entra ID option, so disableLocalAuth: true stops the export (MicrosoftDocs/azure-docs#119932).
    // The function never uses a key: it reads with its identity (EventHubConnection__fullyQualifiedNamespace).
    disableLocalAuth: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: true
    maximumThroughputUnits: 4
  }
}

resource hubs 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' = [for hubName in [activityLogHubName, auditHubName]: {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    retentionDescription: { cleanupPolicy: 'Delete', retentionTimeInHours: 72 }
  }
}]

// One group per reader: a local Core Tools run on the deployed app's group would steal its partitions
// and overwrite its checkpoints.
resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2026-01-01' = [for i in range(0, 2 * length(consumerGroupNames)): {
  parent: hubs[i % 2]
  name: consumerGroupNames[i / 2]
  properties: { userMetadata: 'kube-job-detector' }
}]

// The only authorization rule, Send only. Send suffices because each diagnostic setting names an
// existing hub; the service demands Manage|Send|Listen only "if a valid EventHub name is not specified
// in the diagnostic setting" (service error quoted in Azure/azure-cli#24425).
@description('Send-only rule for Azure Monitor diagnostic settings (the hubs exist, so Send suffices).')
resource diagnosticsSendRule 'Microsoft.EventHub/namespaces/authorizationRules@2026-01-01' = {
  parent: namespace
  name: 'azure-monitor-diagnostics-send'
  properties: { rights: ['Send'] }
}

output namespaceName string = namespace.name
@description('e.g. contoso.servicebus.windows.net, from the endpoint ARM reports (https://<fqdn>:443/).')
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output activityLogHubId string = hubs[0].id
output auditHubId string = hubs[1].id
output diagnosticsRuleId string = diagnosticsSendRule.id
output diagnosticsRuleName string = diagnosticsSendRule.name
