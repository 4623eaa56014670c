import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A country's working-day calendar for one year, set by an operator (it replaces a built-in one). */
@Entity({ name: 'working_calendar_years' })
export class WorkingCalendarYearRow {
  /** ISO 3166-1 alpha-2, upper case. */
  @PrimaryColumn({ type: 'char', length: 2, primaryKeyConstraintName: 'pk_working_calendar_years' })
  country: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_working_calendar_years' })
  year: number;

  /** Monday-to-Friday dates that are not working days. */
  @Column({ name: 'days_off', type: 'date', array: true })
  daysOff: string[];

  /** Saturdays and Sundays that are working days. */
  @Column({ name: 'working_weekend_days', type: 'date', array: true })
  workingWeekendDays: string[];

  @Column({ name: 'set_by', type: 'uuid' })
  setBy: string;

  @Column({ name: 'set_at', type: 'timestamptz', default: () => 'now()' })
  setAt: Date;
}
