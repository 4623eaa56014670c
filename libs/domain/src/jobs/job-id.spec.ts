import fc from 'fast-check';
import { jobId } from './job-id';
import { JOBS } from './queues';

describe('jobId', () => {
  it('is deterministic and distinct for distinct parts', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const name = JOBS.purgeExpiredRefreshTokens;
        expect(jobId(name, a)).toBe(jobId(name, a));
        if (a !== b) expect(jobId(name, a)).not.toBe(jobId(name, b));
      }),
    );
  });

  it('refuses parts BullMQ cannot carry', () => {
    expect(() => jobId(JOBS.purgeExpiredRefreshTokens, 'a:b')).toThrow(/jobId part/);
    expect(() => jobId(JOBS.purgeExpiredRefreshTokens, '')).toThrow(/jobId part/);
  });
});
