@description('Lets the policy\'s identity list the keys of the Send rule, and nothing else in the namespace.')
param principalId string
param namespaceName string
param ruleName string
param roleId string

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' existing = {
  name: namespaceName
}

resource rule 'Microsoft.EventHub/namespaces/authorizationRules@2026-01-01' existing = {
  parent: namespace
  name: ruleName
}

resource ruleAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: rule
  name: guid(rule.id, principalId, roleId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}
