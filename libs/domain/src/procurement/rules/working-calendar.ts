/**
 * Working days per country, for minimum durations stated in working days. A working day is Monday to Friday,
 * unless the country's calendar lists it as a day off (public holidays, days off moved by decree), plus the
 * Saturdays and Sundays that a transfer decree makes working days.
 *
 * The calendars below are built in. An operator sets any other country's or year's calendar, or corrects a built-in
 * one, through the API (working_calendar_years): such a year replaces the built-in year (CalendarYear, passed to
 * the functions below). A country and year known to neither count weekends only: a duration there can come out
 * shorter than the law means, so check hasHolidayData() before relying on it.
 */

export type CalendarCountry = 'RU' | 'KZ' | 'BY';

interface YearCalendar {
  /** Monday-to-Friday dates (MM-DD) that are not working days */
  daysOff: readonly string[];
  /** Saturdays and Sundays (MM-DD) that are working days */
  workingWeekendDays: readonly string[];
}

// prettier-ignore
const CALENDARS: Record<CalendarCountry, Record<number, YearCalendar>> = {
  // Russia: Labour Code art. 112 (holidays Jan 1-8, Feb 23, Mar 8, May 1, May 9, Jun 12, Nov 4; a holiday on a
  // weekend moves the day off to the next working day, except Jan 1-8) and the yearly government decrees.
  RU: {
    // Government decree No. 1335 of 4 October 2024 "On moving days off in 2025": Jan 4 -> May 2, Jan 5 ->
    // Dec 31, Feb 23 -> May 8, Mar 8 -> Jun 13, Saturday Nov 1 (a working day) -> Nov 3.
    2025: {
      daysOff: [
        '01-01', '01-02', '01-03', '01-06', '01-07', '01-08', '05-01', '05-02', '05-08', '05-09', '06-12', '06-13',
        '11-03', '11-04', '12-31',
      ],
      workingWeekendDays: ['11-01'],
    },
    // Government decree No. 1466 of 24 September 2025 "On moving days off in 2026": Jan 3 -> Jan 9, Jan 4 ->
    // Dec 31; by art. 112, Mar 8 (Sunday) -> Mar 9 and May 9 (Saturday) -> May 11.
    2026: {
      daysOff: [
        '01-01', '01-02', '01-05', '01-06', '01-07', '01-08', '01-09', '02-23', '03-09', '05-01', '05-11', '06-12',
        '11-04', '12-31',
      ],
      workingWeekendDays: [],
    },
    // No decree for 2027 was found by November 2026: statutory holidays and the art. 112 moves only (May 1 ->
    // May 3, May 9 -> May 10, Jun 12 -> Jun 14). The decree's own moves (Jan 2-3, a possible Dec 31 day off,
    // a drafted Nov 5 day off against Saturday Nov 13) are missing until it is published.
    2027: {
      daysOff: [
        '01-01', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-03', '05-10', '06-14', '11-04',
      ],
      workingWeekendDays: [],
    },
  },
  // Kazakhstan: Law "On holidays" (Jan 1-2, Mar 8, Mar 21-23 Nauryz, May 1, May 7, May 9, Jul 6, Constitution
  // Day, Oct 25, Dec 16; a holiday on a weekend gives the next working day off) and Labour Code art. 84
  // (Orthodox Christmas Jan 7 and the first day of Kurban Ait are days off, never moved).
  KZ: {
    // Calendar published on egov.kz; Order of the Minister of Labour No. 436 of 21 November 2024 moves
    // Sunday Jan 5 (a working day) -> Friday Jan 3. Kurban Ait Jun 6 (Spiritual Administration of Muslims).
    2025: {
      daysOff: [
        '01-01', '01-02', '01-03', '01-07', '03-10', '03-21', '03-24', '03-25', '05-01', '05-07', '05-09', '06-06',
        '07-07', '09-01', '10-27', '12-16',
      ],
      workingWeekendDays: ['01-05'],
    },
    // Calendar published on egov.kz; Kurban Ait May 27. The Constitution adopted by the referendum of 15 March
    // 2026 makes Constitution Day Mar 15 from 2027, so Aug 30 (and its moved day off, Aug 31) is no longer one
    // (Ministry of Labour, March 2026).
    2026: {
      daysOff: [
        '01-01', '01-02', '01-07', '03-09', '03-23', '03-24', '03-25', '05-01', '05-07', '05-11', '05-27', '07-06',
        '10-26', '12-16',
      ],
      workingWeekendDays: [],
    },
    // Statutory only, no published 2027 calendar found: Jan 2 -> Jan 4, Mar 21 -> Mar 24, May 1 -> May 3,
    // May 9 -> May 10, Constitution Day Mar 15. Kurban Ait 2027 is not announced yet (about May 16-17), and
    // any government transfers are missing.
    2027: {
      daysOff: [
        '01-01', '01-04', '01-07', '03-08', '03-15', '03-22', '03-23', '03-24', '05-03', '05-07', '05-10', '07-06',
        '10-25', '12-16',
      ],
      workingWeekendDays: [],
    },
  },
  // Belarus: Labour Code art. 147 (Jan 1-2, Jan 7, Mar 8, Radunitsa on the 9th day after Orthodox Easter, May 1,
  // May 9, Jul 3, Nov 7, Dec 25; a holiday on a weekend is not moved) and yearly Council of Ministers
  // resolutions that move working days to Saturdays.
  BY: {
    // Resolution No. 839 of 14 November 2024: Jan 6 -> Sat Jan 11, Apr 28 -> Sat Apr 26, Jul 4 -> Sat Jul 12,
    // Dec 26 -> Sat Dec 20. Radunitsa Apr 29.
    2025: {
      daysOff: [
        '01-01', '01-02', '01-06', '01-07', '04-28', '04-29', '05-01', '05-09', '07-03', '07-04', '11-07', '12-25',
        '12-26',
      ],
      workingWeekendDays: ['01-11', '04-26', '07-12', '12-20'],
    },
    // Resolution No. 397 of 22 July 2025: Apr 20 -> Sat Apr 25. Radunitsa Apr 21.
    2026: {
      daysOff: ['01-01', '01-02', '01-07', '04-20', '04-21', '05-01', '07-03', '12-25'],
      workingWeekendDays: ['04-25'],
    },
    // Statutory only (Radunitsa May 11): the 2027 transfer resolution was not found.
    2027: {
      daysOff: ['01-01', '01-07', '03-08', '05-11'],
      workingWeekendDays: [],
    },
  },
};

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A bound on how far addWorkingDays walks, so a wrong input fails instead of spinning.
const MAX_WORKING_DAYS = 10_000;

