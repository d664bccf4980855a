/** Letters from rarest to commonest in Azure and Kubernetes JSON logs (by English letter frequency, roughly). */
export const RARITY = 'jqzxkvwybgfpmhucdlnirtosea';
/** For a literal found as written: an underscore and capitals are rarer in JSON logs than small letters. */
export const CASED_RARITY = `_${RARITY.toUpperCase()}${RARITY}`;

/** How rare a character is by `order`; anything else (digits, punctuation) commoner than any listed. */
export function rank(code: number, order: string): number {
  const at = order.indexOf(String.fromCharCode(code));
  return at < 0 ? order.length : at;
}
