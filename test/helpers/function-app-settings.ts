import { DCR_ID } from '../fakes/fake-ingestion.js';

/** The app settings the deployment gives the function, with every Azure endpoint on loopback. */
export const FUNCTION_APP_SETTINGS = {
  ACTIVITY_LOG_HUB_NAME: 'insights-activity-logs',
  AKS_AUDIT_HUB_NAME: 'insights-logs-kube-audit-admin',
  EVENTHUB_CONSUMER_GROUP: 'kube-job-detector',
  EventHubConnection__fullyQualifiedNamespace: 'contoso-detector.servicebus.windows.net',
  LOGS_INGESTION_ENDPOINT: 'https://127.0.0.1:9/never-called',
  LOGS_INGESTION_DCR_IMMUTABLE_ID: DCR_ID,
  DEADLETTER_CONTAINER_URL: 'https://127.0.0.1:9/devstoreaccount1/deadletter',
  ARM_ENDPOINT: 'https://127.0.0.1:9',
};
