using 'main.bicep'

param location = 'westeurope'
param resourceGroupName = 'rg-kube-job-detector'
param namePrefix = 'kjd'
param retentionInDays = 90
param eventHubDisableLocalAuth = false
param exportActivityLog = true
param aksClusterIds = []
param extraReaderSubscriptionIds = []
param createAlert = true
param alertActionGroupId = ''
