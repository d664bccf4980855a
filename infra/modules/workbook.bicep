param location string
param workspaceId string
param displayName string
param tags object

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'kube-job-detector-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: workspaceId
    version: 'Notebook/1.0'
    serializedData: loadTextContent('../workbook.json')
  }
}

output id string = workbook.id
