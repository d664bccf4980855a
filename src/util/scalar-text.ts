/** A string, number or boolean as text; undefined for anything else, which `String` would print as `[object Object]`. */
export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
