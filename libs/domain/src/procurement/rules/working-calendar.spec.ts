import fc from 'fast-check';
import {
  addWorkingDays,
  builtInCalendarYear,
  calendarYearProblems,
  hasHolidayData,
  isWorkingDay,
  reliableWorkingDays,
  supportedCalendarCountries,
  UNKNOWN_YEAR_HOLIDAY_MARGIN,
  workingDaysBetween,
} from './working-calendar';

const countries = ['RU', 'KZ', 'BY', 'UZ'];
const dates2025to2027 = fc
  .integer({ min: Date.UTC(2024, 11, 1) / 86_400_000, max: Date.UTC(2027, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Orthodox Easter (Meeus' Julian algorithm, shifted 13 days to the Gregorian calendar, valid 1900-2099). */
function orthodoxEaster(year: number): Date {
  const d = (19 * (year % 19) + 15) % 30;
  const e = (2 * (year % 4) + 4 * (year % 7) - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day + 13));
}

describe('isWorkingDay', () => {
  it('knows the Russian New Year holidays and moved days off', () => {
    expect(isWorkingDay('RU', '2026-01-05')).toBe(false);
    expect(isWorkingDay('RU', '2026-01-09')).toBe(false); // moved from Saturday Jan 3
    expect(isWorkingDay('RU', '2026-01-12')).toBe(true);
    expect(isWorkingDay('RU', '2026-03-09')).toBe(false); // Mar 8 fell on a Sunday
    expect(isWorkingDay('RU', '2026-05-11')).toBe(false); // May 9 fell on a Saturday
    expect(isWorkingDay('RU', '2026-12-31')).toBe(false); // moved from Sunday Jan 4
    expect(isWorkingDay('RU', '2025-05-08')).toBe(false); // moved from Sunday Feb 23
    expect(isWorkingDay('RU', '2025-02-24')).toBe(true);
  });

  it('treats a decreed working Saturday as a working day', () => {
    expect(isWorkingDay('RU', '2025-11-01')).toBe(true);
    expect(isWorkingDay('RU', '2025-11-03')).toBe(false);
    expect(isWorkingDay('KZ', '2025-01-05')).toBe(true); // a working Sunday
    expect(isWorkingDay('BY', '2026-04-25')).toBe(true);
  });

  it('says a normal Tuesday is a working day and a weekend is not', () => {
    expect(isWorkingDay('RU', '2026-03-17')).toBe(true);
    expect(isWorkingDay('RU', '2026-03-21')).toBe(false);
    expect(isWorkingDay('RU', '2026-03-22')).toBe(false);
  });

  it('knows Kazakhstan and Belarus holidays', () => {
    expect(isWorkingDay('KZ', '2026-03-23')).toBe(false); // Nauryz
    expect(isWorkingDay('KZ', '2026-03-25')).toBe(false); // Nauryz day moved from Sunday Mar 22
    expect(isWorkingDay('KZ', '2026-05-27')).toBe(false); // Kurban Ait
    expect(isWorkingDay('KZ', '2026-08-31')).toBe(true); // Aug 30 is no longer Constitution Day
    expect(isWorkingDay('kz', '2026-01-07')).toBe(false);
    expect(isWorkingDay('BY', '2026-01-07')).toBe(false);
    expect(isWorkingDay('BY', '2026-04-20')).toBe(false);
    expect(isWorkingDay('BY', '2026-03-09')).toBe(true); // Belarus does not move a holiday off a Sunday
  });

  it('counts weekends only for a country without a calendar', () => {
    expect(isWorkingDay('UZ', '2026-01-01')).toBe(true);
    expect(isWorkingDay('UZ', '2026-01-03')).toBe(false);
    expect(isWorkingDay('RU', '2031-01-01')).toBe(true);
  });

  it('refuses a date that is not YYYY-MM-DD on the calendar', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-5', '2026-01-05T00:00:00Z', '', '05.01.2026']) {
      expect(() => isWorkingDay('RU', bad)).toThrow(RangeError);
    }
  });
});

describe('calendar data', () => {
  it('lists days off on weekdays only and working days on weekends only, in 2025-2027', () => {
    // workingDaysBetween trusts the lists to flip the weekday rule; a day off listed on a Sunday would make it
    // disagree with a day-by-day count.
    for (const country of supportedCalendarCountries()) {
      for (const year of [2025, 2026, 2027]) {
        expect(hasHolidayData(country, year)).toBe(true);
        let count = 0;
        for (let day = Date.UTC(year, 0, 1); day <= Date.UTC(year, 11, 31); day += 86_400_000) {
          if (isWorkingDay(country, new Date(day).toISOString().slice(0, 10))) count += 1;
        }
        expect(workingDaysBetween(country, `${year - 1}-12-31`, `${year}-12-31`)).toBe(count);
      }
    }
  });

  it('puts Radunitsa on the ninth day after Orthodox Easter', () => {
    for (const year of [2025, 2026, 2027]) {
      const radunitsa = new Date(orthodoxEaster(year).getTime() + 9 * 86_400_000).toISOString().slice(0, 10);
      expect(weekday(radunitsa)).toBe(2);
      expect(isWorkingDay('BY', radunitsa)).toBe(false);
    }
    expect(orthodoxEaster(2026).toISOString().slice(0, 10)).toBe('2026-04-12');
  });

  it('has the expected number of working days in a year', () => {
    // 247 working days in Russia in 2025 and in 2026, as the published production calendars count them
    expect(workingDaysBetween('RU', '2024-12-31', '2025-12-31')).toBe(247);
    expect(workingDaysBetween('RU', '2025-12-31', '2026-12-31')).toBe(247);
    expect(workingDaysBetween('RU', '2025-12-31', '2026-03-31')).toBe(55); // first quarter of 2026
  });
});

describe('supportedCalendarCountries', () => {
  it('lists the countries with holiday data', () => {
    expect([...supportedCalendarCountries()].sort()).toEqual(['BY', 'KZ', 'RU']);
  });
});

describe('hasHolidayData', () => {
  it('is false outside the covered years and countries', () => {
    expect(hasHolidayData('ru', 2026)).toBe(true);
    expect(hasHolidayData('RU', 2028)).toBe(false);
    expect(hasHolidayData('UZ', 2026)).toBe(false);
    expect(hasHolidayData('__proto__', 2026)).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('skips the Russian New Year block', () => {
    expect(addWorkingDays('RU', '2025-12-30', 1)).toBe('2026-01-12');
    expect(addWorkingDays('RU', '2025-12-29', 5)).toBe('2026-01-15');
  });

  it('skips Nauryz in Kazakhstan and uses a working Saturday in Russia', () => {
    expect(addWorkingDays('KZ', '2026-03-20', 1)).toBe('2026-03-26');
    expect(addWorkingDays('RU', '2025-10-31', 1)).toBe('2025-11-01');
    expect(addWorkingDays('RU', '2025-11-01', 1)).toBe('2025-11-05');
  });

  it('returns the start itself for zero days and refuses bad counts', () => {
    expect(addWorkingDays('RU', '2026-01-03', 0)).toBe('2026-01-03');
    for (const bad of [-1, 1.5, Number.NaN, 10_001])
      expect(() => addWorkingDays('RU', '2026-01-03', bad)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts days strictly after from up to and including to', () => {
    expect(workingDaysBetween('RU', '2026-03-16', '2026-03-20')).toBe(4);
    expect(workingDaysBetween('RU', '2026-03-16', '2026-03-16')).toBe(0);
    expect(workingDaysBetween('RU', '2026-03-20', '2026-03-16')).toBe(0);
    expect(workingDaysBetween('RU', '2025-12-31', '2026-01-11')).toBe(0);
    expect(workingDaysBetween('UZ', '2026-01-01', '2026-01-31')).toBe(21);
  });

  it('undoes addWorkingDays for every start and 0..60 days', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...countries),
        dates2025to2027,
        fc.integer({ min: 0, max: 60 }),
        (country, from, n) => {
          const to = addWorkingDays(country, from, n);
          expect(workingDaysBetween(country, from, to)).toBe(n);
          if (n > 0) expect(isWorkingDay(country, to)).toBe(true);
        },
      ),
    );
  });

  it('agrees with counting day by day', () => {
    fc.assert(
      fc.property(fc.constantFrom(...countries), dates2025to2027, dates2025to2027, (country, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        let count = 0;
        for (let day = Date.parse(from) + 86_400_000; day <= Date.parse(to); day += 86_400_000) {
          if (isWorkingDay(country, new Date(day).toISOString().slice(0, 10))) count += 1;
        }
        expect(workingDaysBetween(country, from, to)).toBe(count);
      }),
      { numRuns: 50 },
    );
  });
});

