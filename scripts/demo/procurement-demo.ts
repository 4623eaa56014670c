import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OffersService } from '@app/catalog';
import {
  AuctionService,
  AwardsService,
  ComplaintsService,
  BidsService,
  makeValidTaxId,
  OrganizationsService,
  TenderAmendmentsService,
  TenderClarificationsService,
  TenderClosingService,
  TenderDraftsService,
  type TaxIdScheme,
  type TenderInput,
} from '@app/domain';

/** Demo organisations: buyers and suppliers in several member cities, one auditor. */
const ORGS: {
  key: string;
  kind: 'buyer' | 'supplier' | 'auditor';
  name: string;
  city: string;
  scheme: TaxIdScheme;
  seed: number;
}[] = [
  {
    key: 'moscow-buyer',
    kind: 'buyer',
    name: 'Департамент закупок города Москвы',
    city: 'moscow',
    scheme: 'RU-INN',
    seed: 900001,
  },
  {
    key: 'kazan-buyer',
    kind: 'buyer',
    name: 'Комитет муниципального заказа г. Казани',
    city: 'kazan',
    scheme: 'RU-INN',
    seed: 900003,
  },
  {
    key: 'almaty-buyer',
    kind: 'buyer',
    name: 'Управление государственных закупок г. Алматы',
    city: 'almaty',
    scheme: 'KZ-BIN',
    seed: 900005,
  },
  {
    key: 'minsk-buyer',
    kind: 'buyer',
    name: 'Мингорисполком, отдел закупок',
    city: 'minsk',
    scheme: 'BY-UNP',
    seed: 900007,
  },
  {
    key: 'paper-moscow',
    kind: 'supplier',
    name: 'ООО «Московская бумажная фабрика»',
    city: 'moscow',
    scheme: 'RU-INN',
    seed: 900011,
  },
  {
    key: 'paper-kazan',
    kind: 'supplier',
    name: 'АО «Казанский картон»',
    city: 'kazan',
    scheme: 'RU-INN',
    seed: 900013,
  },
  {
    key: 'office-almaty',
    kind: 'supplier',
    name: 'ТОО «Алматы Офис Снаб»',
    city: 'almaty',
    scheme: 'KZ-BIN',
    seed: 900015,
  },
  {
    key: 'print-minsk',
    kind: 'supplier',
    name: 'ОАО «Минская типография»',
    city: 'minsk',
    scheme: 'BY-UNP',
    seed: 900017,
  },
  {
    key: 'sib-supply',
    kind: 'supplier',
    name: 'ООО «Сибирское снабжение»',
    city: 'novosibirsk',
    scheme: 'RU-INN',
    seed: 900019,
  },
  {
    key: 'auditor',
    kind: 'auditor',
    name: 'Контрольно-счётная палата (демо)',
    city: 'moscow',
    scheme: 'RU-INN',
    seed: 900021,
  },
];

export interface DemoLogin {
  role: string;
  organisation: string;
  email: string;
}

type Orgs = Record<string, { id: string; email: string }>;

/**
 * Adds buyers, suppliers and an auditor with users, and tenders in every state (enquiries, tendering,
 * qualification, awarded, complete, cancelled, unsuccessful), a joint tender, one with a local preference, an
 * electronic auction in its live phase (the worker ends it), two quotation sessions (their suppliers get offers for
 * the catalogue item) and a direct purchase after a failed tender.
 * Idempotent: organisations are found by tax id and tenders by title, so a second run adds nothing.
 */
export async function seedProcurementDemo(
  app: INestApplicationContext,
  password: string,
): Promise<DemoLogin[]> {
  const db = app.get(DataSource);
  const orgs: Orgs = {};
  for (const spec of ORGS) {
    const taxId = makeValidTaxId(spec.scheme, spec.seed);
    const email = `${spec.key}@demo.mtp.example`;
    const [existing] = await db.query<{ id: string }[]>(
      'SELECT id FROM organizations WHERE tax_scheme = $1 AND tax_id = $2',
      [spec.scheme, taxId],
    );
    if (existing) {
      orgs[spec.key] = { id: existing.id, email };
      continue;
    }
    const [city] = await db.query<{ id: string; country: string }[]>(
      'SELECT id, country FROM cities WHERE code = $1',
      [spec.city],
    );
    if (!city) throw new Error(`no member city ${spec.city}`);
    const { organization } = await app.get(OrganizationsService).createByOperator(
      spec.kind,
      {
        legalName: spec.name,
        taxId: { scheme: spec.scheme, id: taxId },
        country: city.country,
        cityId: city.id,
        sme: spec.kind === 'supplier',
      },
      { email, fullName: `Demo ${spec.key}`, password },
    );
    if (organization.status !== 'active')
      await db.query(`UPDATE organizations SET status = 'active' WHERE id = $1`, [organization.id]);
    orgs[spec.key] = { id: organization.id, email };
  }
  await seedTenders(app, orgs);
  return ORGS.map((o) => ({ role: o.kind, organisation: o.name, email: orgs[o.key]!.email }));
}

