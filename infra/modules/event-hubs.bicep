@description('Region of the namespace: the region of the AKS clusters whose audit logs it receives.')
param location string
param namespaceName string
param activityLogHubName string
param auditHubName string
param consumerGroupName string
param partitionCount int
@description('Disable SAS on the namespace. The detector never uses a key; diagnostic settings export through the Send rule below, and whether that export still works with local auth off is unconfirmed: verify incoming messages after deploying with true.')
param disableLocalAuth bool
param tags object

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }
  properties: {
    disableLocalAuth: disableLocalAuth
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

resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2026-01-01' = [for (hubName, i) in [activityLogHubName, auditHubName]: {
  parent: hubs[i]
  name: consumerGroupName
  properties: { userMetadata: 'kube-job-detector' }
}]

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