describe('calendars set by an operator', () => {
  // Armenia 2027 (no built-in calendar): Jan 1-2, Jan 6 and Mar 8 off, as a decree might give them.
  const am2027 = { year: 2027, daysOff: ['2027-01-01', '2027-01-06', '2027-03-08'], workingWeekendDays: [] };

  it('gives a country without a built-in calendar its holidays', () => {
    expect(hasHolidayData('AM', 2027)).toBe(false);
    expect(hasHolidayData('AM', 2027, [am2027])).toBe(true);
    expect(isWorkingDay('AM', '2027-01-06')).toBe(true);
    expect(isWorkingDay('AM', '2027-01-06', [am2027])).toBe(false);
    // Thu 31 Dec 2026 to Fri 8 Jan 2027: six weekdays, two of them days off.
    expect(workingDaysBetween('AM', '2026-12-31', '2027-01-08')).toBe(6);
    expect(workingDaysBetween('AM', '2026-12-31', '2027-01-08', [am2027])).toBe(4);
    expect(addWorkingDays('AM', '2026-12-31', 4, [am2027])).toBe('2027-01-08');
  });

  it('replaces the built-in year it names, and only that year', () => {
    const builtIn = builtInCalendarYear('RU', 2027)!;
    expect(builtIn.daysOff).toContain('2027-01-04');
    // The 2027 decree as published: Friday 31 December becomes a day off, Saturday 13 November a working day.
    const decree = {
      year: 2027,
      daysOff: [...builtIn.daysOff, '2027-12-31'],
      workingWeekendDays: ['2027-11-13'],
    };
    expect(isWorkingDay('RU', '2027-12-31')).toBe(true);
    expect(isWorkingDay('RU', '2027-12-31', [decree])).toBe(false);
    expect(isWorkingDay('RU', '2027-11-13', [decree])).toBe(true);
    // Without the built-in days off in it, the operator's year alone counts: 4 January is a working day.
    expect(isWorkingDay('RU', '2027-01-04', [{ year: 2027, daysOff: [], workingWeekendDays: [] }])).toBe(
      true,
    );
    // Other years keep the built-in calendar.
    expect(isWorkingDay('RU', '2026-01-05', [decree])).toBe(false);
  });

  it('takes only dates of its year, each once, days off on weekdays and working days on weekends', () => {
    expect(calendarYearProblems(am2027)).toEqual([]);
    expect(
      calendarYearProblems({
        year: 2027,
        daysOff: ['2026-12-31', '2027-01-02', '2027-02-30', '2027-03-08', '2027-03-08', 'soon'],
        workingWeekendDays: ['2027-11-12'],
      }),
    ).toEqual([
      { field: 'daysOff[0]', message: 'must be a date of 2027 (YYYY-MM-DD)' },
      { field: 'daysOff[1]', message: 'must be Monday to Friday' },
      { field: 'daysOff[2]', message: 'must be a date of 2027 (YYYY-MM-DD)' },
      { field: 'daysOff[4]', message: 'is listed twice' },
      { field: 'daysOff[5]', message: 'must be a date of 2027 (YYYY-MM-DD)' },
      { field: 'workingWeekendDays[0]', message: 'must be a Saturday or Sunday' },
    ]);
  });
});

