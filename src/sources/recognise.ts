import type { InputShape, LogSource } from './log-source.js';
import { SOURCES } from './sources.js';

export interface RecognisedShape {
  readonly source: LogSource;
  readonly shape: InputShape;
}

/** Made once: recognising runs per record and must not allocate. */
const SHAPES: readonly RecognisedShape[] = SOURCES.flatMap((source) =>
  source.shapes.map((shape) => ({ source, shape })),
);

/** The source and shape of a decoded record, if any has it; anything else is counted, never an error. */
export function recogniseRecord(record: Record<string, unknown>): RecognisedShape | undefined {
  return SHAPES.find((candidate) => candidate.shape.recognise(record));
}
