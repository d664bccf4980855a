/** Makes a switch exhaustive at compile time: a new union member fails typecheck where it is not handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
