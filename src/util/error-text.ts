/** The message of whatever was thrown: `throw` takes any value, not only an `Error`. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
