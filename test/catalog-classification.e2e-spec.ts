import request from 'supertest';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

const UUID = /^[0-9a-f-]{36}$/;

describe('ClassificationsController', () => {
  let t: TestApp;

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
  });
  afterAll(() => t.app.close());

  it('shows a CPV code with its names, ancestors from the division down, and children', async () => {
    const res = await request(t.http).get('/api/v1/classifications/cpv/30197600-2').expect(200);
    expect(res.body).toMatchObject({
      scheme: 'CPV',
      code: '30197600-2',
      level: 5,
      nameRu: 'Обработанные бумага и картон',
      nameEn: 'Processed paper and paperboard',
      parentCode: '30197000-6',
    });
    expect(res.body.ancestors.map((a: { code: string }) => a.code)).toEqual([
      '30000000-9',
      '30100000-0',
      '30190000-7',
      '30197000-6',
    ]);
    expect(res.body.children.map((c: { code: string }) => c.code)).toEqual([
      '30197610-5',
      '30197620-8',
      '30197630-1',
      '30197640-4',
    ]);
  });

  it('names a division without a Russian name in English', async () => {
    const res = await request(t.http).get('/api/v1/classifications/cpv/30000000-9').expect(200);
    expect(res.body).toMatchObject({ level: 1, parentCode: null, ancestors: [] });
    expect(res.body.nameRu).toBe(res.body.nameEn);
    expect(res.body.nameRu).not.toBe('30000000-9');
  });

  it('answers 400 for a malformed code or a wrong check digit, and 404 for a well-formed unknown one', async () => {
    const bad = await request(t.http).get('/api/v1/classifications/cpv/3019763').expect(400);
    expect(bad.body).toEqual({
      statusCode: 400,
      code: 'CPV_CODE_MALFORMED',
      message: 'code must be a CPV code such as 30197630-1',
      details: { field: 'code' },
      correlationId: expect.stringMatching(UUID),
    });
    const digit = await request(t.http).get('/api/v1/classifications/cpv/30197630-2').expect(400);
    expect(digit.body).toMatchObject({ code: 'CPV_CHECK_DIGIT_INVALID', details: { field: 'code' } });
    const unknown = await request(t.http).get('/api/v1/classifications/cpv/30197639-4').expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'CLASSIFICATION_NOT_FOUND' });
  });

  it('finds codes by Russian and English words, best match first, page by page', async () => {
    const ru = await request(t.http)
      .get('/api/v1/classifications/cpv')
      .query({ q: 'бумага для печати' })
      .expect(200);
    expect(ru.body.items[0]).toMatchObject({ code: '30197630-1', nameRu: 'Бумага для печати' });
    const en = await request(t.http)
      .get('/api/v1/classifications/cpv')
      .query({ q: 'printing paper' })
      .expect(200);
    expect(en.body.items.map((c: { code: string }) => c.code)).toContain('30197630-1');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.http)
        .get('/api/v1/classifications/cpv')
        .query({ q: 'бумага', limit: 7, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((c: { code: string }) => c.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(7);
  });

  it('finds codes by a prefix of their digits', async () => {
    const res = await request(t.http).get('/api/v1/classifications/cpv').query({ q: '3019763' }).expect(200);
    expect(res.body.items.map((c: { code: string }) => c.code)).toEqual(['30197630-1']);
  });

  it('refuses a missing or overlong query and a forged cursor', async () => {
    const missing = await request(t.http).get('/api/v1/classifications/cpv').expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    const long = await request(t.http)
      .get('/api/v1/classifications/cpv')
      .query({ q: 'x'.repeat(5000) })
      .expect(400);
    expect(long.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'q' } });
    const cursor = await request(t.http)
      .get('/api/v1/classifications/cpv')
      .query({ q: 'бумага', cursor: 'WyJjcHYtd29yZHMiLCJ4IiwieSJd' })
      .expect(400);
    expect(cursor.body.code).toBe('INVALID_CURSOR');
    // The score is a 32-bit integer in SQL: a larger one is refused before it gets there.
    const score = Buffer.from(JSON.stringify(['cpv-words', 2 ** 31, '03000000-1'])).toString('base64url');
    const big = await request(t.http)
      .get('/api/v1/classifications/cpv')
      .query({ q: 'бумага', cursor: score })
      .expect(400);
    expect(big.body.code).toBe('INVALID_CURSOR');
  });
});
