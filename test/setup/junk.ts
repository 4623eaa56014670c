import fc from 'fast-check';

/**
 * Arbitrary JSON values of every type, nested a little, with `strings` (values known to trouble parsers or SQL)
 * among the random ones: what bad-input tests fill fields with.
 */
export function junkWith(strings: string[], maxKeys = 4): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.constantFrom(...strings),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys }),
    ),
  })).value;
}
