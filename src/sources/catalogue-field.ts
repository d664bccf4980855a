import type { FieldCatalogue, FieldInfo } from './log-source.js';

/** What a rule's field name is, in a source's catalogue. */
export type CatalogueMatch =
  /** A field the catalogue lists. */
  | { readonly kind: 'listed'; readonly info: FieldInfo }
  /**
   * A path inside an object the catalogue lists (`annotations.authorization.k8s.io/decision`,
   * `requestObject.spec.template.spec.containers.image`): its children are free-form, so any is valid.
   */
  | { readonly kind: 'inside'; readonly parent: string }
  /** An object whose children the catalogue lists one by one (`objectRef`, `user`). */
  | { readonly kind: 'branch' }
  | { readonly kind: 'unknown'; readonly suggestion: string | undefined };

const isObject = (info: FieldInfo): boolean => info.type === 'object' || info.type === 'object[]';

/**
 * Resolves a Sigma field name against a catalogue. Names are dotted paths that step into arrays
 * and may cross keys that contain dots, so a name is inside an object entry when some prefix of
 * it, cut at a dot, is one.
 */
export function resolveCatalogueField(catalogue: FieldCatalogue, name: string): CatalogueMatch {
  const info = catalogue.get(name);
  if (info !== undefined) return { kind: 'listed', info };
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const parent = name.slice(0, dot);
    const parentInfo = catalogue.get(parent);
    if (parentInfo !== undefined)
      return isObject(parentInfo) ? { kind: 'inside', parent } : { kind: 'unknown', suggestion: undefined };
  }
  for (const listed of catalogue.keys()) if (listed.startsWith(`${name}.`)) return { kind: 'branch' };
  return { kind: 'unknown', suggestion: suggest(catalogue, name) };
}

/** Whether a field holds objects, which no text, number or boolean value can match. */
export function holdsObjects(match: CatalogueMatch): boolean {
  return match.kind === 'branch' || (match.kind === 'listed' && isObject(match.info));
}

/** The listed field a rule most likely meant: the same name in another case, or with its parent path. */
function suggest(catalogue: FieldCatalogue, name: string): string | undefined {
  const names = [...catalogue.keys()];
  const lower = name.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower) ?? names.find((n) => n.endsWith(`.${name}`));
}
