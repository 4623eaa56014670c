import fc from 'fast-check';
import { diffFields, sameValue } from './item-changes';

describe('item changes', () => {
  it('records only the fields whose values change, with before and after', () => {
    const before = { titleRu: 'Бумага', unitCode: 'XPK', characteristics: [{ name: 'Формат', value: 'A4' }] };
    expect(
      diffFields(before, {
        titleRu: 'Бумага офисная',
        unitCode: 'XPK',
        characteristics: [{ name: 'Формат', value: 'A4' }],
      }),
    ).toEqual({ titleRu: { from: 'Бумага', to: 'Бумага офисная' } });
  });

  it('treats null as a value and undefined as absent', () => {
    const before = { titleEn: 'Paper' as string | null, descriptionEn: 'x' as string | null };
    expect(diffFields(before, { titleEn: null, descriptionEn: undefined })).toEqual({
      titleEn: { from: 'Paper', to: null },
    });
  });

  it('sees no change when a patch repeats every current value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        expect(diffFields(record, structuredClone(record))).toEqual({});
      }),
    );
  });

  it('compares nested values structurally', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
  });
});