interface CountryDays {
  off: Set<number>;
  on: Set<number>;
}

/** A year's calendar as an operator sets it: dates (YYYY-MM-DD) of that year. */
export interface CalendarYear {
  year: number;
  /** Monday-to-Friday dates that are not working days */
  daysOff: readonly string[];
  /** Saturdays and Sundays that are working days */
  workingWeekendDays: readonly string[];
}

/** The built-in calendar of a country's year, as dates, or undefined. */
export function builtInCalendarYear(country: string, year: number): CalendarYear | undefined {
  const code = country.toUpperCase();
  const calendar = Object.hasOwn(CALENDARS, code) ? CALENDARS[code as CalendarCountry][year] : undefined;
  if (!calendar) return undefined;
  const date = (monthDay: string) => `${String(year).padStart(4, '0')}-${monthDay}`;
  return {
    year,
    daysOff: calendar.daysOff.map(date),
    workingWeekendDays: calendar.workingWeekendDays.map(date),
  };
}

/**
 * Why a year's calendar cannot be taken, by field, or an empty list: every date of that year, each once, days off
 * on Monday to Friday, working days on Saturday or Sunday.
 */
export function calendarYearProblems(calendar: CalendarYear): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  const check = (field: 'daysOff' | 'workingWeekendDays', weekend: boolean) => {
    calendar[field].forEach((date, i) => {
      const day = ISO_DATE.test(date) ? toDayOrNull(date) : null;
      const at = `${field}[${i}]`;
      if (day === null || Number(date.slice(0, 4)) !== calendar.year) {
        problems.push({ field: at, message: `must be a date of ${calendar.year} (YYYY-MM-DD)` });
      } else if (isWeekend(day) !== weekend) {
        problems.push({
          field: at,
          message: weekend ? 'must be a Saturday or Sunday' : 'must be Monday to Friday',
        });
      } else if (seen.has(date)) {
        problems.push({ field: at, message: 'is listed twice' });
      }
      seen.add(date);
    });
  };
  check('daysOff', false);
  check('workingWeekendDays', true);
  return problems;
}

function toDayOrNull(date: string): number | null {
  try {
    return toDay(date);
  } catch {
    return null;
  }
}

function daysOf(calendars: Iterable<CalendarYear>): CountryDays {
  const off = new Set<number>();
  const on = new Set<number>();
  for (const calendar of calendars) {
    for (const date of calendar.daysOff) off.add(toDay(date));
    for (const date of calendar.workingWeekendDays) on.add(toDay(date));
  }
  return { off, on };
}

const DAYS = new Map<string, CountryDays>(
  Object.entries(CALENDARS).map(([country, years]) => [
    country,
    daysOf(Object.keys(years).map((year) => builtInCalendarYear(country, Number(year))!)),
  ]),
);

