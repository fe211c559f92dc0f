/**
 * Strict parser for the Python literal that a `.npy` header contains, such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (8785, 200), }`.
 *
 * It accepts only what numpy writes there: dicts, tuples, lists, strings in single or double
 * quotes, integers (with the Python 2 `L` suffix), True, False and None. It never evaluates code.
 */

export type PyValue = string | number | boolean | null | PyTuple | PyValue[] | PyDict;

/** A Python tuple, kept apart from a list so that `shape` can be checked to be a tuple. */
export interface PyTuple {
  readonly tuple: PyValue[];
}

/** A Python dict whose keys are strings, the only kind of key a `.npy` header uses. */
export type PyDict = Map<string, PyValue>;

/** Nesting limit, far above the depth of any header numpy writes (a structured dtype nests 3). */
const MAX_DEPTH = 32;

/** Error raised on text that is not a literal this parser accepts; the offset is in characters. */
export class PyLiteralError extends Error {
  override readonly name = 'PyLiteralError';
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at character ${offset}`);
    this.offset = offset;
  }
}

export function isPyTuple(value: PyValue): value is PyTuple {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

export function isPyDict(value: PyValue): value is PyDict {
  return value instanceof Map;
}

/** Parses one Python literal that fills the whole text, apart from surrounding whitespace. */
export function parsePyLiteral(text: string): PyValue {
  const parser = new LiteralParser(text);
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (!parser.atEnd()) {
    throw new PyLiteralError(`unexpected ${JSON.stringify(parser.peek())} after the literal`, parser.position);
  }
  return value;
}

class LiteralParser {
  position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  skipWhitespace(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.position++;
  }

  parseValue(depth: number): PyValue {
    if (depth > MAX_DEPTH) throw new PyLiteralError(`literal nests deeper than ${MAX_DEPTH} levels`, this.position);
    this.skipWhitespace();
    const char = this.peek();
    if (char === '{') return this.parseDict(depth);
    if (char === '(') return this.parseTuple(depth);
    if (char === '[') return this.parseList(depth);
    if (char === "'" || char === '"') return this.parseString();
    if (char === '-' || char === '+' || (char >= '0' && char <= '9')) return this.parseInteger();
    if (/[A-Za-z_]/.test(char)) return this.parseKeyword();
    if (char === '') throw new PyLiteralError('unexpected end of text', this.position);
    throw new PyLiteralError(`unexpected ${JSON.stringify(char)}`, this.position);
  }

  /** Parses comma-separated items up to `close`; returns the items and whether a comma came after the last. */
  private parseItems<T>(close: string, parseItem: () => T): { items: T[]; trailingComma: boolean } {
    const items: T[] = [];
    let trailingComma = false;
    this.position++; // the opening bracket
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) throw new PyLiteralError(`unexpected end of text, expected '${close}'`, this.position);
      if (this.peek() === close) {
        this.position++;
        return { items, trailingComma };
      }
      if (items.length > 0 && !trailingComma) {
        throw new PyLiteralError(`expected ',' or '${close}' but found ${JSON.stringify(this.peek())}`, this.position);
      }
      items.push(parseItem());
      this.skipWhitespace();
      trailingComma = this.peek() === ',';
      if (trailingComma) this.position++;
    }
  }

  private parseDict(depth: number): PyDict {
    const dict: PyDict = new Map();
    this.parseItems('}', () => {
      const keyOffset = this.position;
      const key = this.parseValue(depth + 1);
      if (typeof key !== 'string') throw new PyLiteralError('dict key is not a string', keyOffset);
      if (dict.has(key)) throw new PyLiteralError(`duplicate dict key '${key}'`, keyOffset);
      this.skipWhitespace();
      if (this.peek() !== ':') throw new PyLiteralError(`expected ':' after key '${key}'`, this.position);
      this.position++;
      dict.set(key, this.parseValue(depth + 1));
    });
    return dict;
  }

  private parseTuple(depth: number): PyValue {
    const { items, trailingComma } = this.parseItems(')', () => this.parseValue(depth + 1));
    // In Python `(5)` is the integer 5 and only `(5,)` is a tuple of one item.
    if (items.length === 1 && !trailingComma) return items[0];
    return { tuple: items };
  }

  private parseList(depth: number): PyValue[] {
    return this.parseItems(']', () => this.parseValue(depth + 1)).items;
  }

  private parseString(): string {
    const quote = this.peek();
    const start = this.position;
    this.position++;
    let value = '';
    for (;;) {
      if (this.atEnd()) throw new PyLiteralError('string is not closed', start);
      const char = this.text[this.position++];
      if (char === quote) return value;
      if (char === '\n') throw new PyLiteralError('line break inside a string', this.position - 1);
      if (char !== '\\') {
        value += char;
        continue;
      }
      const escaped = this.text[this.position++] ?? '';
      const replacement = SIMPLE_ESCAPES[escaped];
      if (replacement === undefined) {
        throw new PyLiteralError(`unsupported escape '\\${escaped}' in a string`, this.position - 2);
      }
      value += replacement;
    }
  }

  private parseInteger(): number {
    const match = /^[-+]?[0-9]+L?/.exec(this.text.slice(this.position, this.position + 40));
    if (!match) throw new PyLiteralError('expected an integer', this.position);
    const digits = match[0].replace(/L$/, '');
    const value = Number(digits);
    if (!Number.isSafeInteger(value)) {
      throw new PyLiteralError(`integer ${digits} is larger than ${Number.MAX_SAFE_INTEGER}`, this.position);
    }
    const next = this.text[this.position + match[0].length] ?? '';
    if (/[.eEjJxXoObB_]/.test(next)) {
      throw new PyLiteralError(`only plain integers are accepted, found '${match[0]}${next}'`, this.position);
    }
    this.position += match[0].length;
    return value;
  }

  private parseKeyword(): boolean | null {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position, this.position + 40));
    const word = match ? match[0] : '';
    if (!(word in KEYWORDS)) throw new PyLiteralError(`unexpected name '${word}'`, this.position);
    this.position += word.length;
    return KEYWORDS[word];
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };

const KEYWORDS: Record<string, boolean | null> = { True: true, False: false, None: null };
