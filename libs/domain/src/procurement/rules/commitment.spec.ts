import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { bidCommitment, canonicalJson, newSalt, verifyCommitment } from './commitment';

const salt = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));
const anyJson = fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' }));
const SALT = Buffer.alloc(32, 7).toString('base64');

describe('canonicalJson', () => {
  it('sorts keys, drops whitespace and writes numbers and strings as RFC 8785 does', () => {
    // The sample of RFC 8785 section 3.2.2.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('orders keys by UTF-16 code units', () => {
    // The sorting sample of RFC 8785 section 3.2.3: the emoji's high surrogate sorts before U+FB33.
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // (Object.keys would list "1" first, as JavaScript orders integer-like keys, so read the text itself.)
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('takes values as JSON.stringify does', () => {
    expect(canonicalJson({ b: undefined, a: new Date(Date.UTC(2026, 0, 2)), c: [undefined, () => 1] })).toBe(
      '{"a":"2026-01-02T00:00:00.000Z","c":[null,null]}',
    );
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(Object(5))).toBe('5');
  });

  it('writes plain data as the definition does, and hands the rest to the general path', () => {
    // Plain data goes through a sorted copy and JSON.stringify; each of these must not, or must still agree.
    expect(canonicalJson(JSON.parse('{"__proto__":{"b":1,"a":2},"z":[-0,1e21]}'))).toBe(
      '{"__proto__":{"a":2,"b":1},"z":[0,1e+21]}',
    );
    expect(canonicalJson({ 10: 'x', 9: 'y', b: [{ d: 3, c: 4 }] })).toBe(
      '{"10":"x","9":"y","b":[{"c":4,"d":3}]}',
    );
    expect(canonicalJson({ toJSON: 'data', a: 1 })).toBe('{"a":1,"toJSON":"data"}');
    expect(canonicalJson({ s: '\\ud800 is text' })).toBe('{"s":"\\\\ud800 is text"}');
    expect(() => canonicalJson({ a: ['x', { b: '\ud800' }] })).toThrow(TypeError);
    expect(canonicalJson([1, , 3])).toBe('[1,null,3]'); // eslint-disable-line no-sparse-arrays
    let deep: unknown = { b: 1, a: 2 };
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(canonicalJson(deep)).toBe(`${'['.repeat(100)}{"a":2,"b":1}${']'.repeat(100)}`);
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
    }
    expect(canonicalJson({ p: new Point(2, 1) })).toBe('{"p":{"x":1,"y":2}}');
  });

  it('refuses what has no canonical JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ x: 1n })).toThrow(TypeError);
    expect(() => canonicalJson('\ud800')).toThrow(TypeError);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(TypeError);
    // a shared (not circular) reference is fine
    const shared = { n: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"n":1},{"n":1}]');
  });

  it('is valid JSON for the same value and survives a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('agrees with the canonicalize package', () => {
    const values = fc.sample(anyJson, { numRuns: 300, seed: 8785 });
    values.push(1e21, 1e-7, 5e-324, 2 ** 60, '\u2028\u007f', { '\ud800': 1 }, ['\udfff']);
    const transported = JSON.parse(JSON.stringify(values)) as unknown[];
    const ours = transported.map((value) => {
      try {
        return canonicalJson(value);
      } catch {
        return null;
      }
    });
    expect(ours).toEqual(canonicalizeInChildProcess(transported));
  });
});

describe('newSalt', () => {
  it('makes 32 fresh random bytes in base64', () => {
    const a = newSalt();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(a).not.toBe(newSalt());
  });

  it('never hands out the same bytes twice, across several draws from the CSPRNG', () => {
    // 1,000 salts span eight draws of 128: within a draw each salt is its own slice, and each draw is new.
    const salts = Array.from({ length: 1000 }, () => newSalt());
    expect(new Set(salts).size).toBe(salts.length);
    const bytes = salts.map((s) => Buffer.from(s, 'base64'));
    expect(bytes.every((b) => b.length === 32)).toBe(true);
    // No salt is a wiped (zeroed) slice of the pool: 32 zero bytes would be a chance of 2^-256.
    expect(bytes.some((b) => b.every((x) => x === 0))).toBe(false);
    // The bytes look uniform: each of the 256 values about 125 times in 32,000 bytes.
    const counts = new Array<number>(256).fill(0);
    for (const b of bytes) for (const x of b) counts[x]!++;
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(200);
  });
});

describe('bidCommitment', () => {
  it('hashes the canonical JSON of content and salt', () => {
    const handWritten = `{"content":{"a":"x","b":1},"salt":"${SALT}"}`;
    const expected = createHash('sha256').update(Buffer.from(handWritten, 'utf8')).digest('hex');
    expect(bidCommitment({ b: 1, a: 'x' }, SALT)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), salt, (object, s) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(bidCommitment({ lot: object }, s)).toBe(bidCommitment({ lot: reversed }, s));
      }),
    );
  });

  it('changes with any change to the content or the salt', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), salt, salt, (a, b, s, t) => {
        if (canonicalJson(a) !== canonicalJson(b)) expect(bidCommitment(a, s)).not.toBe(bidCommitment(b, s));
        if (s !== t) expect(bidCommitment(a, s)).not.toBe(bidCommitment(a, t));
      }),
    );
    expect(bidCommitment({ price: '100.00' }, SALT)).not.toBe(bidCommitment({ price: '100.01' }, SALT));
  });

  it('refuses a salt that is not 32 bytes of canonical base64', () => {
    for (const bad of ['', 'salt', Buffer.alloc(16).toString('base64'), `${SALT.slice(0, -1)}`, `${SALT} `]) {
      expect(() => bidCommitment({}, bad)).toThrow(RangeError);
    }
  });
});

describe('verifyCommitment', () => {
  it('accepts the committed content and salt and nothing else', () => {
    const content = { lots: [{ lotId: 'L1', price: '1500.00' }], supplierId: 'org-1' };
    const s = newSalt();
    const commitment = bidCommitment(content, s);
    expect(
      verifyCommitment({ supplierId: 'org-1', lots: [{ price: '1500.00', lotId: 'L1' }] }, s, commitment),
    ).toBe(true);
    expect(verifyCommitment({ ...content, supplierId: 'org-2' }, s, commitment)).toBe(false);
    expect(verifyCommitment(content, newSalt(), commitment)).toBe(false);
    expect(verifyCommitment(content, s, commitment.toUpperCase())).toBe(false);
    expect(verifyCommitment(content, s, commitment.slice(2))).toBe(false);
    expect(verifyCommitment(content, 'short', commitment)).toBe(false);
  });
});

/** Runs the `canonicalize` package (ESM only) in a child Node process over the same values. */
function canonicalizeInChildProcess(values: unknown[]): (string | null)[] {
  const script = [
    "import canonicalize from 'canonicalize';",
    'let input = "";',
    'for await (const chunk of process.stdin) input += chunk;',
    'const out = JSON.parse(input).map((v) => { try { return canonicalize(v) ?? null; } catch { return null; } });',
    'process.stdout.write(JSON.stringify(out));',
  ].join('\n');
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(__dirname, '../../../../..'),
    input: JSON.stringify(values),
    encoding: 'utf8',
  });
  return JSON.parse(output) as (string | null)[];
}
