@description('Region of the plan and the app: Flex Consumption is not offered in every region, so it may differ from the hubs\' and the data\'s.')
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
    // Flex rejects siteConfig.ftpsState (and use32BitWorkerProcess, netFrameworkVersion,
    // functionsRuntimeScaleMonitoringEnabled): "The following list of 4 site configuration properties
    // ... for Flex Consumption sites is invalid" (microsoft/azure-pipelines-tasks#21032). Nor may
    // FUNCTIONS_WORKER_RUNTIME or FUNCTIONS_EXTENSION_VERSION be app settings: the runtime is
    // functionAppConfig.runtime (Learn: functions-app-settings, "Flex Consumption plan deprecations").
    // Publishing credentials are turned off below instead.
    siteConfig: {
      minTlsVersion: '1.2'
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

// FTP and SCM basic authentication off: deployments authenticate with Entra ID only
// (Learn: app-service/configure-basic-auth-disable; schema Microsoft.Web/sites/basicPublishingCredentialsPolicies).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output name string = app.name
output id string = app.id
output principalId string = app.identity.principalId
