@description('Deployed to the resource group of the workspace, which may be an existing one elsewhere.')
param workspaceName string
param retentionInDays int

// The one definition of the finding row, shared with the code: no copy of the columns here.
var schema = loadJsonContent('../../src/findings/finding-schema.json')

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: workspaceName
}

resource table 'Microsoft.OperationalInsights/workspaces/tables@2025-02-01' = {
  parent: workspace
  name: schema.table
  properties: {
    plan: 'Analytics'
    retentionInDays: retentionInDays
    totalRetentionInDays: retentionInDays
    schema: {
      name: schema.table
      description: schema.description
      // The table API spells the type dateTime; the stream declaration and the code say datetime.
      columns: map(schema.columns, c => { name: c.name, type: c.type == 'datetime' ? 'dateTime' : c.type, description: c.description })
    }
  }
}

output tableName string = table.name
@description('Where the data collection rule, the workbook and the alert must go: the workspace\'s region.')
output location string = workspace.location
