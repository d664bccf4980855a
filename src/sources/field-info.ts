import type { FieldInfo, FieldType } from './log-source.js';

/** Catalogue entries, by where the field's values come from (see `FieldOrigin`). */
export const rawField = (type: FieldType, meaning: string): FieldInfo => ({ type, origin: 'raw', meaning });
export const renamedField = (type: FieldType, meaning: string): FieldInfo => ({
  type,
  origin: 'renamed',
  meaning,
});
export const derivedField = (type: FieldType, meaning: string): FieldInfo => ({
  type,
  origin: 'derived',
  meaning,
});
