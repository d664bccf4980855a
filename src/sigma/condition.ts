import { SigmaRuleError } from './diagnostics.js';
import type { ConditionNode } from './rule.js';

/**
 * Parses a Sigma condition. Precedence, least to most binding: or, and, not, `x of`, parentheses.
 * Hand-written: the grammar is a dozen lines and a parser library would add more than it saves.
 */
export function parseCondition(text: string, yamlPath: readonly (string | number)[]): ConditionNode {
  if (text.includes('|')) {
    throw new SigmaRuleError(
      'unsupported-feature',
      `aggregation expressions ("| count() …") are not supported; use a Sigma correlation rule instead`,
      yamlPath,
      'condition aggregation',
      true,
    );
  }
  const tokens = tokenize(text, yamlPath);
  const parser = new ConditionParser(tokens, text, yamlPath);
  return parser.parse();
}

type Token = { readonly text: string; readonly lower: string; readonly offset: number };

function tokenize(text: string, yamlPath: readonly (string | number)[]): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([()])|([^\s()]+))/y;
  let match: RegExpExecArray | null;
  let offset = 0;
  while (offset < text.length) {
    re.lastIndex = offset;
    match = re.exec(text);
    if (match === null) break;
    const token = match[1] ?? match[2];
    if (token === undefined) break;
    tokens.push({ text: token, lower: token.toLowerCase(), offset: re.lastIndex - token.length });
    offset = re.lastIndex;
  }
  if (tokens.length === 0) throw new SigmaRuleError('condition-syntax', 'the condition is empty', yamlPath);
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', '(', ')']);

/**
 * Parentheses and `not`s deeper than this are refused: the parser and the compiled closures
 * recurse once per level, and a hostile rule nested thousands deep would overflow the stack.
 */
export const MAX_CONDITION_DEPTH = 100;

class ConditionParser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
    private readonly yamlPath: readonly (string | number)[],
  ) {}

  parse(): ConditionNode {
    const node = this.parseOr();
    const rest = this.tokens[this.pos];
    if (rest !== undefined) this.fail(`unexpected "${rest.text}"`, rest);
    return node;
  }

  private parseOr(): ConditionNode {
    const children = [this.parseAnd()];
    while (this.peek()?.lower === 'or') {
      this.pos++;
      children.push(this.parseAnd());
    }
    return children.length === 1 ? (children[0] as ConditionNode) : { kind: 'or', children };
  }

  private parseAnd(): ConditionNode {
    const children = [this.parseNot()];
    while (this.peek()?.lower === 'and') {
      this.pos++;
      children.push(this.parseNot());
    }
    return children.length === 1 ? (children[0] as ConditionNode) : { kind: 'and', children };
  }

  private parseNot(): ConditionNode {
    const token = this.peek();
    if (token?.lower === 'not') {
      this.pos++;
      return { kind: 'not', child: this.nested(token, () => this.parseNot()) };
    }
    return this.parseAtom();
  }

  private nested(token: Token, parse: () => ConditionNode): ConditionNode {
    if (++this.depth > MAX_CONDITION_DEPTH)
      this.fail(
        `nested too deeply (more than ${MAX_CONDITION_DEPTH} levels of parentheses and "not")`,
        token,
      );
    const node = parse();
    this.depth--;
    return node;
  }

  private parseAtom(): ConditionNode {
    const token = this.next('an identifier, "x of", "not" or "("');
    if (token.text === '(') {
      const inner = this.nested(token, () => this.parseOr());
      const close = this.next('")"');
      if (close.text !== ')') this.fail(`expected ")" but found "${close.text}"`, close);
      return inner;
    }
    if (this.peek()?.lower === 'of') {
      const quantifier = parseQuantifier(token.lower);
      if (quantifier === undefined) {
        if (/^\d+$/.test(token.text)) {
          throw new SigmaRuleError(
            'unsupported-feature',
            `"${token.text} of" is not defined by the Sigma specification (only "1 of", "any of" and "all of")`,
            this.yamlPath,
            `${token.text} of`,
          );
        }
        this.fail(`expected "1", "any" or "all" before "of" but found "${token.text}"`, token);
      }
      this.pos++;
      const target = this.next('a search-identifier pattern or "them" after "of"');
      if (KEYWORDS.has(target.lower))
        this.fail(`expected a search-identifier pattern after "of" but found "${target.text}"`, target);
      return target.lower === 'them'
        ? { kind: 'of', quantifier, pattern: null }
        : { kind: 'of', quantifier, pattern: target.text };
    }
    if (KEYWORDS.has(token.lower)) this.fail(`unexpected "${token.text}"`, token);
    return { kind: 'ref', name: token.text };
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.pos];
    if (token === undefined) {
      throw new SigmaRuleError(
        'condition-syntax',
        `condition "${this.text}" ends early: expected ${expected}`,
        this.yamlPath,
      );
    }
    this.pos++;
    return token;
  }

  private fail(message: string, token: Token): never {
    throw new SigmaRuleError(
      'condition-syntax',
      `condition "${this.text}" at offset ${token.offset}: ${message}`,
      this.yamlPath,
    );
  }
}

function parseQuantifier(word: string): 'one' | 'all' | undefined {
  if (word === '1' || word === 'any') return 'one';
  if (word === 'all') return 'all';
  return undefined;
}
