param location string
param name string
param workspaceId string
param tags object

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspaceId
    // Telemetry is sent with the app's Entra identity; the instrumentation key authorises nothing.
    DisableLocalAuth: true
  }
}

output id string = insights.id
output name string = insights.name
@description('An endpoint and an id, not a credential: with local auth disabled only Entra tokens are accepted.')
output connectionString string = insights.properties.ConnectionString
