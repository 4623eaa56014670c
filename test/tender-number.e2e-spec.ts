import { DataSource } from 'typeorm';
import { formatTenderNumber, tenderNumberYear } from '@app/domain';
import { ActorFactory } from './factories/actors';
import { TenderFlows, tenderBody } from './factories/tenders';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('Tender numbers', () => {
  let t: TestApp;
  let factory: ActorFactory;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    factory = new ActorFactory(t.app);
  });
  afterAll(() => t.app.close());

  const yearIn = async (cityCode: string, at: string) => {
    const buyer = await factory.actor('buyer', { cityCode });
    return tenderNumberYear(t.app.get(DataSource).manager, buyer.organization.id, new Date(at));
  };

  it('takes the year at publication in the organiser’s city, not in UTC', async () => {
    // 31 December 2026, 22:30 UTC: already 2027 in Moscow (UTC+3), Almaty (UTC+5) and Kaliningrad (UTC+2).
    expect(await yearIn('moscow', '2026-12-31T22:30:00Z')).toBe(2027);
    expect(await yearIn('almaty', '2026-12-31T22:30:00Z')).toBe(2027);
    expect(await yearIn('kaliningrad', '2026-12-31T22:30:00Z')).toBe(2027);
    // An hour before Moscow's midnight it is still 2026 there, and already 2027 in Vladivostok (UTC+10).
    expect(await yearIn('moscow', '2026-12-31T20:30:00Z')).toBe(2026);
    expect(await yearIn('vladivostok', '2026-12-31T20:30:00Z')).toBe(2027);
    // At the turn of the year in the city itself.
    expect(await yearIn('moscow', '2026-12-31T20:59:59.999Z')).toBe(2026);
    expect(await yearIn('moscow', '2026-12-31T21:00:00Z')).toBe(2027);
  });

  it('takes the year of a city west of UTC as it is there, still the old one', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'minsk' });
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.startTransaction();
    try {
      // No member city lies west of UTC: the organiser's city is given one in a transaction rolled back below.
      await runner.query(`UPDATE cities SET time_zone = 'America/New_York' WHERE id = $1`, [
        buyer.organization.cityId,
      ]);
      // 1 January 2027, 03:00 UTC: 22:00 on 31 December 2026 in New York (UTC-5).
      expect(
        await tenderNumberYear(runner.manager, buyer.organization.id, new Date('2027-01-01T03:00:00Z')),
      ).toBe(2026);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('numbers a published tender MTP-<year in the organiser’s city>-<sequence of six digits>', async () => {
    const buyer = await factory.actor('buyer', { cityCode: 'vladivostok' });
    const city = await factory.city('vladivostok');
    const tender = await new TenderFlows(t.app).publish(buyer, tenderBody(city.id));
    const [row] = await t.app.get(DataSource).query<{ number: string; local_year: number }[]>(
      `SELECT t.number, extract(year FROM t.published_at AT TIME ZONE c.time_zone)::int AS local_year
         FROM tenders t JOIN organizations o ON o.id = t.organizer_id JOIN cities c ON c.id = o.city_id
        WHERE t.id = $1`,
      [tender.id],
    );
    expect(row?.number).toMatch(new RegExp(`^MTP-${row?.local_year}-\\d{6}$`));
    expect(formatTenderNumber(2027, '123')).toBe('MTP-2027-000123');
    expect(formatTenderNumber(2027, '1234567')).toBe('MTP-2027-1234567');
  });
});
