/**
 * Adds one to `counts[key]`. Keys come from input (exception ids, rule ids), so only own
 * properties are read, and the count is defined, never assigned: `constructor` would read
 * `Object.prototype`'s, and assigning `__proto__` would change the object's prototype.
 */
export function countBy(counts: Record<string, number>, key: string): void {
  const current = Object.hasOwn(counts, key) ? (counts[key] ?? 0) : 0;
  Object.defineProperty(counts, key, {
    value: current + 1,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
