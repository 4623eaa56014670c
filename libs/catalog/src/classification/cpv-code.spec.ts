import fc from 'fast-check';
import { CPV_NAMES_EN } from './cpv-data';
import {
  checkCpvCode,
  cpvAncestorBodies,
  cpvFormulaCheckDigit,
  cpvLevel,
  cpvSignificantPrefix,
  parseCpvCode,
} from './cpv-code';

const published = new Map(Object.keys(CPV_NAMES_EN).map((code) => [code.slice(0, 8), Number(code[9])]));
const lookup = (body: string) => published.get(body);
const body8 = fc.stringMatching(/^\d{8}$/);

describe('cpv-code', () => {
  it('reads NNNNNNNN-N and nothing else', () => {
    expect(parseCpvCode(' 30197630-1 ')).toEqual({ body: '30197630', checkDigit: 1, code: '30197630-1' });
    for (const bad of ['301976301', '30197630-', '3019763-1', '30197630-12', 'ABCDEFGH-1', '３0197630-1']) {
      expect(parseCpvCode(bad)).toBeNull();
    }
  });

  it('computes the check digit of published codes with the 3-7-1 weights', () => {
    expect(cpvFormulaCheckDigit('30197630')).toBe(1);
    expect(cpvFormulaCheckDigit('03111000')).toBe(2);
    expect(cpvFormulaCheckDigit('71355200')).toBe(3);
  });

  it('matches every published code except the 532 left irregular by the 2008 revision and the catch-all', () => {
    const irregular = [...published].filter(([body, digit]) => cpvFormulaCheckDigit(body) !== digit);
    // 532 renumbered codes plus the non-standard catch-all 99999999-9.
    expect(irregular).toHaveLength(533);
    expect(irregular.map(([body]) => body)).toContain('99999999');
  });

  it('detects every single-digit substitution (the weights are coprime to 10)', () => {
    fc.assert(
      fc.property(body8, fc.nat({ max: 7 }), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const changed = body
          .split('')
          .map((d, i) => (i === position ? String((Number(d) + delta) % 10) : d))
          .join('');
        expect(cpvFormulaCheckDigit(changed)).not.toBe(cpvFormulaCheckDigit(body));
      }),
    );
  });

  it('accepts exactly the published codes', () => {
    for (const code of ['30197630-1', '03300000-2', '99999999-9', '45000000-7']) {
      expect(checkCpvCode(code, lookup)).toEqual({ ok: true, code, body: code.slice(0, 8) });
    }
  });

  it('tells a wrong check digit from an unknown code and a malformed one', () => {
    expect(checkCpvCode('30197630-2', lookup)).toEqual({ ok: false, problem: 'BAD_CHECK_DIGIT' });
    // Not published; its digit follows the rule, so the code itself is unknown.
    expect(checkCpvCode(`30197639-${cpvFormulaCheckDigit('30197639')}`, lookup)).toEqual({
      ok: false,
      problem: 'UNKNOWN',
    });
    expect(checkCpvCode(`30197639-${(cpvFormulaCheckDigit('30197639') + 1) % 10}`, lookup)).toEqual({
      ok: false,
      problem: 'BAD_CHECK_DIGIT',
    });
    expect(checkCpvCode('3019763', lookup)).toEqual({ ok: false, problem: 'BAD_FORMAT' });
    expect(checkCpvCode(42, lookup)).toEqual({ ok: false, problem: 'BAD_FORMAT' });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        expect(() => checkCpvCode(input, lookup)).not.toThrow();
      }),
    );
  });

  it('derives levels and ancestors from the significant digits', () => {
    expect(cpvSignificantPrefix('30000000')).toBe('30');
    expect(cpvLevel('30000000')).toBe(1);
    expect(cpvLevel('30100000')).toBe(2);
    expect(cpvLevel('30190000')).toBe(3);
    expect(cpvLevel('30197000')).toBe(4);
    expect(cpvLevel('30197630')).toBe(6);
    expect(cpvAncestorBodies('30197630')).toEqual([
      '30197600',
      '30197000',
      '30190000',
      '30100000',
      '30000000',
    ]);
    expect(cpvAncestorBodies('03000000')).toEqual([]);
    expect(cpvAncestorBodies('03310000')).toEqual(['03300000', '03000000']);
  });

  it('finds a published ancestor for every published code but the divisions and the catch-all', () => {
    const orphans = [...published.keys()].filter(
      (body) => cpvLevel(body) > 1 && !cpvAncestorBodies(body).some((a) => published.has(a)),
    );
    expect(orphans).toEqual(['99999999']);
  });
});
