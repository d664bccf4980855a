import rhea, { type Connection, type Container, type EventContext, type Message, type Sender } from 'rhea';
import type { Server } from 'node:net';

/** One stored event, as the service would keep it: the sent AMQP message and its system properties. */
export interface StoredEvent {
  readonly message: Message;
  readonly sequenceNumber: number;
  readonly offset: string;
  readonly enqueuedTime: Date;
  readonly partitionKey: string | undefined;
}

interface Position {
  /** The first sequence number to deliver. */
  readonly from: number | 'latest';
  readonly enqueuedAfter?: number;
}

interface Stream {
  readonly sender: Sender;
  readonly partition: string;
  readonly consumerGroup: string;
  readonly epoch: number | undefined;
  readonly runtimeMetrics: boolean;
  next: number;
  minEnqueued: number | undefined;
}

const BATCH_FORMAT = 0x80013700;
const ONE_MB = 1024 * 1024;
const SELECTOR = 'apache.org:selector-filter:string';

/**
 * An in-memory Event Hub speaking AMQP 1.0 on loopback, enough for the real `@azure/event-hubs`
 * clients connecting with `UseDevelopmentEmulator=true`: CBS put-token, `$management` READ of the
 * hub and its partitions, sender links (single and batch messages, by partition or round-robin),
 * receiver links honouring credit, start filters (offset, sequence number, enqueued time),
 * owner level (epoch), runtime metrics, and several consumer groups.
 */
export class FakeEventHub {
  readonly partitions: StoredEvent[][];
  private readonly streams = new Set<Stream>();
  private roundRobin = 0;
  private readonly createdAt = new Date();
  private readonly connections = new Set<Connection>();

  private constructor(
    private readonly container: Container,
    private readonly listener: Server,
    readonly hubName: string,
    readonly consumerGroups: ReadonlySet<string>,
    partitionCount: number,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }

  static async start(options: {
    hubName: string;
    partitionCount: number;
    consumerGroups?: readonly string[];
  }): Promise<FakeEventHub> {
    const container = rhea.create_container({ id: 'fake-event-hub' });
    container.sasl_server_mechanisms.enable_anonymous();
    const listener = container.listen({
      port: 0,
      host: '127.0.0.1',
      receiver_options: { max_message_size: ONE_MB, autoaccept: false },
      sender_options: { max_message_size: ONE_MB, autosettle: true },
    } as Parameters<Container['listen']>[0]);
    await new Promise<void>((resolve, reject) => {
      listener.once('listening', resolve);
      listener.once('error', reject);
    });
    const hub = new FakeEventHub(
      container,
      listener,
      options.hubName,
      new Set(['$default', ...(options.consumerGroups ?? []).map((c) => c.toLowerCase())]),
      options.partitionCount,
    );
    hub.wire();
    return hub;
  }

  get port(): number {
    const address = this.listener.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return address.port;
  }

  get connectionString(): string {
    return `Endpoint=sb://127.0.0.1:${this.port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true`;
  }

  get partitionIds(): string[] {
    return this.partitions.map((_, i) => String(i));
  }

  /** Puts an event straight into a partition, as another producer would. */
  inject(partition: number, body: Buffer): StoredEvent {
    return this.append(String(partition), { body: rhea.message.data_section(body) }, undefined);
  }

