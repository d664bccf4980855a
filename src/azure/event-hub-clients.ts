import { EventHubConsumerClient, EventHubProducerClient, type CheckpointStore } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';

/** Where the hub is: a namespace with Entra ID (DefaultAzureCredential), or a connection string. */
export interface HubAddress {
  readonly namespace?: string;
  readonly hub: string;
  readonly connectionString?: string;
}

export function createProducer(address: HubAddress): EventHubProducerClient {
  if (address.connectionString !== undefined)
    return new EventHubProducerClient(address.connectionString, address.hub);
  if (address.namespace === undefined) throw new Error('give --namespace (Entra ID) or --connection-string');
  return new EventHubProducerClient(address.namespace, address.hub, new DefaultAzureCredential());
}

export function createConsumer(
  address: HubAddress,
  consumerGroup: string,
  checkpoints: CheckpointStore,
  balanceIntervalMs: number,
): EventHubConsumerClient {
  const options = {
    // Ownership expires after six rounds, so a crashed instance's partitions move to the others soon.
    loadBalancingOptions: {
      strategy: 'balanced' as const,
      updateIntervalInMs: balanceIntervalMs,
      partitionOwnershipExpirationIntervalInMs: balanceIntervalMs * 6,
    },
  };
  if (address.connectionString !== undefined)
    return new EventHubConsumerClient(
      consumerGroup,
      address.connectionString,
      address.hub,
      checkpoints,
      options,
    );
  if (address.namespace === undefined) throw new Error('give --namespace (Entra ID) or --connection-string');
  return new EventHubConsumerClient(
    consumerGroup,
    address.namespace,
    address.hub,
    new DefaultAzureCredential(),
    checkpoints,
    options,
  );
}

/**
 * Checkpoints and ownership in a blob container (by URL with Entra ID, or a storage connection
 * string), created when missing.
 */
export async function createCheckpointStore(options: {
  containerUrl?: string;
  connectionString?: string;
  container?: string;
}): Promise<CheckpointStore> {
  let container: ContainerClient;
  if (options.connectionString !== undefined)
    container = new ContainerClient(
      options.connectionString,
      options.container ?? 'kube-job-detector-checkpoints',
    );
  else if (options.containerUrl !== undefined)
    container = new ContainerClient(options.containerUrl, new DefaultAzureCredential());
  else throw new Error('give --checkpoint-account <blob container url> or --checkpoint-connection-string');
  await container.createIfNotExists();
  return new BlobCheckpointStore(container);
}
