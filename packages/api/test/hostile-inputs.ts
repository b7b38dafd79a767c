// Inputs for any procedure, made from its own zod schema: valid everywhere (real ids, cursors and
// words, so a call gets past validation into the services and the database) except at one place of
// the schema, the target, which gets a hostile value. Walking every place of every schema, a fuzz run
// puts each hostile value where a real client could put it, one at a time.
import fc from 'fast-check';

/** Real objects of the users, filled in once they exist: valid inputs name them, the caller's and another's. */
export type Known = { logs: string[]; ids: string[]; cursors: string[]; tags: string[] };

/** The target that leaves the whole input valid. */
export const NO_TARGET = '(none)';

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SOME_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

let deepArrays: unknown = 'bottom';
for (let i = 0; i < 5_000; i++) deepArrays = [deepArrays];
let deepObjects: unknown = { leaf: 'x' };
for (let i = 0; i < 40; i++) deepObjects = { next: deepObjects };

/** Own properties named like the prototype's, as JSON.parse makes them. */
const polluting = () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "ok": 1}') as unknown;

const HUGE = 'é'.repeat(2_100_000);

const hostileTexts = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'lone \ud800 high',
  'lone \udfff low',
  '\udc00\ud800',
  'x'.repeat(600),
  'x'.repeat(100_001),
  HUGE,
  "'; drop table chatlogs; --",
  '%_\\',
  '<script>alert(1)</script>',
  '9999999999999999999',
  '-1',
  'NaN',
  '__proto__',
  'constructor',
];

const hostileIds = ['00000000-0000-0000-0000-000000000000', '------------------------------------', 'not-a-uuid', `${SOME_ID} `, SOME_ID.toUpperCase()];

const hostileTimes = [
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:00:00-02:00',
  '0001-01-01T00:30:00+01:00',
  '9999-12-31T23:59:59-05:00',
  '2024-13-45T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '99999-01-01T00:00:00Z',
  '2024-01-01 12:00:00',
];

const forgedCursors = [
  forge(['0000-01-01 00:00:00+00', SOME_ID]),
  forge(['2024-02-30 00:00:00+00', SOME_ID]),
  forge(['2024-13-45', SOME_ID]),
  forge(['10000-01-01 00:00:00+00', SOME_ID]),
  forge(['0001-01-01 00:00:00+00', SOME_ID]),
  forge(['2024-01-01 00:00:00+00', '------------------------------------']),
  forge([1e308, '2024-01-01 00:00:00+00', SOME_ID]),
  forge([1, '0000-01-01 00:00:00+00', SOME_ID]),
  forge([1, '2024-01-01 00:00:00+00', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz']),
  forge({ __proto__: null, sortKey: '2024-01-01', id: SOME_ID }),
  Buffer.from(`[1e999, "2024-01-01 00:00:00+00", "${SOME_ID}"]`).toString('base64url'),
  'not base64 at all!',
];

const hostileNumbers = [
  -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 0.5, -0, 1e-300, 100_001, 2_000_001,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
];

const hostileDates = [new Date(Number.NaN), new Date(-62_198_755_200_000), new Date(8.64e15), new Date(-8.64e15)];

/** Anything at all: every hostile value above, and the shapes a decoded request can hold. */
export const anything: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...hostileTexts, ...hostileIds, ...hostileTimes, ...forgedCursors),
    fc.constantFrom(...hostileNumbers, ...hostileDates),
    fc.string({ unit: fc.constantFrom('a', ' ', '\u0000', '\ud800', '\udfff', '😀', 'é', '\n', '"', '\\'), maxLength: 8 }),
    fc.boolean(),
    fc.constantFrom(null, undefined, 10n ** 30n, deepArrays, deepObjects, new Map([[1, 2]]), new Set([1]), () => 1, Symbol('s')),
    fc.constant(null).map(polluting),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'userId', 'a\u0000', '\ud800')), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** JSON that PostgreSQL cannot store or superjson cannot send back, in a metadata object or a tool's input. */
