@description('The workspace\'s region.')
param location string
param workspaceId string
@description('Action group to notify; empty for an alert shown in Azure Monitor only.')
param actionGroupId string
param tags object

// Rows reach the workspace minutes after the detector writes them, so a window on a row's own time
// lets a late row fall between two runs. Microsoft's guidance: "use ingestion_time() if there's a need
// to filter only records that were ingested in a certain time window ... also adding a TimeGenerated
// filter with a larger range" (Learn: azure-monitor/logs/data-ingestion-time; the same pattern in
// sentinel/ingestion-delay). The query takes what was ingested since the last run (5 minutes), keeps
// one row per FindingId, and drops FindingIds ingested earlier: the Start and Success records of one
// write and redeliveries raise one alert. TimeGenerated is the record's time; the service replaces one
// older than 2 days with the time received (Learn: log-standard-columns), so 2 days bound it.
var query = loadTextContent('../alert.kql')

resource alert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'kube-job-detector-high-severity'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'kube-job-detector: high-severity CronJob/Job finding'
    description: 'A high or critical finding of kube-job-detector (MITRE ATT&CK T1053.007), raised once per FindingId when its first row reaches the workspace.'
    severity: 1
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    // The service bounds a rule's query by TimeGenerated over windowSize unless overridden, so the
    // query's own 2-day bound must not be cut to 5 minutes. Two days is the most a log alert may
    // scan ("limited to a maximum of two days", Learn: azure-monitor/alerts/alerts-create-log-alert-rule).
    // Only a row whose own time is within 5 minutes of that 2-day edge when it arrives can escape.
    overrideQueryTimeRange: 'P2D'
    // The table is created in the same deployment and is empty until the first finding.
    skipQueryValidation: true
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: query
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