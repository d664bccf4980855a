@description('The workspace\'s region: a DCR must be "in the region of the Log Analytics workspace" (Learn: azure-monitor/logs/logs-ingestion-api-overview).')
param location string
param dcrName string
param workspaceId string
@description('Name of the table, taken from the table deployment so the rule is created after it.')
param tableName string
param tags object

var schema = loadJsonContent('../../src/findings/finding-schema.json')

resource dcr 'Microsoft.Insights/dataCollectionRules@2024-03-11' = {
  name: dcrName
  location: location
  tags: tags
  kind: 'Direct'
  properties: {
    description: 'kube-job-detector findings through the Logs Ingestion API'
    streamDeclarations: {
      '${schema.stream}': {
        columns: map(schema.columns, c => { name: c.name, type: c.type })
      }
    }
    destinations: {
      logAnalytics: [ { name: 'findingsWorkspace', workspaceResourceId: workspaceId } ]
    }
    dataFlows: [
      {
        streams: [ schema.stream ]
        destinations: [ 'findingsWorkspace' ]
        transformKql: schema.transformKql
        outputStream: 'Custom-${tableName}'
      }
    ]
  }
}

output dcrId string = dcr.id
output dcrName string = dcr.name
output immutableId string = dcr.properties.immutableId
output ingestionEndpoint string = dcr.properties.endpoints.logsIngestion
output streamName string = schema.stream
