/** Parses JSON text, or gives `undefined` when it is not JSON: for fields that may hold either. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
