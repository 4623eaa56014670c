import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Working-day calendars set by operators, a country's year at a time: the days off and the working weekend days
 * of that year. Such a year replaces the built-in one (procurement/rules/working-calendar.ts) in every count of
 * working days, so a country without a built-in calendar, or a year the code does not know yet, can be given one.
 */
export class WorkingCalendars1765010000000 implements MigrationInterface {
  name = 'WorkingCalendars1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "working_calendar_years" ("country" character(2) NOT NULL, "year" integer NOT NULL,
      "days_off" date array NOT NULL, "working_weekend_days" date array NOT NULL, "set_by" uuid NOT NULL,
      "set_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "pk_working_calendar_years" PRIMARY KEY ("country", "year"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "working_calendar_years"`);
  }
}
