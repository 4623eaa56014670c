import { OcdsExportDayError } from './ocds.errors';
import { dayEnd, previousUtcDay } from './ocds-export.service';

describe('OCDS export days', () => {
  it('ends a UTC day at the next midnight UTC', () => {
    expect(dayEnd('2026-02-28').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(dayEnd('2028-02-29').toISOString()).toBe('2028-03-01T00:00:00.000Z');
  });

  it('refuses anything but a real YYYY-MM-DD date', () => {
    for (const day of [
      '2026-02-30',
      '2026-2-1',
      '20260201',
      '',
      '2026-02-01T00:00:00Z',
      "2026-01-01' OR 1=1",
    ]) {
      expect(() => dayEnd(day)).toThrow(OcdsExportDayError);
    }
  });

  it('exports, shortly after midnight, the day that just ended', () => {
    expect(previousUtcDay(new Date('2026-03-01T00:20:00.000Z'))).toBe('2026-02-28');
    expect(previousUtcDay(new Date('2026-01-01T00:20:00.000Z'))).toBe('2025-12-31');
  });
});
