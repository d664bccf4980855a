targetScope = 'subscription'

@description('Region of the policy assignment\'s managed identity.')
param location string
@description('Clusters in this region only: a diagnostic setting streams to a namespace in the resource\'s region.')
param clusterLocation string
param eventHubResourceGroupName string
param eventHubNamespaceName string
param eventHubAuthorizationRuleName string
param eventHubName string
param settingName string
@description('Names the remediation task; a new task on each deployment brings clusters created since into line.')
param now string = utcNow()

var roles = {
  // Writes the clusters' diagnostic settings through deployments in their resource groups.
  monitoringContributor: '749f88d5-cbae-40b8-bcfc-e573ddc772fa'
  // Its actions include Microsoft.EventHub/*: the listKeys on the Send rule that creating a diagnostic
  // setting with an Event Hubs destination demands of the caller (Learn: diagnostic-settings,
  // "Destination limitations"; built-in roles: Azure Event Hubs Data Owner). Granted on the rule only.
  eventHubsDataOwner: 'f526a384-b230-433a-b45c-95f59c4a2dec'
}
var ruleId = resourceId(subscription().subscriptionId, eventHubResourceGroupName, 'Microsoft.EventHub/namespaces/authorizationRules', eventHubNamespaceName, eventHubAuthorizationRuleName)

@description('DeployIfNotExists: every AKS cluster of the region exports kube-audit-admin to the detector\'s hub.')
resource definition 'Microsoft.Authorization/policyDefinitions@2025-01-01' = {
  name: 'kube-job-detector-aks-audit-export'
  properties: {
    policyType: 'Custom'
    mode: 'Indexed'
    displayName: 'kube-job-detector: export AKS kube-audit-admin logs to the detector\'s event hub'
    description: 'Deploys a diagnostic setting that streams the kube-audit-admin category of each AKS cluster in the given region to the kube-job-detector event hub.'
    metadata: { category: 'Monitoring' }
    parameters: {
      effect: {
        type: 'String'
        allowedValues: [ 'DeployIfNotExists', 'AuditIfNotExists', 'Disabled' ]
        defaultValue: 'DeployIfNotExists'
      }
      clusterLocation: { type: 'String', metadata: { displayName: 'Region of the clusters and the namespace' } }
      eventHubAuthorizationRuleId: { type: 'String', metadata: { displayName: 'Namespace authorization rule (Send)' } }
      eventHubName: { type: 'String', metadata: { displayName: 'Event hub' } }
      settingName: { type: 'String', metadata: { displayName: 'Diagnostic setting name' } }
    }
    policyRule: {
      if: {
        allOf: [
          { field: 'type', equals: 'Microsoft.ContainerService/managedClusters' }
          { field: 'location', equals: '[parameters(\'clusterLocation\')]' }
        ]
      }
      then: {
        effect: '[parameters(\'effect\')]'
        details: {
          type: 'Microsoft.Insights/diagnosticSettings'
          name: '[parameters(\'settingName\')]'
          roleDefinitionIds: [
            '/providers/Microsoft.Authorization/roleDefinitions/${roles.monitoringContributor}'
            '/providers/Microsoft.Authorization/roleDefinitions/${roles.eventHubsDataOwner}'
          ]
          existenceCondition: {
            allOf: [
              { field: 'Microsoft.Insights/diagnosticSettings/eventHubAuthorizationRuleId', equals: '[parameters(\'eventHubAuthorizationRuleId\')]' }
              { field: 'Microsoft.Insights/diagnosticSettings/eventHubName', equals: '[parameters(\'eventHubName\')]' }
              {
                count: {
                  field: 'Microsoft.Insights/diagnosticSettings/logs[*]'
                  where: {
                    allOf: [
                      { field: 'Microsoft.Insights/diagnosticSettings/logs[*].category', equals: 'kube-audit-admin' }
                      { field: 'Microsoft.Insights/diagnosticSettings/logs[*].enabled', equals: 'true' }
                    ]
                  }
                }
                greaterOrEquals: 1
              }
            ]
          }
          deployment: {
            properties: {
              mode: 'incremental'
              parameters: {
                clusterName: { value: '[field(\'name\')]' }
                settingName: { value: '[parameters(\'settingName\')]' }
                eventHubAuthorizationRuleId: { value: '[parameters(\'eventHubAuthorizationRuleId\')]' }
                eventHubName: { value: '[parameters(\'eventHubName\')]' }
              }
              template: {
                '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'
                contentVersion: '1.0.0.0'
                parameters: {
                  clusterName: { type: 'string' }
                  settingName: { type: 'string' }
                  eventHubAuthorizationRuleId: { type: 'string' }
                  eventHubName: { type: 'string' }
                }
                resources: [
                  {
                    type: 'Microsoft.ContainerService/managedClusters/providers/diagnosticSettings'
                    apiVersion: '2021-05-01-preview'
                    name: '[concat(parameters(\'clusterName\'), \'/Microsoft.Insights/\', parameters(\'settingName\'))]'
                    properties: {
                      eventHubAuthorizationRuleId: '[parameters(\'eventHubAuthorizationRuleId\')]'
                      eventHubName: '[parameters(\'eventHubName\')]'
                      logs: [ { category: 'kube-audit-admin', enabled: true } ]
                    }
                  }
                ]
              }
            }
          }
        }
      }
    }
  }
}

resource assignment 'Microsoft.Authorization/policyAssignments@2025-01-01' = {
  name: 'kube-job-detector-aks-audit'
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    displayName: 'kube-job-detector: export AKS kube-audit-admin logs (${clusterLocation})'
    policyDefinitionId: definition.id
    parameters: {
      clusterLocation: { value: clusterLocation }
      eventHubAuthorizationRuleId: { value: ruleId }
      eventHubName: { value: eventHubName }
      settingName: { value: settingName }
    }
  }
}

resource monitoringContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, assignment.id, roles.monitoringContributor)
  properties: {
    principalId: assignment.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringContributor)
  }
}

module ruleAccess 'aks-audit-policy-rule-access.bicep' = {
  scope: resourceGroup(eventHubResourceGroupName)
  params: {
    principalId: assignment.identity.principalId
    namespaceName: eventHubNamespaceName
    ruleName: eventHubAuthorizationRuleName
    roleId: roles.eventHubsDataOwner
  }
}

@description('Brings the clusters that exist now into line; the assignment covers those created later.')
resource remediation 'Microsoft.PolicyInsights/remediations@2024-10-01' = {
  // A remediation is a one-off task, so each deployment starts a new one instead of re-putting the last.
  #disable-next-line use-stable-resource-identifiers
  name: 'kube-job-detector-aks-audit-${uniqueString(now)}'
  properties: {
    policyAssignmentId: assignment.id
    // A new assignment has no compliance results yet: evaluate instead of waiting for the next scan.
    resourceDiscoveryMode: 'ReEvaluateCompliance'
  }
  dependsOn: [ monitoringContributor, ruleAccess ]
}

output assignmentId string = assignment.id
output principalId string = assignment.identity.principalId
