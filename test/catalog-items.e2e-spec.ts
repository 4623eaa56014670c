import request from 'supertest';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { DataSource } from 'typeorm';
import { Actor, ActorFactory } from './factories/actors';
import { CatalogueFactory, PAPER_CPV } from './factories/catalogue';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

const UUID = /^[0-9a-f-]{36}$/;

describe('CatalogItemsController', () => {
  let t: TestApp;
  let actors: ActorFactory;
  let catalogue: CatalogueFactory;
  let operator: Actor;
  let supplier: Actor;
  let otherSupplier: Actor;
  let buyer: Actor;
  const as = (actor: Actor) => ({ Authorization: `Bearer ${actor.accessToken}` });

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    actors = new ActorFactory(t.app);
    catalogue = new CatalogueFactory(t.app);
    operator = await actors.actor('operator');
    supplier = await actors.actor('supplier');
    otherSupplier = await actors.actor('supplier');
    buyer = await actors.actor('buyer');
  });
  afterAll(() => t.app.close());

  describe('moderation', () => {
    it('takes a supplier’s proposal through the queue to a public, searchable item', async () => {
      const created = await request(t.http)
        .post('/api/v1/catalogue/items')
        .set(as(supplier))
        .send({
          titleRu: 'Бумага офисная для лазерных принтеров A4',
          titleEn: 'Office paper for laser printers A4',
          descriptionRu: 'Белая бумага, 80 г/м², 500 листов в пачке',
          cpvCode: PAPER_CPV,
          unitCode: 'XPK',
          characteristics: [{ name: 'Плотность', value: '80', unit: 'GRM' }],
          imageUrls: ['https://example.org/paper.jpg'],
          documents: [{ title: 'Сертификат', url: 'https://example.org/cert.pdf' }],
        })
        .expect(201);
      expect(created.body).toMatchObject({
        status: 'pending',
        version: 1,
        cpv: { code: PAPER_CPV, nameRu: 'Бумага для печати', nameEn: 'Printing paper' },
        unit: { code: 'XPK', okei: '778', nameRu: 'упаковка' },
        proposedByOrganizationId: supplier.organization.id,
        publishedAt: null,
      });
      const id = created.body.id as string;

      // Not public, not searchable, but in the operator's queue and the supplier's own list.
      await request(t.http).get(`/api/v1/catalogue/items/${id}`).expect(404);
      const queue = await request(t.http).get('/api/v1/catalogue/proposals').set(as(operator)).expect(200);
      expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const own = await request(t.http).get('/api/v1/catalogue/proposals').set(as(supplier)).expect(200);
      expect(own.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const before = await request(t.http)
        .get('/api/v1/catalogue/items')
        .query({ q: 'лазерных' })
        .expect(200);
      expect(before.body.items).toEqual([]);

      const approved = await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/approve`)
        .set(as(operator))
        .send({ version: 1 })
        .expect(200);
      expect(approved.body).toMatchObject({ status: 'active', version: 2, publishedAt: expect.any(String) });
      await request(t.http).get(`/api/v1/catalogue/items/${id}`).expect(200);
      const after = await request(t.http).get('/api/v1/catalogue/items').query({ q: 'лазерных' }).expect(200);
      expect(after.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    });

    it('sends a rejected proposal back as a draft with the reason; the buyer fixes and resubmits it', async () => {
      const draft = await catalogue.propose(buyer, { titleRu: 'Скрепки канцелярские 28 мм' }, false);
      expect(draft.status).toBe('draft');
      const submitted = await request(t.http)
        .post(`/api/v1/catalogue/items/${draft.id}/submit`)
        .set(as(buyer))
        .expect(200);
      expect(submitted.body.status).toBe('pending');

      const rejected = await request(t.http)
        .post(`/api/v1/catalogue/items/${draft.id}/reject`)
        .set(as(operator))
        .send({ reason: 'Укажите код CPV канцелярских товаров', version: submitted.body.version })
        .expect(200);
      expect(rejected.body).toMatchObject({
        status: 'draft',
        rejectionReason: 'Укажите код CPV канцелярских товаров',
      });

      await request(t.http)
        .patch(`/api/v1/catalogue/items/${draft.id}`)
        .set(as(buyer))
        .send({ cpvCode: '30192700-8' })
        .expect(200);
      await request(t.http).post(`/api/v1/catalogue/items/${draft.id}/submit`).set(as(buyer)).expect(200);
      const active = await request(t.http)
        .post(`/api/v1/catalogue/items/${draft.id}/approve`)
        .set(as(operator))
        .send({ version: await catalogue.version(operator, draft.id) })
        .expect(200);
      expect(active.body).toMatchObject({
        status: 'active',
        rejectionReason: null,
        cpv: { code: '30192700-8' },
      });
      // The approval's version names everything it changed: the reason cleared, the publication time set.
      const versions = await request(t.http)
        .get(`/api/v1/catalogue/proposals/${draft.id}/versions`)
        .set(as(buyer))
        .expect(200);
      expect(versions.body.items.at(-1)).toMatchObject({
        action: 'approved',
        changes: {
          status: { from: 'pending', to: 'active' },
          rejectionReason: { from: 'Укажите код CPV канцелярских товаров', to: null },
          publishedAt: { from: null, to: active.body.publishedAt },
        },
      });
      // The public history does not tell what the moderator said to the proposer before publication.
      const seen = await request(t.http).get(`/api/v1/catalogue/items/${draft.id}/versions`).expect(200);
      expect(JSON.stringify(seen.body)).not.toContain('Укажите код CPV');
      expect(seen.body.items.at(-1).changes).toEqual({
        status: { from: 'pending', to: 'active' },
        publishedAt: { from: null, to: active.body.publishedAt },
      });
    });

    it('keeps every change as a version: who, when, what', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Бумага для заметок' });
      await request(t.http)
        .patch(`/api/v1/catalogue/items/${id}`)
        .set(as(supplier))
        .send({ titleRu: 'Бумага для заметок, блок 90×90 мм', unitCode: 'H87' })
        .expect(200);
      await catalogue.approve(operator, id);
      await request(t.http)
        .patch(`/api/v1/catalogue/items/${id}`)
        .set(as(operator))
        .send({ titleEn: 'Sticky note paper' })
        .expect(200);

      const res = await request(t.http)
        .get(`/api/v1/catalogue/proposals/${id}/versions`)
        .set(as(supplier))
        .expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          version: 1,
          action: 'proposed',
          actorOrganizationId: supplier.organization.id,
          actorRole: 'supplier',
          at: expect.any(String),
        }),
        expect.objectContaining({
          version: 2,
          action: 'edited',
          actorRole: 'supplier',
          changes: {
            titleRu: { from: 'Бумага для заметок', to: 'Бумага для заметок, блок 90×90 мм' },
            unitCode: { from: 'XPK', to: 'H87' },
          },
        }),
        expect.objectContaining({
          version: 3,
          action: 'approved',
          actorRole: 'operator',
          changes: {
            status: { from: 'pending', to: 'active' },
            publishedAt: { from: null, to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
          },
        }),
        expect.objectContaining({
          version: 4,
          action: 'edited',
          actorRole: 'operator',
          changes: { titleEn: { from: null, to: 'Sticky note paper' } },
        }),
      ]);
      expect(res.body.items[0].changes.titleRu).toEqual({ from: null, to: 'Бумага для заметок' });
      // Anyone else sees who proposed and edited it, and when, but not what the proposal said before publication.
      for (const viewer of [undefined, otherSupplier]) {
        const seen = await request(t.http)
          .get(
            viewer ? `/api/v1/catalogue/proposals/${id}/versions` : `/api/v1/catalogue/items/${id}/versions`,
          )
          .set(viewer ? as(viewer) : {})
          .expect(200);
        expect(seen.body.items.map((v: any) => [v.action, v.actorOrganizationId, v.changes])).toEqual([
          ['proposed', supplier.organization.id, {}],
          ['edited', supplier.organization.id, {}],
          ['approved', operator.organization.id, res.body.items[2].changes],
          ['edited', operator.organization.id, res.body.items[3].changes],
        ]);
      }
      // Who acted is public as an organisation and a role; the person only to operators and their own organisation.
      const anonymous = await request(t.http).get(`/api/v1/catalogue/items/${id}/versions`).expect(200);
      expect(anonymous.body.items.filter((v: any) => 'actorUserId' in v)).toEqual([]);
      const usersSeenBy = async (viewer: any) =>
        (
          await request(t.http).get(`/api/v1/catalogue/proposals/${id}/versions`).set(as(viewer)).expect(200)
        ).body.items.map((v: any) => v.actorUserId ?? null);
      expect(await usersSeenBy(operator)).toEqual([
        supplier.userId,
        supplier.userId,
        operator.userId,
        operator.userId,
      ]);
      expect(await usersSeenBy(supplier)).toEqual([supplier.userId, supplier.userId, null, null]);
      expect(await usersSeenBy(otherSupplier)).toEqual([null, null, null, null]);

      // The edit by the operator reached the search index in the same transaction.
      const found = await request(t.http)
        .get('/api/v1/catalogue/items')
        .query({ q: 'sticky notes' })
        .expect(200);
      expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([id]);

      const paged = await request(t.http)
        .get(`/api/v1/catalogue/items/${id}/versions`)
        .query({ limit: 3 })
        .expect(200);
      expect(paged.body.items).toHaveLength(3);
      const rest = await request(t.http)
        .get(`/api/v1/catalogue/items/${id}/versions`)
        .query({ limit: 3, cursor: paged.body.nextCursor })
        .expect(200);
      expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([4]);
      expect(rest.body.nextCursor).toBeNull();
      // A version is a 32-bit integer: a forged cursor past it is refused, not sent to the database.
      const forged = Buffer.from(JSON.stringify(['versions', 2 ** 31])).toString('base64url');
      const refused = await request(t.http)
        .get(`/api/v1/catalogue/items/${id}/versions`)
        .query({ cursor: forged })
        .expect(400);
      expect(refused.body.code).toBe('INVALID_CURSOR');
    });

    it('merges a duplicate into its survivor: archived, pointing to it, offers moved, out of search', async () => {
      const survivor = await catalogue.activeItem(supplier, operator, { titleRu: 'Ватман А1 200 г/м²' });
      const duplicate = await catalogue.activeItem(otherSupplier, operator, { titleRu: 'Ватман формата А1' });
      const offer = await catalogue.offer(otherSupplier, duplicate);

      // Ids in upper case name the same items.
      const merged = await request(t.http)
        .post(`/api/v1/catalogue/items/${duplicate.toUpperCase()}/merge`)
        .set(as(operator))
        .send({
          survivorId: survivor.toUpperCase(),
          reason: 'Одна и та же бумага',
          version: await catalogue.version(operator, duplicate),
        })
        .expect(200);
      expect(merged.body).toMatchObject({ status: 'archived', mergedIntoId: survivor });

      const pub = await request(t.http).get(`/api/v1/catalogue/items/${duplicate}`).expect(200);
      expect(pub.body.mergedIntoId).toBe(survivor);
      const offers = await request(t.http).get(`/api/v1/catalogue/items/${survivor}/offers`).expect(200);
      expect(offers.body.items.map((o: { id: string }) => o.id)).toEqual([offer.id]);
      const search = await request(t.http).get('/api/v1/catalogue/items').query({ q: 'ватман' }).expect(200);
      expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([survivor]);
      expect(search.body.items[0].offerCount).toBe(1);

      const versions = await request(t.http).get(`/api/v1/catalogue/items/${duplicate}/versions`).expect(200);
      expect(versions.body.items.at(-1)).toMatchObject({
        action: 'merged',
        reason: 'Одна и та же бумага',
        changes: { mergedIntoId: { from: null, to: survivor }, offersMoved: { from: 0, to: 1 } },
      });
    });

    it('repoints the items merged into a duplicate when it is merged in turn, in one statement for all', async () => {
      const merge = async (id: string, survivorId: string) => {
        const version = await catalogue.version(operator, id);
        await request(t.http)
          .post(`/api/v1/catalogue/items/${id}/merge`)
          .set(as(operator))
          .send({ survivorId, reason: 'Дубликат', version })
          .expect(200);
      };
      const runner = PostgresQueryRunner.prototype;
      /** Merges `count` items into a middle one, then it into a last one: version inserts of that last merge. */
      const chain = async (count: number, title: string) => {
        const middle = await catalogue.activeItem(supplier, operator, { titleRu: `${title}, основная` });
        const last = await catalogue.activeItem(supplier, operator, { titleRu: `${title}, итоговая` });
        const earlier: string[] = [];
        for (let i = 0; i < count; i++) {
          earlier.push(await catalogue.activeItem(supplier, operator, { titleRu: `${title} ${i}` }));
          await merge(earlier[i] as string, middle);
        }
        const spy = jest.spyOn(runner, 'query');
        try {
          await merge(middle, last);
          const inserts = spy.mock.calls.filter(([sql]) =>
            /INSERT INTO catalog_item_versions/.test(String(sql)),
          );
          return { middle, last, earlier, inserts: inserts.length };
        } finally {
          spy.mockRestore();
        }
      };
      const one = await chain(1, 'Картон');
      const three = await chain(3, 'Фольга');
      expect(three.inserts).toBe(one.inserts);
      for (const id of three.earlier) {
        const item = await request(t.http).get(`/api/v1/catalogue/items/${id}`).expect(200);
        expect(item.body.mergedIntoId).toBe(three.last);
        const versions = await request(t.http).get(`/api/v1/catalogue/items/${id}/versions`).expect(200);
        expect(versions.body.items.at(-1)).toMatchObject({
          version: item.body.version,
          action: 'merged',
          changes: { mergedIntoId: { from: three.middle, to: three.last } },
          reason: null,
        });
      }
    });

    it('refuses to merge into an item that is not active, or into itself', async () => {
      const active = await catalogue.activeItem(supplier, operator, { titleRu: 'Бумага крафт' });
      const pending = await catalogue.propose(supplier, { titleRu: 'Бумага крафт в рулоне' });
      const res = await request(t.http)
        .post(`/api/v1/catalogue/items/${active}/merge`)
        .set(as(operator))
        .send({ survivorId: pending.id, version: 2 })
        .expect(409);
      expect(res.body).toMatchObject({ code: 'MERGE_TARGET_INVALID', details: { status: 'pending' } });
      const self = await request(t.http)
        .post(`/api/v1/catalogue/items/${active}/merge`)
        .set(as(operator))
        .send({ survivorId: active, version: 2 })
        .expect(400);
      expect(self.body.code).toBe('VALIDATION_FAILED');
    });

    it('decides only the version the operator reviewed: an edit made since is not approved, rejected or merged unseen', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Бумага для плоттера' });
      const reviewed = await catalogue.version(operator, id);
      await request(t.http)
        .patch(`/api/v1/catalogue/items/${id}`)
        .set(as(supplier))
        .send({ documents: [{ title: 'Паспорт', url: 'https://example.org/passport.pdf' }] })
        .expect(200);
      const survivor = await catalogue.activeItem(supplier, operator, {
        titleRu: 'Бумага для плоттера, рулон',
      });
      for (const [action, body] of [
        ['approve', {}],
        ['reject', { reason: 'Не тот код CPV' }],
        ['merge', { survivorId: survivor }],
      ] as const) {
        const res = await request(t.http)
          .post(`/api/v1/catalogue/items/${id}/${action}`)
          .set(as(operator))
          .send({ ...body, version: reviewed })
          .expect(409);
        expect(res.body).toMatchObject({
          code: 'CATALOG_ITEM_VERSION_CONFLICT',
          details: { version: reviewed + 1, reviewed },
        });
      }
      const [row] = await t.app
        .get(DataSource)
        .query(`SELECT status, version FROM catalog_items WHERE id = $1`, [id]);
      expect(row).toEqual({ status: 'pending', version: reviewed + 1 });
      const missing = await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/approve`)
        .set(as(operator))
        .expect(400);
      expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      const approved = await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/approve`)
        .set(as(operator))
        .send({ version: reviewed + 1 })
        .expect(200);
      expect(approved.body).toMatchObject({ status: 'active', version: reviewed + 2 });
    });

    it('keeps offers priced in their unit: no merge into another unit, no change of unit while they stand', async () => {
      const survivor = await catalogue.activeItem(supplier, operator, {
        titleRu: 'Бумага для эскизов, лист',
        unitCode: 'H87',
      });
      const duplicate = await catalogue.activeItem(otherSupplier, operator, {
        titleRu: 'Бумага для эскизов, пачка',
      });
      const offer = await catalogue.offer(otherSupplier, duplicate);
      const version = await catalogue.version(operator, duplicate);
      const merge = () =>
        request(t.http)
          .post(`/api/v1/catalogue/items/${duplicate}/merge`)
          .set(as(operator))
          .send({ survivorId: survivor, version });
      const refused = await merge().expect(409);
      expect(refused.body).toMatchObject({
        code: 'CATALOG_ITEM_UNIT_CONFLICT',
        details: { unitCode: 'XPK', survivorUnitCode: 'H87' },
      });
      const unit = await request(t.http)
        .patch(`/api/v1/catalogue/items/${duplicate}`)
        .set(as(operator))
        .send({ unitCode: 'H87' })
        .expect(409);
      expect(unit.body).toMatchObject({ code: 'CATALOG_ITEM_UNIT_CONFLICT', details: { unitCode: 'XPK' } });
      const [still] = await t.app
        .get(DataSource)
        .query(
          `SELECT i.status, i.unit_code, i.version, o.item_id FROM catalog_items i JOIN catalog_offers o ON o.id = $2 WHERE i.id = $1`,
          [duplicate, offer.id],
        );
      expect(still).toEqual({ status: 'active', unit_code: 'XPK', version, item_id: duplicate });
      // Once its offers are withdrawn, the card merges: nothing is left priced per package.
      await request(t.http)
        .post(`/api/v1/catalogue/offers/${offer.id}/withdraw`)
        .set(as(otherSupplier))
        .expect(200);
      const merged = await merge().expect(200);
      expect(merged.body).toMatchObject({ status: 'archived', mergedIntoId: survivor });
    });

    it('answers 409 to a transition from the wrong state', async () => {
      const id = await catalogue.activeItem(supplier, operator, { titleRu: 'Бумага для факса' });
      const res = await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/approve`)
        .set(as(operator))
        .send({ version: 2 })
        .expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        code: 'CATALOG_ITEM_STATUS_CONFLICT',
        message: 'The item is active, not pending',
        details: { status: 'active' },
        correlationId: expect.stringMatching(UUID),
      });
    });

    it('archives an item with a reason and takes it out of search', async () => {
      const id = await catalogue.activeItem(supplier, operator, { titleRu: 'Калька чертёжная' });
      await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/archive`)
        .set(as(operator))
        .send({ reason: 'Снято с производства' })
        .expect(200);
      const res = await request(t.http).get('/api/v1/catalogue/items').query({ q: 'калька' }).expect(200);
      expect(res.body.items).toEqual([]);
      // Once public, it stays readable by its link.
      await request(t.http).get(`/api/v1/catalogue/items/${id}`).expect(200);
    });

    it('keeps a proposal that was archived before approval private to its proposer and the moderators', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Черновик: бумага крафт' }, false);
      await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/archive`)
        .set(as(operator))
        .send({ reason: 'Дубликат' })
        .expect(200);
      for (const path of [`/api/v1/catalogue/items/${id}`, `/api/v1/catalogue/items/${id}/versions`]) {
        await request(t.http).get(path).expect(404);
      }
      for (const path of [
        `/api/v1/catalogue/proposals/${id}`,
        `/api/v1/catalogue/proposals/${id}/versions`,
      ]) {
        await request(t.http).get(path).set(as(otherSupplier)).expect(404);
        await request(t.http).get(path).set(as(supplier)).expect(200);
        await request(t.http).get(path).set(as(operator)).expect(200);
      }
    });
  });

  describe('authorisation', () => {
    it('lets only operators moderate', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Бумага цветная' });
      for (const actor of [supplier, buyer, otherSupplier]) {
        for (const action of ['approve', 'reject', 'merge', 'archive']) {
          const res = await request(t.http)
            .post(`/api/v1/catalogue/items/${id}/${action}`)
            .set(as(actor))
            .send({ reason: 'потому что', survivorId: id });
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN_ROLE');
        }
      }
      const anonymous = await request(t.http).post(`/api/v1/catalogue/items/${id}/approve`).expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      const item = await t.app.get(DataSource).query(`SELECT status FROM catalog_items WHERE id = $1`, [id]);
      expect(item[0].status).toBe('pending');
    });

    it('lets only an active organisation propose, edit or submit an item, and stores nothing otherwise', async () => {
      const db = t.app.get(DataSource);
      const count = async () => Number((await db.query('SELECT count(*) AS n FROM catalog_items'))[0].n);
      const unverified = await actors.actor('supplier', { status: 'pending' });
      const before = await count();
      const refused = await request(t.http)
        .post('/api/v1/catalogue/items')
        .set(as(unverified))
        .send({
          titleRu: 'Бумага от неподтверждённого поставщика',
          descriptionRu: 'Описание.',
          cpvCode: PAPER_CPV,
          unitCode: 'XPK',
        })
        .expect(403);
      expect(refused.body).toMatchObject({ code: 'PROPOSER_NOT_ACTIVE', details: { status: 'pending' } });
      expect(await count()).toBe(before);
      // A draft of an organisation suspended afterwards can be neither edited nor submitted.
      const later = await actors.actor('supplier');
      const { id } = await catalogue.propose(later, { titleRu: 'Бумага до приостановки' }, false);
      await db.query(`UPDATE organizations SET status = 'suspended' WHERE id = $1`, [later.organization.id]);
      const edit = await request(t.http)
        .patch(`/api/v1/catalogue/items/${id}`)
        .set(as(later))
        .send({ titleRu: 'Бумага после приостановки' })
        .expect(403);
      expect(edit.body.code).toBe('PROPOSER_NOT_ACTIVE');
      await request(t.http).post(`/api/v1/catalogue/items/${id}/submit`).set(as(later)).expect(403);
      const [row] = await db.query(`SELECT title_ru, status, version FROM catalog_items WHERE id = $1`, [id]);
      expect(row).toEqual({ title_ru: 'Бумага до приостановки', status: 'draft', version: 1 });
    });

    it('keeps another organisation’s proposal from being edited or seen', async () => {
      const { id } = await catalogue.propose(supplier, { titleRu: 'Бумага тонкая' }, false);
      // An unpublished proposal of another organisation is answered as an unknown id, not as someone else's.
      const edit = await request(t.http)
        .patch(`/api/v1/catalogue/items/${id}`)
        .set(as(otherSupplier))
        .send({ titleRu: 'Чужая правка' })
        .expect(404);
      expect(edit.body).toMatchObject({ statusCode: 404, code: 'CATALOG_ITEM_NOT_FOUND' });
      const submit = await request(t.http)
        .post(`/api/v1/catalogue/items/${id}/submit`)
        .set(as(otherSupplier))
        .expect(404);
      expect(submit.body.code).toBe('CATALOG_ITEM_NOT_FOUND');
      // A published item is known to all: editing another's is refused as not owned.
      const active = await catalogue.activeItem(supplier, operator, { titleRu: 'Бумага тонкая, рулон' });
      const foreign = await request(t.http)
        .patch(`/api/v1/catalogue/items/${active}`)
        .set(as(otherSupplier))
        .send({ titleRu: 'Чужая правка' })
        .expect(403);
      expect(foreign.body.code).toBe('CATALOG_ITEM_NOT_OWNED');
      const [row] = await t.app
        .get(DataSource)
        .query(`SELECT title_ru FROM catalog_items WHERE id = $1`, [id]);
      expect(row.title_ru).toBe('Бумага тонкая');
      await request(t.http).get(`/api/v1/catalogue/proposals/${id}`).set(as(otherSupplier)).expect(404);
      await request(t.http).get(`/api/v1/catalogue/proposals/${id}`).set(as(supplier)).expect(200);
      await request(t.http).get(`/api/v1/catalogue/proposals/${id}`).set(as(operator)).expect(200);
      const own = await request(t.http).get('/api/v1/catalogue/proposals').set(as(otherSupplier)).expect(200);
      expect(own.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    });

    it('shows a draft to its proposer and the operators only; auditors read what reached the queue', async () => {
      const auditor = await actors.actor('auditor');
      const { id } = await catalogue.propose(supplier, { titleRu: 'Черновик, не для чужих глаз' }, false);
      await request(t.http).get(`/api/v1/catalogue/proposals/${id}`).set(as(auditor)).expect(404);
      await request(t.http).get(`/api/v1/catalogue/proposals/${id}`).set(as(operator)).expect(200);
      const drafts = await request(t.http)
        .get('/api/v1/catalogue/proposals?status=draft')
        .set(as(auditor))
        .expect(403);
      expect(drafts.body).toMatchObject({ code: 'DRAFTS_NOT_READABLE', details: { field: 'status' } });
      const queue = await request(t.http)
        .get('/api/v1/catalogue/proposals?status=draft&limit=100')
        .set(as(operator))
        .expect(200);
      expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
      // Submitted, it is the auditors' to read.
      await request(t.http).post(`/api/v1/catalogue/items/${id}/submit`).set(as(supplier)).expect(200);
      await request(t.http).get(`/api/v1/catalogue/proposals/${id}`).set(as(auditor)).expect(200);
    });

    it('lets the proposer edit only until the item is active', async () => {
      const id = await catalogue.activeItem(supplier, operator, { titleRu: 'Бумага газетная' });
      const res = await request(t.http)
        .patch(`/api/v1/catalogue/items/${id}`)
        .set(as(supplier))
        .send({ titleRu: 'Бумага газетная, рулон' })
        .expect(409);
      expect(res.body.code).toBe('CATALOG_ITEM_STATUS_CONFLICT');
    });

    it('refuses proposals from auditors and anonymous callers', async () => {
      const auditor = await actors.actor('auditor');
      const body = { titleRu: 'Бумага', descriptionRu: 'x', cpvCode: PAPER_CPV, unitCode: 'XPK' };
      const res = await request(t.http)
        .post('/api/v1/catalogue/items')
        .set(as(auditor))
        .send(body)
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN_ROLE');
      await request(t.http).post('/api/v1/catalogue/items').send(body).expect(401);
    });
  });

  describe('bad input', () => {
    const base = {
      titleRu: 'Бумага офисная',
      descriptionRu: 'Описание',
      cpvCode: PAPER_CPV,
      unitCode: 'XPK',
    };
    const propose = (body: Record<string, unknown>) =>
      request(t.http).post('/api/v1/catalogue/items').set(as(supplier)).send(body);

    it('refuses malformed, mistyped and unknown CPV codes with their own codes', async () => {
      const malformed = await propose({ ...base, cpvCode: '30197630' }).expect(400);
      expect(malformed.body).toEqual({
        statusCode: 400,
        code: 'CPV_CODE_MALFORMED',
        message: 'cpvCode must be a CPV code such as 30197630-1',
        details: { field: 'cpvCode' },
        correlationId: expect.stringMatching(UUID),
      });
      const digit = await propose({ ...base, cpvCode: '30197630-7' }).expect(400);
      expect(digit.body).toEqual({
        statusCode: 400,
        code: 'CPV_CHECK_DIGIT_INVALID',
        message: 'cpvCode: the CPV check digit is wrong',
        details: { field: 'cpvCode' },
        correlationId: expect.stringMatching(UUID),
      });
      // 30197639 is not in CPV 2008; 4 is the digit the weighting rule gives it.
      const unknown = await propose({ ...base, cpvCode: '30197639-4' }).expect(400);
      expect(unknown.body).toMatchObject({ code: 'CPV_CODE_UNKNOWN', details: { field: 'cpvCode' } });
    });

    it('takes a unit by its ОКЕИ code and keeps its Recommendation 20 code', async () => {
      const res = await propose({
        ...base,
        unitCode: '796',
        characteristics: [{ name: 'Масса', value: '2,5', unit: '166' }],
      }).expect(201);
      expect(res.body).toMatchObject({
        unit: { code: 'H87', okei: '796' },
        characteristics: [{ name: 'Масса', value: '2,5', unit: 'KGM' }],
      });
      const unknown = await propose({ ...base, unitCode: '999' }).expect(400);
      expect(unknown.body).toMatchObject({ code: 'UNIT_UNKNOWN', details: { field: 'unitCode' } });
    });

    it('refuses unknown units, also in characteristics', async () => {
      const unit = await propose({ ...base, unitCode: 'BOX' }).expect(400);
      expect(unit.body).toEqual({
        statusCode: 400,
        code: 'UNIT_UNKNOWN',
        message: 'unitCode is not a supported UN/ECE Recommendation 20 unit',
        details: { field: 'unitCode' },
        correlationId: expect.stringMatching(UUID),
      });
      const inner = await propose({ ...base, characteristics: [{ name: 'Вес', value: '1', unit: 'pound' }] });
      expect(inner.status).toBe(400);
      expect(inner.body).toMatchObject({ code: 'UNIT_UNKNOWN', details: { field: 'characteristics.unit' } });
    });

    it('refuses a characteristic named twice, in any case', async () => {
      const res = await propose({
        titleRu: 'Бумага с двумя плотностями',
        descriptionRu: 'Белая бумага',
        cpvCode: '30197630-1',
        unitCode: 'XPK',
        characteristics: [
          { name: 'Плотность', value: '80', unit: 'GRM' },
          { name: 'плотность ', value: '120', unit: 'GRM' },
        ],
      }).expect(400);
      expect(res.body.message).toBe(
        'characteristics: characteristics must not name the same characteristic twice',
      );
    });

    it('refuses unknown fields, bad links and oversized text', async () => {
      const extra = await propose({ ...base, price: '1.00' }).expect(400);
      expect(extra.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'price: property price should not exist',
      });
      const link = await propose({ ...base, imageUrls: ['javascript:alert(1)'] }).expect(400);
      expect(link.body.code).toBe('VALIDATION_FAILED');
      const long = await propose({ ...base, titleRu: 'б'.repeat(5000) }).expect(400);
      expect(long.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'titleRu' }] },
      });
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      const bad = await request(t.http).get('/api/v1/catalogue/items/not-a-uuid').expect(400);
      expect(bad.body.code).toBe('INVALID_ID');
      const unknown = await request(t.http)
        .get('/api/v1/catalogue/items/00000000-0000-4000-8000-000000000000')
        .expect(404);
      expect(unknown.body.code).toBe('CATALOG_ITEM_NOT_FOUND');
    });
  });
});
