import { orderedUuids } from './ordered-uuids';

describe('orderedUuids', () => {
  it('makes version 7 UUIDs in increasing order, past 4,096 in one millisecond too', () => {
    const ids = orderedUuids(10_000);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // PostgreSQL orders uuids by their bytes, as the hex text sorts.
    expect([...ids].sort()).toEqual(ids);
  });
});
