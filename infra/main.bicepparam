using 'main.bicep'

param location = 'westeurope'
// Flex Consumption regions: az functionapp list-flexconsumption-locations -o table
param functionLocation = 'westeurope'
param resourceGroupName = 'rg-kube-job-detector'
param namePrefix = 'kjd'
param retentionInDays = 90
param exportActivityLog = true
param aksClusterIds = []
param deployAksAuditPolicy = false
param extraReaderSubscriptionIds = []
param createLocalConsumerGroup = true
param createAlert = true
param alertActionGroupId = ''
param maximumInstanceCount = 100