describe('reliableWorkingDays', () => {
  it('takes the most a year of holidays could take off the weekdays of a kept calendar year not loaded', () => {
    // 2027-12-31 (Fri) to 2028-01-11 (Tue): 7 weekdays, but 1-8 January are Russian holidays every year.
    expect(workingDaysBetween('RU', '2027-12-31', '2028-01-11')).toBe(7);
    expect(reliableWorkingDays('RU', '2027-12-31', '2028-01-11')).toEqual({
      days: 0,
      yearsWithoutData: [2028],
    });
    // Long enough that no holidays could bring it below the minimum.
    expect(reliableWorkingDays('RU', '2027-12-20', '2028-02-01').days).toBe(
      workingDaysBetween('RU', '2027-12-20', '2028-02-01') - UNKNOWN_YEAR_HOLIDAY_MARGIN,
    );
  });

  it('counts a year an operator loaded, and a country without any calendar, as they are', () => {
    const loaded = { year: 2028, daysOff: ['2028-01-03', '2028-01-04'], workingWeekendDays: [] };
    expect(reliableWorkingDays('RU', '2027-12-31', '2028-01-11', [loaded])).toEqual({
      days: 5,
      yearsWithoutData: [],
    });
    expect(reliableWorkingDays('RU', '2026-03-01', '2026-03-20')).toEqual({
      days: workingDaysBetween('RU', '2026-03-01', '2026-03-20'),
      yearsWithoutData: [],
    });
    expect(reliableWorkingDays('AM', '2027-12-31', '2028-01-11')).toEqual({ days: 7, yearsWithoutData: [] });
  });
});
