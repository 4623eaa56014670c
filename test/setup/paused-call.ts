/**
 * Holds the next call of `target[method]` at its start: `reached` settles when the call begins, and the call
 * goes on (to the original method) only after `resume()`. For tests that let another request run into the
 * middle of one. `restore()` puts the method back (call it in a finally).
 */
export function pauseNextCall<T extends object, K extends keyof T>(
  target: T,
  method: K,
): { reached: Promise<void>; resume: () => void; restore: () => void } {
  let resume!: () => void;
  const paused = new Promise<void>((r) => (resume = r));
  let reach!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  const spy = jest.spyOn(target, method as never).mockImplementationOnce((async (...args: unknown[]) => {
    reach();
    await paused;
    return original(...args);
  }) as never);
  return { reached, resume, restore: () => spy.mockRestore() };
}
