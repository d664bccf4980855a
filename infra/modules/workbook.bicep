@description('Deployed to the workspace\'s resource group: a workbook is listed on a workspace\'s Workbooks blade only when it lives there and its sourceId is the workspace (briandelmsft/SentinelAutomationModules#252).')
param location string
param workspaceId string
param displayName string
param tags object

// The portal opens a workbook on the resources in fallbackResourceIds when it is opened outside a
// resource, so it comes up with the workspace selected (Learn: azure-monitor/visualize/workbooks-automate).
var content = union(loadJsonContent('../workbook.json'), { fallbackResourceIds: [ workspaceId ] })

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'kube-job-detector-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    // 'workbook' is the gallery of workbooks (Azure Monitor and the resource's own blade); sourceId
    // ties the workbook to the resource whose table of contents lists it (Learn: workbooks-automate).
    category: 'workbook'
    sourceId: workspaceId
    version: 'Notebook/1.0'
    serializedData: string(content)
  }
}

output id string = workbook.id