  /** Bodies stored in a partition, as bytes. */
  bodies(partition: number): Buffer[] {
    return (this.partitions[partition] ?? []).map((e) => bodyBytes(e.message));
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private wire(): void {
    const c = this.container;
    c.on('connection_open', (context: EventContext) => this.connections.add(context.connection));
    c.on('connection_close', (context: EventContext) => this.forget(context.connection));
    c.on('disconnected', (context: EventContext) => this.forget(context.connection));
    c.on('error', () => undefined);
    c.on('sender_open', (context: EventContext) => this.onSenderOpen(context));
    c.on('sender_close', (context: EventContext) => this.dropStream(context.sender));
    c.on('sendable', (context: EventContext) => {
      for (const stream of this.streams) if (stream.sender === context.sender) this.pump(stream);
    });
    c.on('receiver_open', (context: EventContext) => this.onReceiverOpen(context));
    c.on('message', (context: EventContext) => this.onMessage(context));
  }

  private forget(connection: Connection): void {
    this.connections.delete(connection);
    for (const stream of [...this.streams])
      if (stream.sender.connection === connection) this.streams.delete(stream);
  }

  /** The client opened a receiver: we send from a partition of a consumer group. */
  private onSenderOpen(context: EventContext): void {
    const sender = context.sender as Sender;
    sender.set_source(sender.source);
    sender.set_target(sender.target);
    const address = String(sender.source.address ?? '');
    if (address === '$cbs' || address === '$management') return;
    const match = new RegExp(`^${this.hubName}/ConsumerGroups/([^/]+)/Partitions/([^/]+)$`, 'i').exec(
      address,
    );
    if (match === null)
      return sender.close({
        condition: 'amqp:not-found',
        description: `The messaging entity '${address}' could not be found.`,
      });
    const [, consumerGroup = '', partition = ''] = match;
    if (!this.consumerGroups.has(consumerGroup.toLowerCase()))
      return sender.close({
        condition: 'amqp:not-found',
        description: `The consumer group '${consumerGroup}' could not be found.`,
      });
    if (!this.partitionIds.includes(partition))
      return sender.close({
        condition: 'com.microsoft:argument-out-of-range',
        description: `The specified partition '${partition}' is invalid.`,
      });
    const properties = (sender as unknown as { properties?: Record<string, unknown> }).properties ?? {};
    const epochValue = properties['com.microsoft:epoch'];
    const epoch = epochValue === undefined ? undefined : Number(epochValue);
    if (epoch !== undefined) {
      const rivals = [...this.streams].filter(
        (s) =>
          s.partition === partition &&
          s.consumerGroup === consumerGroup.toLowerCase() &&
          s.epoch !== undefined,
      );
      if (rivals.some((r) => (r.epoch ?? 0) > epoch))
        return sender.close({
          condition: 'amqp:link:stolen',
          description: 'A receiver with a higher epoch is connected.',
        });
      for (const rival of rivals) {
        this.streams.delete(rival);
        rival.sender.close({
          condition: 'amqp:link:stolen',
          description: `New receiver with epoch ${epoch} took over the partition.`,
        });
      }
    }
    const capabilities = [sender.desired_capabilities ?? []].flat().map(String);
    const filter = (sender.source as unknown as { filter?: Record<string, { value?: unknown }> }).filter?.[
      SELECTOR
    ]?.value;
    const position = parsePosition(typeof filter === 'string' ? filter : '');
    const events = this.partitions[Number(partition)] ?? [];
    const stream: Stream = {
      sender,
      partition,
      consumerGroup: consumerGroup.toLowerCase(),
      epoch,
      runtimeMetrics: capabilities.includes('com.microsoft:enable-receiver-runtime-metric'),
      next: position.from === 'latest' ? events.length : position.from,
      minEnqueued: position.enqueuedAfter,
    };
    this.streams.add(stream);
    this.pump(stream);
  }

  /** The client opened a sender: we receive on the hub, a partition, $cbs or $management. */
  private onReceiverOpen(context: EventContext): void {
    const receiver = context.receiver;
    if (receiver === undefined) return;
    receiver.set_source(receiver.source);
    receiver.set_target(receiver.target);
    const address = String(receiver.target.address ?? '');
    const partition = new RegExp(`^${this.hubName}/Partitions/([^/]+)$`, 'i').exec(address)?.[1];
    if (partition !== undefined && !this.partitionIds.includes(partition))
      receiver.close({
        condition: 'com.microsoft:argument-out-of-range',
        description: 'The specified partition is invalid.',
      });
    else if (
      partition === undefined &&
      !['$cbs', '$management'].includes(address) &&
      address.toLowerCase() !== this.hubName.toLowerCase()
    )
      receiver.close({
        condition: 'amqp:not-found',
        description: `The messaging entity '${address}' could not be found.`,
      });
    receiver.add_credit(1000);
  }

  private onMessage(context: EventContext): void {
    const receiver = context.receiver;
    const message = context.message;
    const delivery = context.delivery;
    if (receiver === undefined || message === undefined || delivery === undefined) return;
    const address = String(receiver.target.address ?? '');
    receiver.add_credit(1);
    if (address === '$cbs') {
      delivery.accept();
      this.reply(context, message, { 'status-code': 202, 'status-description': 'Accepted' }, undefined);
      return;
    }
    if (address === '$management') {
      delivery.accept();
      this.answerManagement(context, message);
      return;
    }
    const partition = new RegExp(`^${this.hubName}/Partitions/([^/]+)$`, 'i').exec(address)?.[1];
    // rhea hands over a message of a non-default format (a batch) still encoded.
    const raw: unknown = message;
    const decoded = Buffer.isBuffer(raw) ? (rhea.message.decode(raw) as unknown as Message) : message;
    const events =
      (delivery as unknown as { format?: number }).format === BATCH_FORMAT ? unbatch(decoded) : [decoded];
    for (const event of events) {
      const key = event.message_annotations?.['x-opt-partition-key'];
      const target =
        partition ??
        (typeof key === 'string'
          ? String(hashCode(key) % this.partitions.length)
          : String(this.roundRobin++ % this.partitions.length));
      this.append(target, event, typeof key === 'string' ? key : undefined);
    }
    delivery.accept();
  }

  private answerManagement(context: EventContext, request: Message): void {
    const properties = request.application_properties ?? {};
    if (properties['operation'] !== 'READ' || properties['name'] !== this.hubName) {
      this.reply(
        context,
        request,
        {
          'status-code': 404,
          'status-description': `The messaging entity '${String(properties['name'])}' could not be found.`,
          'error-condition': 'amqp:not-found',
        },
        undefined,
      );
      return;
    }
    if (properties['type'] === 'com.microsoft:eventhub') {
      this.reply(
        context,
        request,
        { operation: 'READ', 'status-code': rhea.types.wrap_int(200) },
        {
          name: this.hubName,
          type: 'com.microsoft:eventhub',
          created_at: this.createdAt,
          partition_count: this.partitions.length,
          partition_ids: rhea.types.wrap_array(this.partitionIds, 0xa1, undefined),
        },
      );
      return;
    }
    const partition = String(properties['partition']);
    const events = this.partitions[Number(partition)];
    if (!this.partitionIds.includes(partition) || events === undefined) {
      this.reply(
        context,
        request,
        {
          'status-code': 400,
          'error-condition': 'com.microsoft:argument-out-of-range',
          'status-description': 'The specified partition is invalid.',
        },
        undefined,
      );
      return;
    }
    const last = events[events.length - 1];
    this.reply(
      context,
      request,
      { operation: 'READ', 'status-code': rhea.types.wrap_int(200) },
      {
        name: this.hubName,
        type: 'com.microsoft:partition',
        partition,
        begin_sequence_number: rhea.types.wrap_long(0),
        last_enqueued_sequence_number: rhea.types.wrap_long(last?.sequenceNumber ?? -1),
        last_enqueued_offset: last?.offset ?? '-1',
        last_enqueued_time_utc: last?.enqueuedTime ?? new Date(0),
        is_partition_empty: events.length === 0,
      },
    );
  }

  private reply(
    context: EventContext,
    request: Message,
    properties: Record<string, unknown>,
    body: unknown,
  ): void {
    const to = request.reply_to;
    const sender = context.connection.find_sender((s: Sender) => s.name === to || s.target.address === to);
    const response: Message = {
      to,
      correlation_id: request.message_id,
      application_properties: properties,
      body,
    };
    if (sender !== undefined && sender !== null) sender.send(response);
  }

  private append(partition: string, message: Message, partitionKey: string | undefined): StoredEvent {
    const events = this.partitions[Number(partition)] as StoredEvent[];
    const stored: StoredEvent = {
      message,
      sequenceNumber: events.length,
      offset: String(events.length),
      enqueuedTime: new Date(),
      partitionKey,
    };
    events.push(stored);
    for (const stream of this.streams) if (stream.partition === partition) this.pump(stream);
    return stored;
  }

  /** Sends what the stream has credit for. */
  private pump(stream: Stream): void {
    const events = this.partitions[Number(stream.partition)] ?? [];
    while (this.streams.has(stream) && stream.next < events.length && stream.sender.sendable()) {
      const event = events[stream.next++] as StoredEvent;
      if (stream.minEnqueued !== undefined && event.enqueuedTime.getTime() <= stream.minEnqueued) continue;
      const last = events[events.length - 1] as StoredEvent;
      stream.sender.send({
        ...event.message,
        message_annotations: {
          ...(event.message.message_annotations ?? {}),
          'x-opt-sequence-number': rhea.types.wrap_long(event.sequenceNumber),
          'x-opt-offset': event.offset,
          'x-opt-enqueued-time': event.enqueuedTime,
          ...(event.partitionKey === undefined ? {} : { 'x-opt-partition-key': event.partitionKey }),
        },
        ...(stream.runtimeMetrics
          ? {
              delivery_annotations: {
                last_enqueued_offset: last.offset,
                last_enqueued_sequence_number: rhea.types.wrap_long(last.sequenceNumber),
                last_enqueued_time_utc: last.enqueuedTime,
                runtime_info_retrieval_time_utc: new Date(),
              },
            }
          : {}),
      });
    }
  }

  private dropStream(sender: Sender | undefined): void {
    for (const stream of [...this.streams]) if (stream.sender === sender) this.streams.delete(stream);
  }
}

/** `amqp.annotation.x-opt-offset > '12'` and its sequence-number and enqueued-time siblings. */
function parsePosition(filter: string): Position {
  const match = /x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'/.exec(filter);
  if (match === null) return { from: 0 };
  const [, kind, operator, value = ''] = match;
  if (value === '@latest') return { from: 'latest' };
  const n = Number(value);
  if (kind === 'enqueued-time') return { from: 0, enqueuedAfter: operator === '>=' ? n - 1 : n };
  return { from: operator === '>=' ? Math.max(0, n) : n + 1 };
}

/** A batch is one message whose data sections are each an encoded message. */
function unbatch(message: Message): Message[] {
  const body = message.body as { content?: Buffer | Buffer[] } | undefined;
  const content = body?.content;
  const parts = Array.isArray(content) ? content : content === undefined ? [] : [content];
  return parts.map((part) => rhea.message.decode(part) as unknown as Message);
}

export function bodyBytes(message: Message): Buffer {
  const body = message.body as { content?: unknown } | Buffer | string | undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const content = body?.content;
  if (Buffer.isBuffer(content)) return content;
  return Buffer.from(JSON.stringify(body));
}

function hashCode(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}
