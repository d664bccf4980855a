@description('Deployed to the cluster\'s resource group. The namespace must be in the cluster\'s region.')
param clusterName string
param settingName string
param eventHubAuthorizationRuleId string
param eventHubName string

resource cluster 'Microsoft.ContainerService/managedClusters@2025-07-01' existing = {
  name: clusterName
}

@description('kube-audit-admin: every write with its body, without the get and list reads of kube-audit.')
// 2021-05-01-preview is the newest version of this type; the older GA one predates Event Hub names.
#disable-next-line use-recent-api-versions
resource export 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: cluster
  name: settingName
  properties: {
    eventHubAuthorizationRuleId: eventHubAuthorizationRuleId
    eventHubName: eventHubName
    logs: [ { category: 'kube-audit-admin', enabled: true } ]
  }
}
