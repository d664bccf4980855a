import avro from 'avsc';

/** The Avro schema Event Hubs Capture writes (Learn: event-hubs-capture-overview). */
export const CAPTURE_SCHEMA = avro.Type.forSchema({
  type: 'record',
  name: 'EventData',
  namespace: 'Microsoft.ServiceBus.Messaging',
  fields: [
    { name: 'SequenceNumber', type: 'long' },
    { name: 'Offset', type: 'string' },
    { name: 'EnqueuedTimeUtc', type: 'string' },
    { name: 'SystemProperties', type: { type: 'map', values: ['long', 'double', 'string', 'bytes'] } },
    { name: 'Properties', type: { type: 'map', values: ['long', 'double', 'string', 'bytes', 'null'] } },
    { name: 'Body', type: ['null', 'bytes'] },
  ],
});

/** Writes a Capture file with one event per body, in blocks of about `blockSize` bytes. */
export async function writeCapture(
  file: string,
  bodies: readonly Buffer[],
  blockSize?: number,
): Promise<void> {
  const encoder = avro.createFileEncoder(file, CAPTURE_SCHEMA, blockSize === undefined ? {} : { blockSize });
  bodies.forEach((Body, i) =>
    encoder.write({
      SequenceNumber: i,
      Offset: String(i * 4096),
      EnqueuedTimeUtc: '3/4/2025 9:15:27 AM',
      SystemProperties: {},
      Properties: {},
      Body,
    }),
  );
  encoder.end();
  await new Promise((resolve) => encoder.on('finish', resolve));
  // The file stream closes after the encoder finishes.
  await new Promise((resolve) => setTimeout(resolve, 50));
}
