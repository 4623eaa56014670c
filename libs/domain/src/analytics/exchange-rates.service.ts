import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isIsoCurrency } from '@app/catalog';
import { DataSource } from 'typeorm';
import { defineError } from '../errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';

export class ExchangeRateInvalidError extends defineError('EXCHANGE_RATE_INVALID', 'invalid') {}
export class ExchangeRateMissingError extends defineError('EXCHANGE_RATE_MISSING', 'not_found') {}

export interface ExchangeRateView {
  base: string;
  currency: string;
  day: string;
  rate: string;
  setAt: string;
}

const COLUMNS = `base, currency, to_char(day, 'YYYY-MM-DD') AS day, rate::text AS rate,
  to_char(set_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "setAt"`;

/**
 * Daily exchange rates recorded by operators. A comparison across currencies uses the rate of its day (or the
 * latest before it) and stores the rate it used with its result.
 */
@Injectable()
export class ExchangeRatesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records (or corrects) the rate of one day; the same call twice changes nothing. */
  async set(
    operatorId: string,
    base: string,
    currency: string,
    day: string,
    rate: string,
  ): Promise<ExchangeRateView> {
    for (const [field, code] of [
      ['base', base],
      ['currency', currency],
    ] as const) {
      if (!isIsoCurrency(code)) {
        throw new ExchangeRateInvalidError(`${field}: not an ISO 4217 currency`, { field });
      }
    }
    if (base === currency)
      throw new ExchangeRateInvalidError('currency: must differ from base', { field: 'currency' });
    if (/^0+(\.0+)?$/.test(rate))
      throw new ExchangeRateInvalidError('rate: must be positive', { field: 'rate' });
    const [row] = await this.dataSource.query<ExchangeRateView[]>(
      `INSERT INTO exchange_rates (base, currency, day, rate, set_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (base, currency, day) DO UPDATE SET rate = EXCLUDED.rate, set_by = EXCLUDED.set_by, set_at = now()
       RETURNING ${COLUMNS}`,
      [base, currency, day, rate, operatorId],
    );
    return row!;
  }

  /** The rate of `day`, or the latest one recorded before it. */
  async rateOn(base: string, currency: string, day: string): Promise<ExchangeRateView> {
    if (base === currency) return { base, currency, day, rate: '1', setAt: new Date(0).toISOString() };
    const [row] = await this.dataSource.query<ExchangeRateView[]>(
      `SELECT ${COLUMNS} FROM exchange_rates WHERE base = $1 AND currency = $2 AND day <= $3
        ORDER BY day DESC LIMIT 1`,
      [base, currency, day],
    );
    if (!row) {
      throw new ExchangeRateMissingError(`No ${base}/${currency} rate recorded on or before ${day}`, {
        base,
        currency,
        day,
      });
    }
    return row;
  }

  /**
   * Rates of a pair (or every pair of a base), newest day first: through ix_exchange_rates_day, or the primary
   * key for a pair (the filters compare as character(3), the columns' type, so that an index can serve them).
   */
  async list(filter: {
    base?: string;
    currency?: string;
    limit?: number;
    cursor?: string;
  }): Promise<Page<ExchangeRateView>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [filter.base ?? null, filter.currency ?? null, limit + 1];
    let after = '';
    if (filter.cursor) {
      const [day, base, currency] = decodeCursor(filter.cursor, ['date', 'text', 'text']);
      params.push(day, base, currency);
      after = 'AND (day, base, currency) < ($4::date, $5::bpchar, $6::bpchar)';
    }
    const rows = await this.dataSource.query<ExchangeRateView[]>(
      `SELECT ${COLUMNS} FROM exchange_rates
        WHERE ($1::bpchar IS NULL OR base = $1) AND ($2::bpchar IS NULL OR currency = $2) ${after}
        ORDER BY day DESC, base DESC, currency DESC LIMIT $3`,
      params,
    );
    return toPage(rows, limit, (r) => [r.day, r.base, r.currency]);
  }
}
