/**
 * Splits a byte stream into lines on LF, dropping a CR before it (JSON Lines, https://jsonlines.org),
 * without decoding: a line the prefilter rules out is never turned into a string. Written by hand
 * because node:readline decodes every line to a string and splits it with a regular expression,
 * which was a sixth of a whole-file scan. A line inside one chunk is a view of it, not a copy, valid
 * until the next chunk is pushed; what a line carries over from one chunk to the next is copied.
 */
export class LineSplitter {
  /** The start of a line that the chunks so far have not ended. */
  private pending: Buffer[] = [];

  /** The lines this chunk completes, the first one prefixed with what earlier chunks left open. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      let line = chunk.subarray(start, end);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = Buffer.concat(this.pending);
        this.pending = [];
      }
      lines.push(withoutCr(line));
      start = end + 1;
    }
    // Copied: the reader may fill the chunk's memory again before the line ends.
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
    return lines;
  }

  /** The last line when the input does not end with a newline. */
  end(): Buffer | undefined {
    if (this.pending.length === 0) return undefined;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    return withoutCr(line);
  }
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
