// What the head of a JSON file looks like, from tokens alone: which key paths occur (`[].mapping`,
// `messages[].role`), a few string values, and whether it is one document or JSON Lines. Works on
// a cut-off head, so detection never has to parse a whole conversation (they can be megabytes).
import { Tokenizer, TokenType } from '@streamparser/json';

export type JsonShape = {
  root: 'array' | 'object' | 'scalar' | 'invalid';
  /** Key paths: `[]` for "any element", `.` between keys; the root's own keys have no prefix. */
  paths: Set<string>;
  /** First few string values seen at a path (e.g. `format`, `[].header`, `[].products[]`). */
  strings: Map<string, string[]>;
  /** One document per line (JSONL), as opposed to one (possibly pretty-printed) document. */
  layout: 'json' | 'jsonl';
  /** Whether anything at all was recognised as JSON before an error. */
  tokens: number;
};

const MAX_PATHS = 20_000;
const MAX_DEPTH = 6;

type Frame = { kind: 'object' | 'array'; path: string; key: string | undefined; expectKey: boolean };

export function jsonShape(head: Uint8Array): JsonShape {
  const shape: JsonShape = { root: 'invalid', paths: new Set(), strings: new Map(), layout: 'json', tokens: 0 };
  const stack: Frame[] = [];
  let documents = 0;
  let firstEnd = -1;
  let failed = false;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '';
    if (top.kind === 'array') return `${top.path}[]`;
    return top.path === '' ? (top.key ?? '') : `${top.path}.${top.key ?? ''}`;
  };
  const addString = (path: string, value: string) => {
    const list = shape.strings.get(path) ?? [];
    if (list.length < 5 && shape.strings.size < MAX_PATHS) list.push(value.slice(0, 200));
    shape.strings.set(path, list);
  };
  const tokenizer = new Tokenizer({ separator: '' });
  tokenizer.onError = () => {
    failed = true;
  };
  tokenizer.onToken = ({ token, value, offset }) => {
    if (failed) return;
    shape.tokens += 1;
    const top = stack[stack.length - 1];
    const startsValue = token !== TokenType.RIGHT_BRACE && token !== TokenType.RIGHT_BRACKET && token !== TokenType.COMMA && token !== TokenType.COLON;
    if (top === undefined && startsValue && token !== TokenType.SEPARATOR) {
      documents += 1;
      if (documents === 1) {
        shape.root = token === TokenType.LEFT_BRACKET ? 'array' : token === TokenType.LEFT_BRACE ? 'object' : 'scalar';
      }
    }
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET: {
        const path = childPath();
        stack.push({ kind: token === TokenType.LEFT_BRACE ? 'object' : 'array', path, key: undefined, expectKey: token === TokenType.LEFT_BRACE });
        return;
      }
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        stack.pop();
        if (stack.length === 0 && firstEnd === -1) firstEnd = offset;
        return;
      case TokenType.COMMA:
        if (top?.kind === 'object') top.expectKey = true;
        return;
      case TokenType.COLON:
        return;
      case TokenType.STRING:
        if (top?.kind === 'object' && top.expectKey) {
          top.key = String(value);
          top.expectKey = false;
          const path = childPath();
          if (stack.length <= MAX_DEPTH && shape.paths.size < MAX_PATHS) shape.paths.add(path);
          return;
        }
        if (stack.length <= MAX_DEPTH) addString(childPath(), String(value));
        if (stack.length === 0 && firstEnd === -1) firstEnd = offset;
        return;
      default:
        if (stack.length === 0 && firstEnd === -1) firstEnd = offset;
    }
  };
  try {
    tokenizer.write(head);
  } catch {
    failed = true;
  }
  // No raw newline can sit inside a JSON string, so where the first newline falls tells one
  // pretty-printed document from JSON Lines. A head with no newline at all is one long line, which
  // the JSONL reader handles as well as a one-line document.
  const newline = Buffer.from(head.buffer, head.byteOffset, head.byteLength).indexOf(10);
  if (shape.root === 'object' && firstEnd !== -1 && documents > 1 && (newline === -1 || newline > firstEnd)) {
    shape.layout = 'jsonl';
  } else if (shape.root === 'object' && firstEnd === -1 && newline === -1) {
    shape.layout = 'jsonl';
  }
  return shape;
}