const hostileJson = fc.oneof(
  fc.constantFrom<unknown>(
    { query: 'a\u0000b' },
    { ['k\u0000']: 1 },
    ['tide \ud800 tables'],
    '\udfff',
    { n: Number.NaN },
    Number.POSITIVE_INFINITY,
    { big: 10n },
    { at: new Date(Number.NaN) },
    deepObjects,
    deepArrays,
    { huge: HUGE },
    new Map([['a', 1]]),
  ),
  fc.constant(null).map(polluting),
  fc.constant(null).map(() => ({ args: polluting() })),
  anything,
);

/** JSON a client would send as metadata or a tool's input. */
const plainJson = fc.oneof(
  fc.constant({ model: 'gpt-4o' }),
  fc.constant({ query: 'ferry timetable', limit: 3, filters: [1, 2.5, null, true] }),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
);

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def) => ((def.checks as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? []).map((c) => c._zod.def);
const formatOf = (def: Def) => (def.format as string | undefined) ?? (checksOf(def).find((c) => c.check === 'string_format')?.format as string | undefined);

/** Schemas that wrap another at the same place of the input. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);
const MAX_DEPTH = 8;

/** Every place of a schema a hostile value can go, as paths (`content.messages[].parts[].input`). */
export function placesOf(schema: unknown, path = '', depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return placesOf(def.innerType, path, depth);
  if (def.type === 'pipe') return placesOf(def.in, path, depth);
  if (def.type === 'lazy') return placesOf((def.getter as () => unknown)(), path, depth + 1);
  const inner: string[] = [];
  if (def.type === 'object') {
    for (const [key, field] of Object.entries(def.shape as Record<string, unknown>)) inner.push(...placesOf(field, path ? `${path}.${key}` : key, depth + 1));
  } else if (def.type === 'array') {
    inner.push(...placesOf(def.element, `${path}[]`, depth + 1));
  } else if (def.type === 'tuple') {
    (def.items as unknown[]).forEach((item, i) => inner.push(...placesOf(item, `${path}[${i}]`, depth + 1)));
  } else if (def.type === 'union') {
    (def.options as unknown[]).forEach((option, i) => inner.push(...placesOf(option, `${path}|${i}`, depth + 1)));
  }
  return [path, ...inner];
}

const within = (path: string, target: string) =>
  target === path || path === '' || target.startsWith(`${path}.`) || target.startsWith(`${path}[`) || target.startsWith(`${path}|`);

/** An input for `schema`, valid but at `target` (NO_TARGET: valid throughout). */
export function inputFor(schema: unknown, target: string, known: Known): fc.Arbitrary<unknown> {
  return build(schema, target, '', '', 0, known);
}

function build(schema: unknown, target: string, path: string, key: string, depth: number, known: Known): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const hit = target !== NO_TARGET && within(path, target);
  const next = (inner: unknown, innerPath = path, innerKey = key) => build(inner, target, innerPath, innerKey, depth + 1, known);
  if (WRAPPERS.has(def.type)) {
    const inner = next(def.innerType);
    // An optional value is given when the hostile one is inside it, and half the time otherwise.
    if (hit || def.type === 'catch' || def.type === 'readonly' || def.type === 'nonoptional') return inner;
    return fc.oneof(inner, fc.constant(def.type === 'nullable' ? null : undefined));
  }
  if (def.type === 'pipe') return next(def.in);
  if (def.type === 'lazy') return depth > MAX_DEPTH ? plainJson : next((def.getter as () => unknown)());
  if (hit && target === path) return hostileFor(def, key);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      return fc.record(
        Object.fromEntries(Object.entries(shape).map(([field, value]) => [field, next(value, path ? `${path}.${field}` : field, field)])),
      ).map((value) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)));
    }
    case 'array': {
      const element = next(def.element, `${path}[]`);
      return hit ? fc.array(element, { minLength: 1, maxLength: 2 }) : fc.array(element, { maxLength: depth < 4 ? 3 : 1 });
    }
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map((item, i) => next(item, `${path}[${i}]`)));
    case 'union': {
      const options = (def.options as unknown[]).map((option, i) => ({ option, i }));
      const chosen = options.filter(({ i }) => within(`${path}|${i}`, target));
      return fc.oneof(...(hit && chosen.length ? chosen : options).map(({ option, i }) => next(option, `${path}|${i}`)));
    }
    default:
      return validLeaf(def, key, known);
  }
}

