import { ClosingsFirst } from './closings-first';

describe('ClosingsFirst', () => {
  it('never waits when no closing is due', () => {
    const gate = new ClosingsFirst(5000);
    expect([0, 1000, 10_000].map((t) => gate.shouldWait(false, t))).toEqual([false, false, false]);
  });

  it('waits while closings are due, up to the longest wait, then lets one tick through', () => {
    const gate = new ClosingsFirst(5000);
    expect(gate.shouldWait(true, 1000)).toBe(true);
    expect(gate.shouldWait(true, 5999)).toBe(true);
    expect(gate.shouldWait(true, 6000)).toBe(false);
    // A new stretch starts after the tick that went through.
    expect(gate.shouldWait(true, 6200)).toBe(true);
    expect(gate.shouldWait(true, 11_199)).toBe(true);
    expect(gate.shouldWait(true, 11_200)).toBe(false);
  });

  it('starts a fresh stretch once nothing is due any more', () => {
    const gate = new ClosingsFirst(5000);
    expect(gate.shouldWait(true, 0)).toBe(true);
    expect(gate.shouldWait(true, 4000)).toBe(true);
    expect(gate.shouldWait(false, 4500)).toBe(false);
    expect(gate.shouldWait(true, 8000)).toBe(true);
    expect(gate.shouldWait(true, 12_999)).toBe(true);
    expect(gate.shouldWait(true, 13_000)).toBe(false);
  });
});
