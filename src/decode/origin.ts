/** Where an Event Hub body came from, for error messages: a file and line, or an event index. */
export interface BodyOrigin {
  readonly file?: string;
  readonly line?: number;
  /** Index of the event in an Event Hub batch or an Avro capture file. */
  readonly event?: number;
  readonly partition?: string;
  readonly sequenceNumber?: number;
}

export function describeOrigin(origin: BodyOrigin): string {
  const parts: string[] = [];
  if (origin.file !== undefined) parts.push(origin.file);
  if (origin.line !== undefined) parts.push(`line ${origin.line}`);
  if (origin.partition !== undefined) parts.push(`partition ${origin.partition}`);
  if (origin.event !== undefined) parts.push(`event ${origin.event}`);
  if (origin.sequenceNumber !== undefined) parts.push(`sequence ${origin.sequenceNumber}`);
  return parts.length === 0 ? '(input)' : parts.join(', ');
}