const pick = (list: () => string[]) => fc.nat().map((i) => list()[i % Math.max(1, list().length)] ?? 'x');

function validLeaf(def: Def, key: string, known: Known): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'string': {
      const format = formatOf(def);
      if (format === 'uuid') return fc.oneof({ weight: 6, arbitrary: pick(() => (key === 'chatlogId' ? known.logs : known.ids)) }, { weight: 1, arbitrary: fc.uuid({ version: 7 }) });
      if (format === 'email') return fc.oneof(fc.constant('alice@example.com'), fc.nat(999).map((n) => `new${n}@example.com`));
      if (format === 'datetime') return fc.constantFrom('2024-01-01T12:00:00Z', '2025-06-30T08:15:00.123+02:00', '0001-01-01T00:00:00Z');
      if (key === 'cursor') return pick(() => known.cursors);
      if (key === 'lastEventId') return fc.constantFrom('0', '1', '42');
      if (key === 'query') return fc.constantFrom('ferries', '"ferries in" -boats', 'timetable or winter', 'ferr');
      if (key === 'username') return fc.nat(999).map((n) => `carol${n}`);
      if (key === 'login') return fc.constantFrom('alice', 'ALICE@example.com', 'nobody');
      if (/password/i.test(key)) return fc.constantFrom('correct horse battery', 'wrong password!');
      if (key === 'source') return fc.constantFrom('chatgpt', 'api');
      if (key === 'quote') return fc.constantFrom('Message', 'ferries');
      return fc.oneof(pick(() => known.tags), fc.constantFrom('Ferries in winter', 'How do ferries work?', 'laptop CLI', '  Spaced   Out  '));
    }
    case 'number': {
      const checks = checksOf(def);
      const min = Number(checks.find((c) => c.check === 'greater_than')?.value ?? 0);
      const max = Number(checks.find((c) => c.check === 'less_than')?.value ?? 1000);
      return fc.constantFrom(...[min, 0, 1, 2, 3, 20].filter((n) => n >= min && n <= max));
    }
    case 'bigint':
      return fc.constant(1n);
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.constantFrom(new Date('2024-01-01T00:00:00Z'), new Date());
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    default:
      // unknown, custom (metadata, a tool's input and output), record, transform and the rest.
      return plainJson;
  }
}

/** A hostile value for the place: of its own type mostly (out of bounds, unstorable), any other now and then. */
function hostileFor(def: Def, key: string): fc.Arbitrary<unknown> {
  const own = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string': {
        const format = formatOf(def);
        if (key === 'cursor') return fc.constantFrom(...forgedCursors);
        if (format === 'uuid') return fc.constantFrom(...hostileIds);
        if (format === 'datetime') return fc.constantFrom(...hostileTimes);
        return fc.constantFrom(...hostileTexts);
      }
      case 'number':
        return fc.constantFrom(...hostileNumbers);
      case 'date':
        return fc.constantFrom(...hostileDates);
      case 'object':
        // Unknown keys, own "__proto__" included; or another shape entirely.
        return fc.oneof(
          fc.constant(null).map(polluting),
          fc.constantFrom({ userId: SOME_ID }, { isAdmin: true }, { deletedAt: null }),
          fc.constant(null).map(() => JSON.parse(`{"__proto__": {"isAdmin": true}}`) as unknown),
        );
      case 'array':
        return fc.oneof(fc.constant(Array.from({ length: 40 }, () => 'x')), fc.constant(deepArrays), fc.constant({ length: 1, 0: 'x' }));
      case 'enum':
      case 'literal':
        return fc.constantFrom('ADMIN', '', 'markdown\u0000', 0);
      case 'string_format':
      default:
        return hostileJson;
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: own }, { weight: 1, arbitrary: anything });
}