const DAY = 86_400_000;

async function seedTenders(app: INestApplicationContext, orgs: Orgs): Promise<void> {
  const db = app.get(DataSource);
  const drafts = app.get(TenderDraftsService);
  const bids = app.get(BidsService);
  const closing = app.get(TenderClosingService);
  const awards = app.get(AwardsService);
  const city = async (code: string) =>
    (await db.query<{ id: string }[]>('SELECT id FROM cities WHERE code = $1', [code]))[0]!.id;
  const id = (key: string) => orgs[key]!.id;

  const tender = async (
    title: string,
    organizer: string,
    deliveryCity: string,
    estimate: string,
    extra: Partial<TenderInput> = {},
  ): Promise<string | null> => {
    const [exists] = await db.query<{ id: string }[]>(
      'SELECT id FROM tenders WHERE title = $1 AND organizer_id = $2',
      [title, id(organizer)],
    );
    if (exists) return null;
    const input: TenderInput = {
      title,
      description: `${title}. Демонстрационная закупка.`,
      currency: 'RUB',
      method: 'open',
      tenderEnd: new Date(Date.now() + 14 * DAY),
      lots: [
        {
          title: 'Бумага офисная A4',
          estimate,
          items: [
            {
              description: 'Бумага офисная для лазерных принтеров A4, 80 г/м², 500 листов',
              cpvCode: '30197630-1',
              unitCode: 'XPK',
              quantity: '1000',
              deliveryCityId: await city(deliveryCity),
              deliveryDate: new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10),
            },
          ],
        },
      ],
      ...extra,
    };
    const tenderId = await drafts.create(id(organizer), input);
    // Each other buyer of a joint tender confirms its part before the organiser publishes.
    for (const buyerId of input.jointBuyerIds ?? []) await drafts.confirmParticipation(buyerId, tenderId, 1);
    await drafts.publish(id(organizer), tenderId);
    return tenderId;
  };
  const lotOf = async (tenderId: string) =>
    (
      await db.query<{ id: string }[]>('SELECT id FROM lots WHERE tender_id = $1 ORDER BY number', [tenderId])
    )[0]!.id;
  const bid = async (supplier: string, tenderId: string, price: string) =>
    bids.place(id(supplier), tenderId, { currency: 'RUB', lots: [{ lotId: await lotOf(tenderId), price }] });
  /** Moves the deadline into the past (demo only) and closes the tender as the worker would. */
  const close = async (tenderId: string) => {
    await db.query(`UPDATE tenders SET tender_end = now() - interval '1 second' WHERE id = $1`, [tenderId]);
    await closing.closeDue(1, [tenderId]);
  };
  /** An offer of the supplier for the catalogue item, delivering across Russia, unless it has one. */
  const paperOffer = async (supplier: string, itemId: string) => {
    const [held] = await db.query<{ id: string }[]>(
      `SELECT id FROM catalog_offers WHERE item_id = $1 AND supplier_organization_id = $2 AND status = 'active'`,
      [itemId, id(supplier)],
    );
    if (held) return;
    const [user] = await db.query<{ id: string }[]>(
      'SELECT id FROM users WHERE organization_id = $1 ORDER BY created_at LIMIT 1',
      [id(supplier)],
    );
    await app
      .get(OffersService)
      .create({ userId: user!.id, organizationId: id(supplier), role: 'supplier' }, itemId, {
        price: '430.00',
        currency: 'RUB',
        vatIncluded: true,
        deliveryArea: { countries: ['RU'] },
        leadTimeDays: 5,
        validUntil: new Date(Date.now() + 365 * DAY).toISOString(),
      });
  };
  const pendingAward = async (tenderId: string) =>
    (
      await db.query<{ id: string }[]>(`SELECT id FROM awards WHERE tender_id = $1 AND status = 'pending'`, [
        tenderId,
      ])
    )[0]!.id;

  // Enquiries: questions may be asked, no bids yet.
  const enquiries = await tender(
    'Бумага для школ Казани, 2027 (уточнения)',
    'kazan-buyer',
    'kazan',
    '480000.00',
    {
      enquiryEnd: new Date(Date.now() + 5 * DAY),
    },
  );
  if (enquiries) {
    await app
      .get(TenderClarificationsService)
      .ask(id('paper-kazan'), enquiries, 'Допускается ли бумага из вторсырья?', null);
  }

  // Tendering: sealed bids arriving.
  const tendering = await tender(
    'Бумага офисная для управ Москвы, I квартал 2027',
    'moscow-buyer',
    'moscow',
    '950000.00',
  );
  if (tendering) {
    await bid('paper-moscow', tendering, '910000.00');
    await bid('sib-supply', tendering, '899000.00');
  }

  // Qualification, with a local preference (country, 15%): the local bid wins although it is dearer.
  const qualification = await tender(
    'Бумага для поликлиник Москвы (преференция)',
    'moscow-buyer',
    'moscow',
    '300000.00',
    {
      localPreference: { scope: 'country', percent: '15' },
    },
  );
  if (qualification) {
    await bid('office-almaty', qualification, '250000.00');
    await bid('paper-moscow', qualification, '280000.00');
    await close(qualification);
  }

  // Awarded: accepted, stand-still running, a complaint pending.
  const awarded = await tender('Бумага для библиотек Минска', 'minsk-buyer', 'minsk', '200000.00');
  if (awarded) {
    await bid('print-minsk', awarded, '185000.00');
    await bid('paper-kazan', awarded, '191000.00');
    await close(awarded);
    const awardId = await pendingAward(awarded);
    await awards.accept(id('minsk-buyer'), awarded, awardId);
    // The runner-up complains during the stand-still: the contract waits for an operator's decision.
    await app
      .get(ComplaintsService)
      .file(
        id('paper-kazan'),
        awarded,
        awardId,
        'Образцы победителя не соответствуют плотности 80 г/м², указанной в документации',
      );
  }

  // Complete: a joint purchase of Moscow and Kazan, one contract per city.
  const joint = await tender(
    'Совместная закупка бумаги: Москва и Казань',
    'moscow-buyer',
    'kazan',
    '600000.00',
    {
      jointBuyerIds: [id('kazan-buyer')],
      lots: [
        {
          title: 'Бумага A4 для двух городов',
          estimate: '600000.00',
          shares: [
            { buyerId: id('moscow-buyer'), amount: '400000.00' },
            { buyerId: id('kazan-buyer'), amount: '200000.00' },
          ],
          items: [
            {
              description: 'Бумага офисная A4, 80 г/м²',
              cpvCode: '30197630-1',
              unitCode: 'XPK',
              quantity: '3000',
              quantities: [
                { buyerId: id('moscow-buyer'), quantity: '2000' },
                { buyerId: id('kazan-buyer'), quantity: '1000' },
              ],
              deliveryCityId: await city('kazan'),
              deliveryDate: new Date(Date.now() + 45 * DAY).toISOString().slice(0, 10),
            },
          ],
        },
      ],
    },
  );
  if (joint) {
    await bid('paper-kazan', joint, '540000.00');
    await bid('paper-moscow', joint, '565000.00');
    await close(joint);
    await awards.accept(id('moscow-buyer'), joint, await pendingAward(joint));
    await db.query(`UPDATE awards SET standstill_end = now() - interval '1 second' WHERE tender_id = $1`, [
      joint,
    ]);
    const contracts = await db.query<{ id: string; buyer_id: string }[]>(
      'SELECT id, buyer_id FROM contracts WHERE tender_id = $1',
      [joint],
    );
    for (const contract of contracts) {
      await awards.sign(contract.buyer_id, contract.id);
      await awards.confirm(id('paper-kazan'), contract.id);
    }
  }

  // Cancelled, with a reason.
  const cancelled = await tender('Бумага для выборов (отменена)', 'almaty-buyer', 'almaty', '150000.00');
  if (cancelled) {
    await app
      .get(TenderAmendmentsService)
      .cancel(id('almaty-buyer'), cancelled, 'Потребность отпала: закупка объединена с городской');
  }

  // Red flags for auditors: two suppliers offering the very same price, the winner within 1% of the estimate,
  // and the lowest bid rejected in favour of a dearer one.
  const suspicious = await tender(
    'Картриджи для принтеров управ Казани',
    'kazan-buyer',
    'kazan',
    '250000.00',
  );
  if (suspicious) {
    await bid('paper-kazan', suspicious, '248900.00');
    await bid('sib-supply', suspicious, '248900.00');
    await bid('print-minsk', suspicious, '249500.00');
    await close(suspicious);
    await awards.reject(
      id('kazan-buyer'),
      suspicious,
      await pendingAward(suspicious),
      'Сертификаты не приложены',
    );
  }

  // Quotation sessions over a catalogue card of office paper, open to the suppliers with an offer for it: one
  // taking bids, one whose lowest price won automatically at its closing.
  const [paper] = await db.query<{ id: string; title_ru: string }[]>(
    `SELECT id, title_ru FROM catalog_items
      WHERE status = 'active' AND classification_code = '30197630-1' AND unit_code = 'XPK' ORDER BY id LIMIT 1`,
  );
  if (paper) {
    for (const supplier of ['paper-moscow', 'paper-kazan', 'sib-supply'])
      await paperOffer(supplier, paper.id);
    const moscow = await city('moscow');
    const quotation = (title: string, hours: number) =>
      tender(title, 'moscow-buyer', 'moscow', '50000.00', {
        method: 'quotation',
        tenderEnd: new Date(Date.now() + hours * 3_600_000),
        lots: [
          {
            title: paper.title_ru.slice(0, 200),
            estimate: '50000.00',
            items: [
              {
                catalogItemId: paper.id,
                description: paper.title_ru,
                cpvCode: '30197630-1',
                unitCode: 'XPK',
                quantity: '100',
                deliveryCityId: moscow,
                deliveryDate: new Date(Date.now() + 14 * DAY).toISOString().slice(0, 10),
              },
            ],
          },
        ],
      });
    const open = await quotation('Котировочная сессия: бумага для ЗАГСов Москвы', 48);
    if (open) await bid('paper-moscow', open, '42000.00');
    const decided = await quotation('Котировочная сессия: бумага для МФЦ Москвы', 24);
    if (decided) {
      await bid('paper-moscow', decided, '44500.00');
      await bid('sib-supply', decided, '43900.00');
      await close(decided);
    }
  }

  // An electronic auction: at its deadline the live auction starts with the bids still sealed, prices are lowered
  // by its 1% step, and the worker ends it AUCTION_ROUND_SECONDS after the last lead, opening the bids and giving
  // the lowest last price the pending award.
  const auction = await tender(
    'Электронный аукцион: бумага для библиотек Казани',
    'kazan-buyer',
    'kazan',
    '480000.00',
    { method: 'auction', auctionStepPercent: '1' },
  );
  if (auction) {
    await bid('paper-kazan', auction, '455000.00');
    await bid('sib-supply', auction, '449000.00');
    await bid('paper-moscow', auction, '460000.00');
    await close(auction);
    const lotId = await lotOf(auction);
    const auctions = app.get(AuctionService);
    await auctions.placeBid(id('paper-kazan'), auction, { lotId, price: '444000.00' });
    await auctions.placeBid(id('sib-supply'), auction, { lotId, price: '439000.00' });
  }

  // Unsuccessful: a single bid where two were required.
  const unsuccessful = await tender('Бумага для архивов Алматы', 'almaty-buyer', 'almaty', '120000.00', {
    minBids: 2,
  });
  if (unsuccessful) {
    await bid('office-almaty', unsuccessful, '119500.00');
    await close(unsuccessful);
  }

  // A direct purchase after that failure: reported with its supplier, reason and rationale, awarded at once.
  const [failed] = await db.query<{ id: string }[]>(
    `SELECT id FROM tenders WHERE title = 'Бумага для архивов Алматы' AND organizer_id = $1 AND status = 'unsuccessful'`,
    [id('almaty-buyer')],
  );
  if (failed) {
    await tender('Бумага для архивов Алматы (прямая закупка)', 'almaty-buyer', 'almaty', '119000.00', {
      method: 'direct',
      tenderEnd: null,
      directAward: {
        supplierId: id('office-almaty'),
        reason: 'failed_competition',
        rationale: 'Конкурс не состоялся: подана одна заявка при минимуме в две; закупка у её участника',
        relatedTenderId: failed.id,
      },
    });
  }
}
