import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compileRecord, compileRelease, WHOLE_LIST_MERGE_FIELDS } from './compile-record';
import type { OcdsRelease } from './ocds-release';

const OCID = 'ocds-mtp001-MTP-2026-000001';

function release(id: string, date: string, fields: Record<string, unknown>): OcdsRelease {
  const base: OcdsRelease = { ocid: OCID, id, date, tag: ['tender'], initiationType: 'tender' };
  return Object.assign(base, fields);
}

describe('compileRelease', () => {
  it('merges objects field by field, recursively, the newer value winning', () => {
    const compiled = compileRelease([
      release('r1', '2026-01-01T00:00:00Z', {
        tender: { id: 't', title: 'Old', tenderPeriod: { startDate: 'a' } },
      }),
      release('r2', '2026-01-02T00:00:00Z', { tender: { id: 't', tenderPeriod: { endDate: 'b' } } }),
      release('r3', '2026-01-03T00:00:00Z', { tender: { id: 't', title: 'New' } }),
    ]);
    expect(compiled.tender).toEqual({
      id: 't',
      title: 'New',
      tenderPeriod: { startDate: 'a', endDate: 'b' },
    });
  });

  it('merges arrays of objects with ids item by item, keeping order and appending new ids', () => {
    const compiled = compileRelease([
      release('r1', '2026-01-01T00:00:00Z', {
        awards: [
          { id: 'a1', status: 'pending', value: { amount: 10, currency: 'RUB' } },
          { id: 'a2', status: 'pending' },
        ],
      }),
      release('r2', '2026-01-02T00:00:00Z', {
        awards: [
          { id: 'a3', status: 'pending' },
          { id: 'a1', status: 'active' },
        ],
      }),
    ]);
    expect(compiled.awards).toEqual([
      { id: 'a1', status: 'active', value: { amount: 10, currency: 'RUB' } },
      { id: 'a2', status: 'pending' },
      { id: 'a3', status: 'pending' },
    ]);
  });

  it('replaces arrays of strings and arrays of objects without ids whole', () => {
    const compiled = compileRelease([
      release('r1', '2026-01-01T00:00:00Z', {
        tender: { id: 't', submissionMethod: ['written', 'inPerson'] },
        parties: [{ name: 'no id' }],
      }),
      release('r2', '2026-01-02T00:00:00Z', {
        tender: { id: 't', submissionMethod: ['electronicSubmission'] },
        parties: [{ name: 'still no id' }],
      }),
    ]);
    expect(compiled.tender?.submissionMethod).toEqual(['electronicSubmission']);
    expect(compiled.parties).toEqual([{ name: 'still no id' }]);
  });

  it('replaces whole-list-merge arrays whole even though their objects have ids', () => {
    const compiled = compileRelease([
      release('r1', '2026-01-01T00:00:00Z', {
        parties: [
          {
            id: 'p',
            additionalIdentifiers: [
              { id: '1', scheme: 'A' },
              { id: '2', scheme: 'B' },
            ],
          },
        ],
      }),
      release('r2', '2026-01-02T00:00:00Z', {
        parties: [{ id: 'p', additionalIdentifiers: [{ id: '3', scheme: 'C' }] }],
      }),
    ]);
    expect(compiled.parties).toEqual([{ id: 'p', additionalIdentifiers: [{ id: '3', scheme: 'C' }] }]);
  });

  it('removes a field set to null, at any depth and inside merged array items', () => {
    const compiled = compileRelease([
      release('r1', '2026-01-01T00:00:00Z', {
        buyer: { id: 'b', name: 'Buyer' },
        tender: { id: 't', title: 'T', description: 'D' },
        awards: [{ id: 'a1', status: 'pending', date: 'x' }],
      }),
      release('r2', '2026-01-02T00:00:00Z', {
        buyer: null,
        tender: { id: 't', description: null },
        awards: [{ id: 'a1', date: null }],
      }),
    ]);
    expect(compiled.buyer).toBeUndefined();
    expect(compiled.tender).toEqual({ id: 't', title: 'T' });
    expect(compiled.awards).toEqual([{ id: 'a1', status: 'pending' }]);
  });

  it('applies releases by date whatever their order, and tags, dates and names the compiled release', () => {
    const compiled = compileRelease([
      release('r2', '2026-01-02T00:00:00Z', { tender: { id: 't', title: 'Newer' } }),
      release('r1', '2026-01-01T00:00:00Z', { tender: { id: 't', title: 'Older' } }),
    ]);
    expect(compiled).toMatchObject({
      ocid: OCID,
      id: `${OCID}-2026-01-02T00:00:00Z`,
      date: '2026-01-02T00:00:00Z',
      tag: ['compiled'],
      tender: { id: 't', title: 'Newer' },
    });
  });

  it('leaves the releases it merges untouched', () => {
    const releases = [
      release('r1', '2026-01-01T00:00:00Z', { awards: [{ id: 'a', status: 'pending' }] }),
      release('r2', '2026-01-02T00:00:00Z', { awards: [{ id: 'a', status: 'active' }] }),
    ];
    const before = JSON.stringify(releases);
    compileRelease(releases);
    expect(JSON.stringify(releases)).toBe(before);
  });

  it('refuses no releases and releases of two processes', () => {
    expect(() => compileRelease([])).toThrow(RangeError);
    expect(() =>
      compileRelease([
        release('r1', '2026-01-01T00:00:00Z', {}),
        { ...release('r2', '2026-01-01T00:00:00Z', {}), ocid: 'ocds-mtp001-other' },
      ]),
    ).toThrow(RangeError);
  });

  it('is idempotent: merging a release twice gives what merging it once gives', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ minLength: 1 }),
        fc.integer(),
        fc.boolean(),
        fc.array(fc.record({ id: fc.constantFrom('1', '2', '3'), v: tie('value') }), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('tender', 'awards', 'x'), json, { maxKeys: 3 }), (fields) => {
        const r = release('r1', '2026-01-01T00:00:00Z', fields);
        expect(compileRelease([r, { ...r, id: 'r2' }])).toEqual(compileRelease([r]));
      }),
    );
  });
});

