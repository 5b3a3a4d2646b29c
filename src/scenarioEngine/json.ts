/**
 * A small JSON parser that remembers where every value sits (offset, line, column), so that a
 * scenario file's problems are reported at their line and a Testing-view item points at its step.
 * Strict JSON (RFC 8259): no comments, no trailing commas, as VS Code's JSON mode checks
 * `*.json` files. Pure: imports nothing.
 */

/** A position in a text: 0-based line and character (VS Code's convention); `offset` in UTF-16 units. */
export interface TextPosition {
  offset: number;
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

interface NodeBase {
  range: TextRange;
}

export interface JsonProperty {
  key: string;
  keyRange: TextRange;
  value: JsonNode;
}

export type JsonNode =
  | (NodeBase & { type: 'object'; properties: JsonProperty[] })
  | (NodeBase & { type: 'array'; items: JsonNode[] })
  | (NodeBase & { type: 'string'; value: string })
  | (NodeBase & { type: 'number'; value: number })
  | (NodeBase & { type: 'boolean'; value: boolean })
  | (NodeBase & { type: 'null'; value: null });

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly position: TextPosition) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Parses `text` into a tree of positioned nodes; throws a JsonSyntaxError at the first fault. */
export function parseJsonTree(text: string): JsonNode {
  const p = new Parser(text);
  p.skipSpace();
  if (p.atEnd()) throw p.error('the file is empty: a scenario is a JSON object, { "name": …, "steps": [ … ] }');
  const node = p.value();
  p.skipSpace();
  if (!p.atEnd()) throw p.error(`unexpected ${p.describeHere()} after the end of the JSON value`);
  return node;
}

/** The plain JSON value of a node (what JSON.parse would give). */
export function toValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.properties) o[p.key] = toValue(p.value);
      return o;
    }
    case 'array':
      return node.items.map(toValue);
    default:
      return node.value;
  }
}

/** The property `key` of an object node (the last one if repeated, as JSON.parse does). */
export function propertyOf(node: JsonNode, key: string): JsonProperty | undefined {
  if (node.type !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i]!.key === key) return node.properties[i];
  return undefined;
}

/** The position of `offset` in `text` (0-based line and character). */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: end, line, character: end - lineStart };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  private i = 0;
  private line = 0;
  private lineStart = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  pos(): TextPosition {
    return { offset: this.i, line: this.line, character: this.i - this.lineStart };
  }

  error(message: string): JsonSyntaxError {
    return new JsonSyntaxError(message, this.pos());
  }

  describeHere(): string {
    if (this.atEnd()) return 'end of file';
    const c = this.s[this.i]!;
    if (c === '/' && (this.s[this.i + 1] === '/' || this.s[this.i + 1] === '*')) return 'a comment (JSON has no comments)';
    return `"${c}"`;
  }

  skipSpace(): void {
    for (; this.i < this.s.length; this.i++) {
      const c = this.s.charCodeAt(this.i);
      if (c === 10) {
        this.line++;
        this.lineStart = this.i + 1;
      } else if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) {
        return;
      }
    }
  }

  value(): JsonNode {
    this.skipSpace();
    const start = this.pos();
    const c = this.s[this.i];
    if (c === '{') return this.object(start);
    if (c === '[') return this.array(start);
    if (c === '"') return { type: 'string', value: this.string(), range: { start, end: this.pos() } };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(start);
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        const range = { start, end: this.pos() };
        return value === null ? { type: 'null', value, range } : { type: 'boolean', value, range };
      }
    }
    if (c === "'") throw this.error('strings are written in double quotes (") in JSON, not single quotes');
    throw this.error(`expected a value (an object, array, string, number, true, false or null), found ${this.describeHere()}`);
  }

  /** At an opening bracket: one level deeper, past it and the space after it. */
  private enter(): void {
    if (++this.depth > 64) throw this.error('the JSON is nested more than 64 levels deep');
    this.i++;
    this.skipSpace();
  }

  /** Past `close` and one level up, when it comes next. */
  private leave(close: '}' | ']'): boolean {
    if (this.s[this.i] !== close) return false;
    this.i++;
    this.depth--;
    return true;
  }

  /** Past the space and the "," after an entry, when a "," comes next. */
  private comma(): boolean {
    this.skipSpace();
    if (this.s[this.i] !== ',') return false;
    this.i++;
    return true;
  }

  /**
   * The entries of an object or an array, at its opening bracket: each read by `entry`, with a ","
   * between two, up to `close`. `after` names an entry in the error when neither follows it.
   */
  private entries<T>(close: '}' | ']', entry: () => T, after: (last: T) => string): T[] {
    this.enter();
    const out: T[] = [];
    if (this.leave(close)) return out;
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === close && out.length) throw this.error(`a trailing comma before "${close}" is not allowed in JSON`);
      const last = entry();
      out.push(last);
      if (this.comma()) continue;
      if (this.leave(close)) return out;
      throw this.error(`expected "," or "${close}" after ${after(last)}, found ${this.describeHere()}`);
    }
  }

  private object(start: TextPosition): JsonNode {
    const properties = this.entries('}', () => this.property(), (p) => `the value of "${p.key}"`);
    return { type: 'object', properties, range: { start, end: this.pos() } };
  }

  private property(): JsonProperty {
    if (this.s[this.i] !== '"') throw this.error(`expected a property name in double quotes, found ${this.describeHere()}`);
    const keyStart = this.pos();
    const key = this.string();
    const keyRange = { start: keyStart, end: this.pos() };
    this.skipSpace();
    if (this.s[this.i] !== ':') throw this.error(`expected ":" after the property name "${key}", found ${this.describeHere()}`);
    this.i++;
    return { key, keyRange, value: this.value() };
  }

  private array(start: TextPosition): JsonNode {
    const items = this.entries(']', () => this.value(), () => 'an array item');
    return { type: 'array', items, range: { start, end: this.pos() } };
  }

  private string(): string {
    this.i++; // the opening quote
    let out = '';
    let from = this.i;
    for (;;) {
      if (this.i >= this.s.length) throw this.error('a string is not closed (missing ")');
      const c = this.s.charCodeAt(this.i);
      if (c === 34) {
        out += this.s.slice(from, this.i);
        this.i++;
        return out;
      }
      if (c === 10 || c === 13) throw this.error('a string is not closed before the end of the line (missing ")');
      if (c < 32) throw this.error('a control character inside a string must be escaped');
      if (c === 92) {
        out += this.s.slice(from, this.i);
        const e = this.s[this.i + 1];
        if (e === 'u') {
          const hex = this.s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('"\\u" must be followed by four hex digits');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
        } else if (e !== undefined && ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          this.i += 2;
        } else {
          throw this.error(`"\\${e ?? ''}" is not a JSON escape`);
        }
        from = this.i;
        continue;
      }
      this.i++;
    }
  }

  private number(start: TextPosition): JsonNode {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) throw this.error(`"${this.s.slice(this.i, this.i + 12).split(/[\s,}\]]/)[0]}" is not a JSON number`);
    this.i += m[0].length;
    const next = this.s[this.i];
    if (next !== undefined && /[0-9A-Za-z_.]/.test(next)) {
      throw this.error(`"${this.s.slice(start.offset, this.i + 1)}" is not a JSON number (no leading zeros, hex or trailing letters)`);
    }
    return { type: 'number', value: Number(m[0]), range: { start, end: this.pos() } };
  }
}
