import request from 'supertest';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

describe('CitiesController', () => {
  let t: TestApp;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
  });
  afterAll(() => t.app.close());

  it('lists the seeded member cities publicly, paged by code', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(t.http)
        .get('/api/v1/cities')
        .query({ limit: 10, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...(res.body.items as { code: string }[]).map((c) => c.code));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(30);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(
      expect.arrayContaining(['moscow', 'astana', 'minsk', 'bishkek', 'yerevan', 'tashkent']),
    );
  });

  it('filters by country and shows each city with its time zone', async () => {
    const res = await request(t.http).get('/api/v1/cities').query({ country: 'KZ', limit: 200 }).expect(200);
    const almaty = (res.body.items as { code: string; timeZone: string; country: string }[]).find(
      (c) => c.code === 'almaty',
    );
    expect(almaty).toMatchObject({ country: 'KZ', nameEn: 'Almaty', timeZone: 'Asia/Almaty' });
    expect((res.body.items as { country: string }[]).every((c) => c.country === 'KZ')).toBe(true);
  });

  it('reads one city and answers 404 for an unknown id', async () => {
    const list = await request(t.http).get('/api/v1/cities').query({ limit: 1 }).expect(200);
    const id = list.body.items[0].id as string;
    await request(t.http).get(`/api/v1/cities/${id}`).expect(200);
    const res = await request(t.http).get('/api/v1/cities/00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('refuses a bad page size and a forged cursor', async () => {
    const limit = await request(t.http).get('/api/v1/cities?limit=100000').expect(400);
    expect(limit.body.code).toBe('VALIDATION_FAILED');
    const cursor = await request(t.http).get('/api/v1/cities?cursor=zzz').expect(400);
    expect(cursor.body.code).toBe('INVALID_CURSOR');
  });
});
