@description('The workspace\'s region.')
param location string
@description('The workspace Application Insights writes to (AppTraces).')
param workspaceId string
@description('Action group to notify; empty for an alert shown in Azure Monitor only.')
param actionGroupId string
param tags object

// The function logs one error, "kube-job-detector retries exhausted {…}", when its last retry
// fails and the host moves the checkpoint on: the findings it counts as lost were neither
// uploaded nor dead-lettered.
resource alert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'kube-job-detector-retries-exhausted'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'kube-job-detector: findings lost after the last retry'
    description: 'The function ran out of retries for a batch whose findings could be neither uploaded nor dead-lettered.'
    severity: 1
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    skipQueryValidation: true
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: loadTextContent('../retries-exhausted.kql')
          timeAggregation: 'Total'
          metricMeasureColumn: 'Lost'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: empty(actionGroupId) ? {} : { actionGroups: [ actionGroupId ] }
  }
}

output id string = alert.id
