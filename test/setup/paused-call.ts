/**
 * Holds the next call of `target[method]` at its start: `reached` settles when the call begins, and the call
 * goes on (to the original method) only after `resume()`. For tests that let another request run into the
 * middle of one. `restore()` puts the method back (call it in a finally).
 */
export function pauseNextCall(
  target: object,
  method: string,
): { reached: Promise<void>; resume: () => void; restore: () => void } {
  const methods = target as Record<string, (...args: unknown[]) => unknown>;
  let resume!: () => void;
  const paused = new Promise<void>((r) => (resume = r));
  let reach!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const original = methods[method]!.bind(target);
  const spy = jest.spyOn(methods, method).mockImplementationOnce(async (...args: unknown[]) => {
    reach();
    await paused;
    return original(...args);
  });
  return { reached, resume, restore: () => spy.mockRestore() };
}
