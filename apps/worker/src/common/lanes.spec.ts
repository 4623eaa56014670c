import { Lanes } from './lanes';

/** A task that stays running until released by hand. */
function gate<T>(value: T) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { task: () => opened.then(() => value), open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Lanes', () => {
  it('runs at most `count` tasks at once, the others in the order they came', async () => {
    const lanes = new Lanes(2);
    const started: string[] = [];
    const gates = ['a', 'b', 'c', 'd'].map((name) => ({ name, ...gate(name) }));
    const results = gates.map((g) =>
      lanes.run(() => {
        started.push(g.name);
        return g.task();
      }),
    );
    await settle();
    expect(started).toEqual(['a', 'b']);
    expect(lanes.inUse).toBe(2);

    gates[1]!.open();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(lanes.inUse).toBe(2);

    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(lanes.inUse).toBe(0);
  });

  it('frees the lane of a task that fails, and passes the failure on', async () => {
    const lanes = new Lanes(1);
    const failing = lanes.run(() => Promise.reject(new Error('boom')));
    const next = lanes.run(() => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(lanes.inUse).toBe(0);
  });

  it('gives a freed lane to a waiting task, not to a newcomer that asks the moment it is freed', async () => {
    const lanes = new Lanes(1);
    const order: string[] = [];
    const first = gate('first');
    let finished!: Promise<string>;
    const running = lanes.run(() => {
      order.push('first');
      finished = first.task();
      return finished;
    });
    const waiter = lanes.run(async () => {
      order.push('waiter');
    });
    // Asks right after the lane is freed (this callback runs after the one that frees it), before the waiter
    // has resumed: the lane must already be the waiter's, or both would run at once.
    let newcomer!: Promise<void>;
    const asked = finished.then(() => {
      newcomer = lanes.run(async () => {
        order.push('newcomer');
        expect(lanes.inUse).toBe(1);
      });
    });
    first.open();
    await Promise.all([running, asked]);
    await Promise.all([waiter, newcomer]);
    expect(order).toEqual(['first', 'waiter', 'newcomer']);
    expect(lanes.inUse).toBe(0);
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => new Lanes(0)).toThrow(RangeError);
    expect(() => new Lanes(1.5)).toThrow(RangeError);
  });
});
