import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATION_LOCK_KEY, runMigrationsLocked } from '@app/domain';

describe('Migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('describe exactly the entities: TypeORM finds nothing to change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('are all applied and a second run applies nothing', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await runMigrationsLocked(dataSource)).toEqual([]);
  });

  it('wait for the advisory lock held by another migrator', async () => {
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    let finished = false;
    const run = runMigrationsLocked(dataSource).then(() => (finished = true));
    // The migrator must still be waiting while the lock is held: poll pg_locks for its waiting request.
    const waiting = async () =>
      Number(
        (
          await dataSource.query(
            `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`,
            [MIGRATION_LOCK_KEY],
          )
        )[0].n,
      );
    for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await waiting()).toBe(1);
    expect(finished).toBe(false);
    await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await holder.release();
    await run;
    expect(finished).toBe(true);
  });

  it('seed at least 30 member cities with IANA time zones', async () => {
    const rows: { code: string; time_zone: string }[] = await dataSource.query(
      'SELECT code, time_zone FROM cities',
    );
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const zones = Object.fromEntries(rows.map((r) => [r.code, r.time_zone]));
    expect(zones).toMatchObject({
      moscow: 'Europe/Moscow',
      novosibirsk: 'Asia/Novosibirsk',
      magadan: 'Asia/Magadan',
    });
  });
});
