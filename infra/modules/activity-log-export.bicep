targetScope = 'subscription'

param settingName string
param eventHubAuthorizationRuleId string
param eventHubName string

@description('Exports this subscription\'s Activity Log to the detector\'s hub.')
// 2021-05-01-preview is the newest version of this type; the older GA one predates Event Hub names.
#disable-next-line use-recent-api-versions
resource export 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: settingName
  properties: {
    eventHubAuthorizationRuleId: eventHubAuthorizationRuleId
    eventHubName: eventHubName
    logs: [
      { category: 'Administrative', enabled: true }
      { category: 'Security', enabled: true }
      { category: 'Policy', enabled: true }
    ]
  }
}
