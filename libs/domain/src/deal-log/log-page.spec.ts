import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { PageError, readPage } from '../../../../tools/verify-log/log-page';
import { checkPage } from '../../../../tools/verify-log/page-check';
import {
  canonicalJson,
  CommitmentChecker,
  entryLeafHashHex,
  LogScanner,
} from '../../../../tools/verify-log/verifier-core';

// The verifier reads pages from their bytes (tools/verify-log/log-page.ts). Whatever the bytes, it must come to
// what parsing the page and canonicalising every entry comes to: the definition these tests hold it to.

const page = (items: string[]): Buffer => Buffer.from(`{"entries":[${items.join(',')}]}`, 'utf8');
const item = (index: number, entryText: string, leafHash: string): string =>
  `{"index":${index},"entry":${entryText},"leafHash":"${leafHash}"}`;

/** What canonicalising an entry gives: its leaf hash, or the error. */
const definedLeaf = (entry: unknown): string => {
  try {
    return entryLeafHashHex(entry);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
};

/** The scanner's outcome for one page: recomputed leaf hashes and problems. */
function scanRead(bytes: Buffer) {
  const scanner = new LogScanner();
  scanner.addChecked(checkPage(bytes));
  return {
    leaves: [...Array(scanner.size).keys()].map((i) => scanner.leafHash(i)),
    problems: scanner.problems,
  };
}
function scanParsed(text: string) {
  const scanner = new LogScanner();
  for (const parsed of (JSON.parse(text) as { entries: never[] }).entries) scanner.add(parsed);
  return {
    leaves: [...Array(scanner.size).keys()].map((i) => scanner.leafHash(i)),
    problems: scanner.problems,
  };
}

// Strings JSON writes with escapes, or that sort differently by code unit and by code point.
const trickyString = fc.constantFrom(
  '"',
  '\\',
  '\u0000\u001f\u007f',
  '\b\f\n\r\t',
  '\u2028',
  '\ud83d\ude00',
  '\uffff',
  '/',
);
const keyArb = fc.oneof(
  fc.string({ maxLength: 4 }),
  trickyString,
  fc.constantFrom('type', 'payload', 'tenderId'),
);
const valueArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  trickyString,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.dictionary(keyArb, fc.oneof(trickyString, fc.jsonValue({ maxDepth: 2 }))),
);
/** Texts of a value: canonical, as JSON.stringify writes it, pretty-printed, and with escapes spelled otherwise. */
const textsOf = (value: unknown): string[] => {
  const texts = [JSON.stringify(value), JSON.stringify(value, null, 1)];
  try {
    const canonical = canonicalJson(value);
    texts.push(
      canonical,
      canonical.replace(/\\n/g, '\\u000a'),
      canonical.replace(/\\u001f/g, '\\u001F'),
      canonical.replace(/\//g, '\\/'),
    );
  } catch {
    // no canonical form (a lone surrogate): the other texts still must be read as the definition reads them
  }
  return texts;
};

describe('verifier page reader', () => {
  it('recomputes every leaf as canonicalising the parsed entry does, whatever the entry’s text', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const texts = textsOf(value);
        const items = texts.map((text, i) => item(i, text, '0'.repeat(64)));
        const bytes = page(items);
        const expected = texts.map((text) => definedLeaf(JSON.parse(text)));
        const read = readPage(Buffer.from(bytes));
        // Read as canonical exactly when the text is the canonical form of what it denotes.
        expect(read.map((r) => r.canonical)).toEqual(
          texts.map((text, i) =>
            expected[i]!.startsWith('error') ? false : safeCanonical(JSON.parse(text)) === text,
          ),
        );
        const scanned = scanRead(Buffer.from(bytes));
        const parsed = scanParsed(bytes.toString('utf8'));
        expect(scanned).toEqual(parsed);
        expect(expected.filter((e) => !e.startsWith('error'))).toEqual(
          scanned.leaves.filter((l) => l !== '0'.repeat(64)),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('reads any layout of the page as JSON.parse does', () => {
    const entry = { type: 'question.asked', tenderId: 't', payload: { text: 'Ё "q"' } };
    const leaf = entryLeafHashHex(entry);
    const layouts = [
      `{"entries":[${item(0, canonicalJson(entry), leaf)}]}`,
      JSON.stringify({ entries: [{ index: 0, entry, leafHash: leaf }] }, null, 2),
      JSON.stringify({
        other: [1, { entries: 2 }],
        entries: [{ leafHash: leaf, extra: null, entry, index: 0 }],
      }),
      `{"entries":[{"index":0,"entry":{"type":"x"},"entry":${canonicalJson(entry)},"leafHash":"${leaf}"}]}`,
      `{"\\u0065ntries":[{"ind\\u0065x":0,"entry":${canonicalJson(entry)},"leafHash":"\\u0030${leaf.slice(1)}"}]}`,
      `{"entries":[7,{"index":1.0,"entry":${canonicalJson(entry)},"leafHash":"${leaf.toUpperCase()}"}]}`,
    ];
    for (const text of layouts) {
      expect(scanRead(Buffer.from(text))).toEqual(scanParsed(text));
    }
  });

  it('refuses a page JSON.parse refuses, and one without an entries array', () => {
    const valid = page([item(0, '{"a":[1,true,null,"s"]}', '0'.repeat(64))]).toString('latin1');
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.constantFrom('', ' ', '"', '}', ']', ',', ':', '\\', '\u0001', 'x', '-'),
        (at, c) => {
          const text = valid.slice(0, at) + c + valid.slice(at + 1);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            expect(() => readPage(Buffer.from(text, 'latin1'))).toThrow(PageError);
            return;
          }
          const entries = (parsed as { entries?: unknown }).entries;
          if (!Array.isArray(entries)) expect(() => readPage(Buffer.from(text, 'latin1'))).toThrow(PageError);
          else expect(scanRead(Buffer.from(text, 'latin1'))).toEqual(scanParsed(text));
        },
      ),
      { numRuns: 1000 },
    );
    for (const text of ['', '[]', '{"entries":{}}', '{"entries":[]} x', '{"entries":[{"entry":{"a":1}}]']) {
      expect(() => readPage(Buffer.from(text))).toThrow(PageError);
    }
  });

  it('checks commitments as the parsed entries are checked', () => {
    const commitment = (s: string) => createHash('sha256').update(s).digest('hex');
    const content = { lots: [{ lotId: 'l1', price: '10.00' }] };
    const salt = 'c2FsdA==';
    const good = createHash('sha256').update(canonicalJson({ content, salt })).digest('hex');
    const entries: unknown[] = [
      { type: 'bid.submitted', tenderId: 'a', payload: { commitment: good } },
      { type: 'bid.submitted', tenderId: 'b', payload: { commitment: commitment('other') } },
      { type: 'bid.changed', tenderId: null, payload: { commitment: good } },
      { type: 'bid.confirmed', tenderId: 'c', payload: { commitment: good.toUpperCase() } },
      { type: 'bid.opened', tenderId: 'a', payload: { content, salt, commitment: good } },
      { type: 'bid.opened', tenderId: 'b', payload: { content, salt, commitment: good } },
      { type: 'bid.opened', tenderId: 'null', payload: { content, salt, commitment: good } },
      { type: 'bid.opened', tenderId: 'c', payload: { content: {}, salt, commitment: good } },
      { payload: { commitment: good }, tenderId: 'd', type: 'bid.submitted' },
      { type: 'bid.opened', tenderId: 'd', payload: { content, salt, commitment: good } },
    ];
    const texts = entries.map((e, i) => (i === 8 ? JSON.stringify(e) : canonicalJson(e)));
    const fromBytes = { problems: commitmentProblems(entries, texts) };
    // Bids b (logged for another tender), c (content changed) are refused; a, null and d pass.
    expect(fromBytes.problems.map((p) => p.index)).toEqual([5, 7, 7]);
  });

  it('reads from the bytes which commitments a withdrawal or a change retired', () => {
    const content = { lots: [{ lotId: 'l1', price: '10.00' }] };
    const sealed = (salt: string) =>
      createHash('sha256').update(canonicalJson({ content, salt })).digest('hex');
    const [first, second, third] = ['c2FsdA==', 'c2FsdDI=', 'c2FsdDM='];
    const entries: unknown[] = [
      { type: 'bid.submitted', tenderId: 'a', payload: { commitment: sealed(first) } },
      { type: 'bid.withdrawn', tenderId: 'a', payload: { commitment: sealed(first) } },
      { type: 'bid.opened', tenderId: 'a', payload: { content, salt: first, commitment: sealed(first) } },
      { type: 'bid.submitted', tenderId: 'b', payload: { commitment: sealed(second) } },
      {
        type: 'bid.changed',
        tenderId: 'b',
        payload: { commitment: sealed(third), replaces: sealed(second) },
      },
      { type: 'bid.opened', tenderId: 'b', payload: { content, salt: second, commitment: sealed(second) } },
      { type: 'bid.opened', tenderId: 'b', payload: { content, salt: third, commitment: sealed(third) } },
    ];
    const fromBytes = { problems: commitmentProblems(entries) };
    // The withdrawn bid of a and the replaced version of b are refused; the version that replaced it is not.
    expect(fromBytes.problems.map((p) => [p.index, p.message])).toEqual([
      [2, expect.stringMatching(/withdrawn or replaced at 1/)],
      [5, expect.stringMatching(/withdrawn or replaced at 4/)],
    ]);
  });

  it('sees a closing that left a live bid sealed, from the bytes as from the parsed entries', () => {
    const content = { lots: [{ lotId: 'l1', price: '10.00' }] };
    const sealed = (salt: string) =>
      createHash('sha256').update(canonicalJson({ content, salt })).digest('hex');
    const open = (tenderId: string, salt: string) => ({
      type: 'bid.opened',
      tenderId,
      payload: { content, salt, commitment: sealed(salt) },
    });
    const [s1, s2, s3, s4, s5] = ['c2FsdDE=', 'c2FsdDI=', 'c2FsdDM=', 'c2FsdDQ=', 'c2FsdDU='];
    const entries: unknown[] = [
      // Tender a: three bids, one withdrawn, one confirmed again after an amendment; both live ones opened.
      { type: 'bid.submitted', tenderId: 'a', payload: { commitment: sealed(s1) } },
      { type: 'bid.submitted', tenderId: 'a', payload: { commitment: sealed(s2) } },
      { type: 'bid.submitted', tenderId: 'a', payload: { commitment: sealed(s3) } },
      { type: 'bid.withdrawn', tenderId: 'a', payload: { commitment: sealed(s3) } },
      { type: 'bid.confirmed', tenderId: 'a', payload: { commitment: sealed(s2) } },
      open('a', s1),
      open('a', s2),
      { type: 'tender.closed', tenderId: 'a', payload: { status: 'active.qualification' } },
      // Tender b: a bid changed (the new version is the live one) and another bid left out of the closing.
      { type: 'bid.submitted', tenderId: 'b', payload: { commitment: sealed(s4) } },
      { type: 'bid.changed', tenderId: 'b', payload: { commitment: sealed(s5), replaces: sealed(s4) } },
      { type: 'bid.submitted', tenderId: 'b', payload: { commitment: sealed(s1) } },
      open('b', s5),
      { type: 'tender.closed', tenderId: 'b', payload: { status: 'active.qualification' } },
    ];
    const fromBytes = { problems: commitmentProblems(entries) };
    expect(fromBytes.problems.map((p) => [p.index, p.message])).toEqual([
      [12, 'tender b closed at 12 with 1 of its 2 sealed bids opened'],
    ]);
  });

  it('sees an auction price logged after the auction’s end in force, from the bytes', () => {
    const price = (at: string, auctionEnd?: string) => ({
      occurredAt: at,
      payload: { participant: 2, price: '99.00', ...(auctionEnd ? { auctionEnd } : {}) },
      tenderId: 'a',
      type: 'auction.bid',
    });
    const entries: unknown[] = [
      {
        occurredAt: '2027-03-01T12:00:01.000000Z',
        payload: { auctionPeriod: { endDate: '2027-03-01T12:10:01.000Z' } },
        tenderId: 'a',
        type: 'auction.started',
      },
      price('2027-03-01T12:09:00.000000Z', '2027-03-01T12:19:00.000Z'),
      price('2027-03-01T12:18:59.999000Z'),
      price('2027-03-01T12:19:00.500000Z'),
    ];
    expect(commitmentProblems(entries).map((p) => [p.index, p.message])).toEqual([
      [
        3,
        expect.stringMatching(
          /^auction price at 3 logged at 2027-03-01T12:19:00.500000Z, after the auction's end/,
        ),
      ],
    ]);
  });

  it('sees a bid logged after its tender’s deadline in force, from the bytes as from the parsed entries', () => {
    const hash = (s: string) => createHash('sha256').update(s).digest('hex');
    const bid = (tenderId: string, at: string, seed: string, type = 'bid.submitted') => ({
      occurredAt: at,
      payload: { commitment: hash(seed) },
      tenderId,
      type,
    });
    const entries: unknown[] = [
      {
        occurredAt: '2027-03-01T08:00:00.000000Z',
        payload: { tender: { tenderPeriod: { endDate: '2027-03-01T12:00:00.000Z' } } },
        tenderId: 'a',
        type: 'tender.published',
      },
      bid('a', '2027-03-01T11:59:59.999900Z', 'in time'),
      bid('a', '2027-03-01T12:00:00.000300Z', 'within the deadline’s millisecond'),
      bid('a', '2027-03-01T12:00:00.002000Z', 'late'),
      bid('a', '2027-03-01T12:00:05.000000Z', 'late confirmation', 'bid.confirmed'),
      {
        occurredAt: '2027-03-01T12:00:06.000000Z',
        payload: { changes: { 'tenderPeriod.endDate': { after: '2027-03-05T12:00:00.000Z', before: 'x' } } },
        tenderId: 'a',
        type: 'tender.amended',
      },
      bid('a', '2027-03-02T09:00:00.000000Z', 'after the extension'),
      // A tender whose publication the log has not shown: nothing to check its bids against.
      bid('b', '2030-01-01T00:00:00.000000Z', 'unknown deadline'),
      {
        occurredAt: '2027-03-01T09:00:00.000000Z',
        payload: { status: 'active.tendering', tenderPeriod: { endDate: '2027-03-01T10:00:00.000Z' } },
        tenderId: 'c',
        type: 'tender.tendering',
      },
      bid('c', '2027-03-01T10:00:01.000000Z', 'late for c'),
    ];
    const fromBytes = { problems: commitmentProblems(entries) };
    // The amendment (5) comes after the deadline it would move, which the server refuses: the deadline stays,
    // and the bid after it (6) is late too.
    expect(fromBytes.problems.map((p) => p.index)).toEqual([3, 4, 5, 6, 9]);
    expect(fromBytes.problems[2]?.message).toMatch(/^amendment at 5 logged at 2027-03-01T12:00:06/);
    expect(fromBytes.problems[0]?.message).toBe(
      "sealed bid at 3 logged at 2027-03-01T12:00:00.002000Z, after tender a's deadline 2027-03-01T12:00:00.000Z",
    );
  });
});

function safeCanonical(value: unknown): string | undefined {
  try {
    return canonicalJson(value);
  } catch {
    return undefined;
  }
}

/** The commitment check's problems for these entries, read from a page's bytes, after checking that reading them
 * parsed finds the same. */
function commitmentProblems(entries: unknown[], texts = entries.map((e) => canonicalJson(e))) {
  const bytes = page(texts.map((text, i) => item(i, text, '0'.repeat(64))));
  const fromBytes = new CommitmentChecker();
  fromBytes.addChecked(checkPage(bytes));
  const fromParsed = new CommitmentChecker();
  entries.forEach((e, i) => fromParsed.add(i, e));
  expect(fromBytes.problems).toEqual(fromParsed.problems);
  return fromBytes.problems;
}