/** The country's days: the built-in years, each replaced by the operator's calendar of that year if given. */
function calendarOf(country: string, operatorYears: readonly CalendarYear[]): CountryDays | undefined {
  const code = country.toUpperCase();
  if (operatorYears.length === 0) return DAYS.get(code);
  const byYear = new Map<number, CalendarYear>();
  for (const year of Object.keys(Object.hasOwn(CALENDARS, code) ? CALENDARS[code as CalendarCountry] : {})) {
    byYear.set(Number(year), builtInCalendarYear(code, Number(year))!);
  }
  for (const calendar of operatorYears) byYear.set(calendar.year, calendar);
  return daysOf(byYear.values());
}

export function supportedCalendarCountries(): string[] {
  return Object.keys(CALENDARS);
}

/** Whether holidays are known for that country and year (otherwise only weekends count). */
export function hasHolidayData(
  country: string,
  year: number,
  operatorYears: readonly CalendarYear[] = [],
): boolean {
  return (
    operatorYears.some((calendar) => calendar.year === year) ||
    builtInCalendarYear(country, year) !== undefined
  );
}

export function isWorkingDay(
  country: string,
  date: string,
  operatorYears: readonly CalendarYear[] = [],
): boolean {
  return isWorking(calendarOf(country, operatorYears), toDay(date));
}

/** The date `days` working days after `from`; 0 returns `from` itself, working or not. */
export function addWorkingDays(
  country: string,
  from: string,
  days: number,
  operatorYears: readonly CalendarYear[] = [],
): string {
  if (!Number.isSafeInteger(days) || days < 0 || days > MAX_WORKING_DAYS) {
    throw new RangeError(`working days must be an integer 0..${MAX_WORKING_DAYS}: ${days}`);
  }
  const calendar = calendarOf(country, operatorYears);
  let day = toDay(from);
  for (let left = days; left > 0;) {
    day += 1;
    if (isWorking(calendar, day)) left -= 1;
  }
  return fromDay(day);
}

/** Working days strictly after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function workingDaysBetween(
  country: string,
  from: string,
  to: string,
  operatorYears: readonly CalendarYear[] = [],
): number {
  const start = toDay(from);
  const end = toDay(to);
  if (end <= start) return 0;
  // Counted arithmetically rather than day by day: weekdays in the range, less the listed days off in it,
  // plus the listed working weekend days in it.
  const calendar = calendarOf(country, operatorYears);
  const inRange = (day: number) => day > start && day <= end;
  const fullWeeks = Math.floor((end - start) / 7);
  let count = fullWeeks * 5;
  for (let day = start + fullWeeks * 7 + 1; day <= end; day += 1) if (!isWeekend(day)) count += 1;
  for (const day of calendar?.off ?? []) if (inRange(day)) count -= 1;
  for (const day of calendar?.on ?? []) if (inRange(day)) count += 1;
  return count;
}

/**
 * Weekdays a year's statutory holidays may take in a row where the platform keeps the country's calendar but not
 * that year's (Russia's New Year holidays, 1-8 January, are up to six weekdays; with a transferred day, more).
 */
export const UNKNOWN_YEAR_HOLIDAY_MARGIN = 8;

/**
 * The working days of a period (as workingDaysBetween counts them) that can be relied on. For a country whose
 * calendar the platform keeps (built in, or loaded by an operator), a year in the period without its holiday data
 * counts weekends only, and up to UNKNOWN_YEAR_HOLIDAY_MARGIN of its weekdays may still be holidays: they are
 * taken off, once per such year. A country with no calendar at all counts weekends only, as documented.
 */
export function reliableWorkingDays(
  country: string,
  from: string,
  to: string,
  operatorYears: readonly CalendarYear[] = [],
): { days: number; yearsWithoutData: number[] } {
  const counted = workingDaysBetween(country, from, to, operatorYears);
  const code = country.toUpperCase();
  const keepsCalendar = Object.hasOwn(CALENDARS, code) || operatorYears.length > 0;
  if (!keepsCalendar || counted === 0) return { days: counted, yearsWithoutData: [] };
  const yearsWithoutData: number[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    if (!hasHolidayData(code, year, operatorYears)) yearsWithoutData.push(year);
  }
  return {
    days: Math.max(0, counted - yearsWithoutData.length * UNKNOWN_YEAR_HOLIDAY_MARGIN),
    yearsWithoutData,
  };
}

function isWorking(calendar: CountryDays | undefined, day: number): boolean {
  if (calendar?.on.has(day)) return true;
  if (calendar?.off.has(day)) return false;
  return !isWeekend(day);
}

/** Days since 1970-01-01 (a Thursday). */
function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday === 0 || weekday === 6;
}

function toDay(date: string): number {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (match) {
    const instant = new Date(0);
    // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999
    instant.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    const day = instant.getTime() / MS_PER_DAY;
    if (fromDay(day) === date) return day;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function fromDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
