param location string
param workspaceId string
@description('Action group to notify; empty for an alert shown in Azure Monitor only.')
param actionGroupId string
param tags object

var schema = loadJsonContent('../../src/findings/finding-schema.json')

resource alert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'kube-job-detector-high-severity'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'kube-job-detector: high-severity CronJob/Job finding'
    description: 'A high or critical finding of kube-job-detector (MITRE ATT&CK T1053.007). Audit and Activity Log records arrive minutes late, so the query looks back an hour on the record time and alerts on what the detector found in the last five minutes.'
    severity: 1
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT1H'
    // The table is created in the same deployment and is empty until the first finding.
    skipQueryValidation: true
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: '${schema.table} | where DetectedAt > ago(5m) | summarize arg_max(DetectedAt, *) by FindingId | where Severity in ("high", "critical") | project TimeGenerated, FindingId, RuleTitle, Severity, ClusterResourceId, ClusterName, Namespace, WorkloadKind, WorkloadName, Caller'
          timeAggregation: 'Count'
          dimensions: [
            { name: 'ClusterResourceId', operator: 'Include', values: [ '*' ] }
            { name: 'RuleTitle', operator: 'Include', values: [ '*' ] }
          ]
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
output query string = alert.properties.criteria.allOf[0].query
