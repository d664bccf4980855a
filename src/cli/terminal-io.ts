import { escapeControl, maskSecrets } from '../util/terminal-text.js';

export type OutStream = NodeJS.WritableStream & { isTTY?: boolean };

const RAW = new WeakMap<object, OutStream>();

/**
 * The stream with every text written through it escaped (and, for messages, masked); everything
 * else (events, `isTTY`) is the stream's own. Escaping keeps JSON Lines exact: JSON.stringify
 * never writes a raw C0 control, and `\u009b` escaped is the same JSON string.
 */
export function escapingStream(stream: OutStream, options: { mask: boolean }): OutStream {
  const clean = (text: string): string =>
    options.mask ? maskSecrets(escapeControl(text)) : escapeControl(text);
  const proxy = new Proxy(stream, {
    get(target, property) {
      if (property === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean)(
            typeof chunk === 'string' ? clean(chunk) : chunk,
            ...rest,
          );
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  RAW.set(proxy, stream);
  return proxy;
}

/** The stream under `escapingStream`: only the progress bar writes escape sequences on purpose. */
export function rawStream(stream: OutStream): OutStream {
  return RAW.get(stream) ?? stream;
}

/**
 * A closed pipe (`| head`) is not an error: writes to it are dropped, quietly, and the command
 * goes on, so an upload still finishes or dead-letters.
 */
export function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  };
  stream.on('error', onError);
}

/** Writes, waiting for `drain` when the stream asks; a stream that closed (EPIPE) swallows the text. */
export async function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  const state = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  if (state.destroyed === true || state.writableEnded === true) return;
  if (stream.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('close', done);
      stream.removeListener('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}
