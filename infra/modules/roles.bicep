@description('Every role the function\'s identity needs inside the detector\'s resource group, each at the narrowest scope.')
param principalId string
param eventHubNamespaceName string
param activityLogHubName string
param auditHubName string
param storageAccountName string
param deadLetterContainerName string
param dcrName string
param applicationInsightsName string

var roles = {
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

// The host's identity-based storage: blobs for checkpoints, leases and the package; queues and tables
// for its own state and diagnostic events. Microsoft's Flex templates grant these three together
// (Azure-Samples/azure-functions-flex-consumption-samples IaC/bicep/rbac.bicep; Learn:
// azure-functions/functions-reference, "Connecting to host storage with an identity").
var hostStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' existing = {
  name: eventHubNamespaceName
}

resource hubs 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' existing = [for hubName in [activityLogHubName, auditHubName]: {
  parent: namespace
  name: hubName
}]

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = {
  name: '${storageAccountName}/default/${deadLetterContainerName}'
}

resource dcr 'Microsoft.Insights/dataCollectionRules@2024-03-11' existing = {
  name: dcrName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

@description('Read events from each hub, not from the whole namespace.')
resource hubReceivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (hubName, i) in [activityLogHubName, auditHubName]: {
  scope: hubs[i]
  name: guid(hubs[i].id, principalId, roles.eventHubsDataReceiver)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataReceiver)
  }
}]

@description('Upload finding rows through this data collection rule only.')
resource dcrPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dcr
  name: guid(dcr.id, principalId, roles.monitoringMetricsPublisher)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

@description('The Functions host keeps checkpoints, leases, the deployment package and its diagnostic events in this account.')
resource hostStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in hostStorageRoles: {
  scope: storage
  name: guid(storage.id, principalId, role)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

@description('Write, read and delete dead-lettered findings; stated on the container so it survives a narrower host role.')
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: deadLetterContainer
  name: guid(deadLetterContainer.id, principalId, roles.storageBlobDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

@description('Send telemetry to Application Insights with Entra authentication.')
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, principalId, roles.monitoringMetricsPublisher)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
