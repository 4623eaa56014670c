import type { JobName } from './queues';

/**
 * A deterministic job id: the same work always gets the same id, so enqueueing it twice is a no-op, and different
 * work different ids. BullMQ forbids ':' in custom ids, so parts are joined with '.', which no part may hold
 * (parts 'a.b' and 'a', 'b' would otherwise name the same job).
 */
export function jobId(name: JobName, ...parts: (string | number)[]): string {
  for (const part of parts) {
    const text = String(part);
    if (text === '' || !/^[A-Za-z0-9_@-]+$/.test(text)) {
      throw new Error(
        `jobId part ${JSON.stringify(text)} must be non-empty letters, digits, '_', '@' or '-'`,
      );
    }
  }
  return [name, ...parts.map(String)].join('.');
}
