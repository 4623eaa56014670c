import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { operatorCalendarYears } from '../cities/working-calendars.service';
import { reliableWorkingDays } from '../procurement/rules/working-calendar';
import { TenderInvalidError, TenderPeriodTooShortError, UnknownBuyerError } from './tender.errors';

/** How far ahead a deadline may be set: a tender is a purchase for this or next year's needs, not a decade's. */
export const MAX_DEADLINE_DAYS = 730;

/** A deadline at most MAX_DEADLINE_DAYS after `now`. */
export function assertDeadlineHorizon(end: Date, now: Date): void {
  if (end.getTime() - now.getTime() > MAX_DEADLINE_DAYS * 86_400_000) {
    throw new TenderInvalidError(`tenderPeriod.endDate: must be at most ${MAX_DEADLINE_DAYS} days ahead`, {
      field: 'tenderPeriod.endDate',
      maximumDays: MAX_DEADLINE_DAYS,
    });
  }
}

/**
 * The submission period an open tender must give suppliers, from `from` (when bids open: the end of its
 * enquiry period, or its publication) to `end` (its deadline): OPEN_TENDER_MIN_WORKING_DAYS working days in the
 * organiser's country calendar (an operator's year replacing the built-in one; a year of a kept calendar not
 * loaded yet counts as reliableWorkingDays says), counted in its
 * city's time zone, or TENDER_MIN_PERIOD_SECONDS where that is set (tests and demos). The days counted are those
 * after the day bids open, up to the deadline's day; a deadline at midnight ends the day before it.
 */
export async function assertSubmissionPeriod(
  manager: EntityManager,
  config: AppConfig,
  organizerId: string,
  from: Date,
  end: Date,
): Promise<void> {
  const override = config.TENDER_MIN_PERIOD_SECONDS;
  if (override !== undefined) {
    if (end.getTime() - from.getTime() < override * 1000) {
      throw new TenderPeriodTooShortError(`The submission period must last at least ${override} seconds`, {
        field: 'tenderPeriod.endDate',
        minimumSeconds: override,
      });
    }
    return;
  }
  const [place] = await manager.query<{ country: string; time_zone: string }[]>(
    `SELECT c.country, c.time_zone FROM organizations o JOIN cities c ON c.id = o.city_id WHERE o.id = $1`,
    [organizerId],
  );
  if (!place) throw new UnknownBuyerError('The organiser has no city', { field: 'organizer' });
  const local = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: place.time_zone });
  // A deadline at local midnight ends the day before: the day it falls on gives suppliers no time at all.
  const [first, last] = [local(from), local(new Date(end.getTime() - 1))];
  const years = await operatorCalendarYears(
    manager,
    place.country,
    Number(first.slice(0, 4)),
    Number(last.slice(0, 4)),
  );
  const { days, yearsWithoutData } = reliableWorkingDays(place.country, first, last, years);
  const minimum = config.OPEN_TENDER_MIN_WORKING_DAYS;
  if (days < minimum) {
    const unknown =
      yearsWithoutData.length === 0
        ? ''
        : ` (the ${place.country} calendar of ${yearsWithoutData.join(', ')} is not loaded yet, so that year's ` +
          `weekdays count only beyond the most its holidays could take; an operator can load it)`;
    throw new TenderPeriodTooShortError(
      `An open tender needs at least ${minimum} working days (${place.country} calendar) to submit bids; this one has ${days}${unknown}`,
      {
        field: 'tenderPeriod.endDate',
        minimumWorkingDays: minimum,
        workingDays: days,
        ...(yearsWithoutData.length > 0 ? { calendarMissingYears: yearsWithoutData } : {}),
      },
    );
  }
}

/**
 * The submission period of a quotation session, from its publication (`now`) to its deadline: hours, not days.
 * At least QUOTATION_MIN_HOURS (or TENDER_MIN_PERIOD_SECONDS where that is set: tests and demos) and at most
 * QUOTATION_MAX_HOURS, in hours of the clock: a request this short is not counted in working days.
 */
export function assertQuotationPeriod(config: AppConfig, now: Date, end: Date): void {
  const length = end.getTime() - now.getTime();
  const override = config.TENDER_MIN_PERIOD_SECONDS;
  const minimumSeconds = override ?? config.QUOTATION_MIN_HOURS * 3600;
  if (length < minimumSeconds * 1000) {
    throw new TenderPeriodTooShortError(
      override !== undefined
        ? `The submission period must last at least ${override} seconds`
        : `A quotation session gives suppliers at least ${config.QUOTATION_MIN_HOURS} hours to bid`,
      { field: 'tenderPeriod.endDate', minimumSeconds },
    );
  }
  if (length > config.QUOTATION_MAX_HOURS * 3_600_000) {
    throw new TenderInvalidError(
      `tenderPeriod.endDate: a quotation session lasts at most ${config.QUOTATION_MAX_HOURS} hours; ` +
        'run an open tender for a longer one',
      { field: 'tenderPeriod.endDate', maximumHours: config.QUOTATION_MAX_HOURS },
    );
  }
}

/**
 * Goods are delivered under the contract, which comes after the deadline: no item of a live lot may be due on a
 * day (in the organiser's city) before the deadline's. Checked at publication and when an amendment moves the
 * deadline later.
 */
export async function assertDeliveryAfterDeadline(
  manager: EntityManager,
  tenderId: string,
  deadline: Date,
): Promise<void> {
  const [early] = await manager.query<{ number: number; id: string; delivery_date: string }[]>(
    `SELECT l.number, i.id, i.delivery_date::text AS delivery_date
       FROM tender_items i
       JOIN lots l ON l.id = i.lot_id AND l.status = 'active'
       JOIN tenders t ON t.id = i.tender_id
       JOIN organizations o ON o.id = t.organizer_id
       JOIN cities c ON c.id = o.city_id
      WHERE i.tender_id = $1 AND i.delivery_date < ($2::timestamptz AT TIME ZONE c.time_zone)::date
      ORDER BY l.number, i.id LIMIT 1`,
    [tenderId, deadline],
  );
  if (early) {
    throw new TenderInvalidError(
      `lots.${early.number - 1}.items: delivery date ${early.delivery_date} is before the tender period ends`,
      { field: 'deliveryDate', lot: early.number, itemId: early.id, deliveryDate: early.delivery_date },
    );
  }
}
