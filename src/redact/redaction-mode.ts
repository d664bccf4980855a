/**
 * `default` replaces known secret shapes; `strict` also replaces generic `key=value` secrets,
 * long opaque tokens, annotation values and Secret data; `off` copies records as they are.
 */
export type RedactionMode = 'default' | 'strict' | 'off';

export const REDACTION_MODES: readonly RedactionMode[] = ['default', 'strict', 'off'];
