param location string
param planName string
param appName string
param maximumInstanceCount int
param instanceMemoryMB int
param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param packageContainerUrl string
param applicationInsightsConnectionString string
@description('App settings the detector reads (see local.settings.example.json), all identity-based.')
param detectorSettings object
param tags object

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: packageContainerUrl
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      runtime: { name: 'node', version: '22' }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(union({
        // The host's own storage, through the app's identity: no account key anywhere.
        AzureWebJobsStorage__accountName: storageAccountName
        AzureWebJobsStorage__blobServiceUri: blobEndpoint
        AzureWebJobsStorage__queueServiceUri: queueEndpoint
        AzureWebJobsStorage__tableServiceUri: tableEndpoint
        APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
      }, detectorSettings)): { name: setting.key, value: setting.value }]
    }
  }
}

output name string = app.name
output id string = app.id
output principalId string = app.identity.principalId