describe('compileRecord', () => {
  it('links the releases, oldest first, and carries the compiled release', () => {
    const record = compileRecord(
      [
        release('r2', '2026-01-02T00:00:00Z', { tag: ['tenderUpdate'] }),
        release('r1', '2026-01-01T00:00:00Z', {}),
      ],
      { linkOf: (r) => `https://example.org/p#${r.id}` },
    );
    expect(record.ocid).toBe(OCID);
    expect(record.releases).toEqual([
      { url: 'https://example.org/p#r1', date: '2026-01-01T00:00:00Z', tag: ['tender'] },
      { url: 'https://example.org/p#r2', date: '2026-01-02T00:00:00Z', tag: ['tenderUpdate'] },
    ]);
    expect(record.compiledRelease.tag).toEqual(['compiled']);
  });

  it('embeds the releases when no link is asked for', () => {
    const r1 = release('r1', '2026-01-01T00:00:00Z', {});
    expect(compileRecord([r1]).releases).toEqual([r1]);
  });
});

describe('WHOLE_LIST_MERGE_FIELDS', () => {
  it('names every wholeListMerge field of the release schema and the bids extension', () => {
    const dir = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'ocds-1.1');
    const found = new Set<string>();
    const walk = (node: unknown, key?: string): void => {
      if (Array.isArray(node)) node.forEach((child) => walk(child));
      else if (node && typeof node === 'object') {
        const object = node as Record<string, unknown>;
        if (object.wholeListMerge === true && key) found.add(key);
        for (const [k, v] of Object.entries(object)) walk(v, k);
      }
    };
    for (const file of ['release-schema.json', join('extensions', 'bids', 'release-schema.json')]) {
      walk(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    }
    expect([...found].sort()).toEqual([...WHOLE_LIST_MERGE_FIELDS].sort());
  });
});
