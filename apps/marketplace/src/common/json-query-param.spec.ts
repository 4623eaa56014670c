import { ValidationFailedError } from '@app/domain';
import { jsonArrayOf } from './json-query-param';

class Pair {
  name: string;
  value: string;
}

const parse = (value: unknown) => jsonArrayOf(Pair, 'pairs')({ key: 'pairs', value });

describe('jsonArrayOf', () => {
  it('turns the objects of a JSON array into instances of the class', () => {
    const result = parse('[{"name":"Формат","value":"A4"},{"name":"Листов","value":"500"}]') as Pair[];
    expect(result).toEqual([
      { name: 'Формат', value: 'A4' },
      { name: 'Листов', value: '500' },
    ]);
    expect(result.every((p) => p instanceof Pair)).toBe(true);
  });

  it('leaves elements that are not objects as they are, for nested validation to refuse', () => {
    expect(parse('["A4", null, 3, [1]]')).toEqual(['A4', null, 3, [1]]);
  });

  it('refuses text that is not a JSON array, and a repeated parameter, naming the parameter', () => {
    for (const value of [
      '',
      'Формат=A4',
      '{"name":"Формат","value":"A4"}',
      '[{"name":',
      'null',
      '"[]"',
      ['[]', '[]'],
    ]) {
      expect(() => parse(value)).toThrow(ValidationFailedError);
    }
    expect(() => parse('x')).toThrow(
      expect.objectContaining({
        message: 'pairs: pairs must be a JSON array of pairs',
        details: { fields: [{ field: 'pairs', messages: ['pairs must be a JSON array of pairs'] }] },
      }),
    );
  });
});
