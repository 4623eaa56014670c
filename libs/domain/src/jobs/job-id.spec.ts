import fc from 'fast-check';
import { jobId } from './job-id';
import { JOBS } from './queues';

describe('jobId', () => {
  it('is deterministic and distinct for distinct lists of parts', () => {
    const part = fc.oneof(
      fc.uuid(),
      fc.integer({ min: -1, max: 2 ** 45 }),
      fc.stringMatching(/^[A-Za-z0-9_@-]{1,6}$/),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 4 }), fc.array(part, { maxLength: 4 }), (a, b) => {
        const name = JOBS.purgeExpiredRefreshTokens;
        expect(jobId(name, ...a)).toBe(jobId(name, ...a));
        if (JSON.stringify(a.map(String)) !== JSON.stringify(b.map(String)))
          expect(jobId(name, ...a)).not.toBe(jobId(name, ...b));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses parts BullMQ cannot carry', () => {
    expect(() => jobId(JOBS.purgeExpiredRefreshTokens, 'a:b')).toThrow(/jobId part/);
    expect(() => jobId(JOBS.purgeExpiredRefreshTokens, '')).toThrow(/jobId part/);
    // The separator: 'a.b' would name the job of the parts 'a' and 'b'.
    expect(() => jobId(JOBS.purgeExpiredRefreshTokens, 'a.b')).toThrow(/jobId part/);
    expect(() => jobId(JOBS.purgeExpiredRefreshTokens, 1.5)).toThrow(/jobId part/);
  });
});
