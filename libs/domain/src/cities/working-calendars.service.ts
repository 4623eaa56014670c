import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { defineError } from '../errors';
import {
  builtInCalendarYear,
  type CalendarYear,
  calendarYearProblems,
} from '../procurement/rules/working-calendar';

export class CalendarInvalidError extends defineError('CALENDAR_INVALID', 'invalid') {}
export class CalendarCountryUnknownError extends defineError('CALENDAR_COUNTRY_UNKNOWN', 'not_found') {}

/** A date[] column as a JSON array of YYYY-MM-DD text, in date order. */
const DATES = (column: string) =>
  `coalesce((SELECT json_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d) FROM unnest(${column}) AS d), '[]')`;

const SELECT_VIEW = `SELECT country, year, ${DATES('days_off')} AS "daysOff",
    ${DATES('working_weekend_days')} AS "workingWeekendDays", 'operator' AS source,
    to_char(set_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "setAt"
  FROM working_calendar_years`;

/** The operator's calendars of a country for the years from..to, to pass to the working-day counts. */
export function operatorCalendarYears(
  manager: EntityManager,
  country: string,
  fromYear: number,
  toYear: number,
): Promise<CalendarYear[]> {
  return manager.query<CalendarYear[]>(
    `SELECT year, ${DATES('days_off')} AS "daysOff", ${DATES('working_weekend_days')} AS "workingWeekendDays"
       FROM working_calendar_years WHERE country = upper($1) AND year BETWEEN $2 AND $3`,
    [country, fromYear, toYear],
  );
}

/** The years a calendar may be set for. */
export const CALENDAR_YEARS = { min: 2000, max: 2100 } as const;

export interface WorkingCalendarView extends CalendarYear {
  country: string;
  /** operator: set through the API; built-in: shipped with the code; none: weekends only. */
  source: 'operator' | 'built-in' | 'none';
  setAt: string | null;
}

/**
 * Working-day calendars of the member countries: built in for some years (RU, KZ, BY), set by operators for any
 * year of a member country. An operator's year replaces the built-in one wherever working days are counted.
 */
@Injectable()
export class WorkingCalendarsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(country: string, year: number): Promise<WorkingCalendarView> {
    const code = await this.memberCountry(country, year);
    const [row] = await this.dataSource.query<WorkingCalendarView[]>(
      `${SELECT_VIEW} WHERE country = $1 AND year = $2`,
      [code, year],
    );
    if (row) return row;
    const builtIn = builtInCalendarYear(code, year);
    return builtIn
      ? { country: code, ...builtIn, source: 'built-in', setAt: null }
      : { country: code, year, daysOff: [], workingWeekendDays: [], source: 'none', setAt: null };
  }

  /** Sets (or replaces) a year's calendar; the same call twice changes nothing but the time it was set. */
  async set(operatorUserId: string, country: string, calendar: CalendarYear): Promise<WorkingCalendarView> {
    const code = await this.memberCountry(country, calendar.year);
    const problems = calendarYearProblems(calendar);
    if (problems.length > 0) {
      throw new CalendarInvalidError(`${problems[0]!.field}: ${problems[0]!.message}`, {
        fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
      });
    }
    const sorted = (dates: readonly string[]) => [...dates].sort();
    const [row] = await this.dataSource.query<WorkingCalendarView[]>(
      `WITH saved AS (
         INSERT INTO working_calendar_years (country, year, days_off, working_weekend_days, set_by)
         VALUES ($1, $2, $3::date[], $4::date[], $5)
         ON CONFLICT (country, year) DO UPDATE SET days_off = EXCLUDED.days_off,
           working_weekend_days = EXCLUDED.working_weekend_days, set_by = EXCLUDED.set_by, set_at = now()
         RETURNING *)
       ${SELECT_VIEW.replace('working_calendar_years', 'saved')}`,
      [code, calendar.year, sorted(calendar.daysOff), sorted(calendar.workingWeekendDays), operatorUserId],
    );
    return row!;
  }

  /** The country in upper case, if a member city lies in it, and a year in range. */
  private async memberCountry(country: string, year: number): Promise<string> {
    if (!Number.isSafeInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
      throw new CalendarInvalidError(`year: must be ${CALENDAR_YEARS.min} to ${CALENDAR_YEARS.max}`, {
        field: 'year',
      });
    }
    const code = country.toUpperCase();
    const [member] = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM cities WHERE upper(country) = $1 LIMIT 1',
      [code],
    );
    if (!member) {
      throw new CalendarCountryUnknownError(`No member city lies in ${code}`, { country: code });
    }
    return code;
  }
}
