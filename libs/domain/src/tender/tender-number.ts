import type { EntityManager } from 'typeorm';

/**
 * The year a tender's number carries: the calendar year at `at` (its publication, by the database clock) in the
 * organiser's city, the year its buyers date the tender's papers by. PostgreSQL's time zone data decides, as for
 * the tender's other local dates; a tender published on 31 December after 21:00 UTC in Moscow is of the next year.
 */
export async function tenderNumberYear(
  manager: EntityManager,
  organizerId: string,
  at: Date,
): Promise<number> {
  const [row] = await manager.query<{ year: number }[]>(
    `SELECT extract(year FROM $2::timestamptz AT TIME ZONE c.time_zone)::int AS year
       FROM organizations o JOIN cities c ON c.id = o.city_id
      WHERE o.id = $1`,
    [organizerId, at],
  );
  if (!row) throw new Error(`organiser ${organizerId} has no city`);
  return row.year;
}

/**
 * MTP-<year>-<sequence, at least six digits>. The sequence is one for all years and never restarts, so a number
 * never repeats, whichever zone's year each tender takes.
 */
export function formatTenderNumber(year: number, sequence: string): string {
  return `MTP-${year}-${sequence.padStart(6, '0')}`;
}
