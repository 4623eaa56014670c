import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TenderClosingService } from '@app/domain';
import { eventually } from '../setup/eventually';
import { type Actor, actorOf } from './actors';

export const PAPER_CPV = '30197630-1';

/** A delivery date (YYYY-MM-DD) this many days from now: after any deadline the tests set. */
export const deliveryDay = (daysAhead = 90) =>
  new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);

/** A valid open tender body: one lot of office paper delivered to the given city, after the deadline. */
export function tenderBody(
  cityId: string,
  overrides: Record<string, unknown> = {},
  secondsToDeadline = 3600,
) {
  return {
    title: 'Office paper for city schools',
    description: 'A4 office paper, 80 g/m2',
    currency: 'RUB',
    method: 'open',
    tenderPeriod: { endDate: new Date(Date.now() + secondsToDeadline * 1000).toISOString() },
    lots: [
      {
        title: 'Paper A4',
        estimate: '100000.00',
        items: [
          {
            description: 'Бумага офисная A4, 500 листов',
            classification: { scheme: 'CPV', id: PAPER_CPV },
            unitCode: 'XPK',
            quantity: '200',
            deliveryCityId: cityId,
            deliveryDate: deliveryDay(Math.max(90, Math.ceil(secondsToDeadline / 86_400) + 30)),
          },
        ],
      },
    ],
    ...overrides,
  };
}

/**
 * A joint tender body of one lot and one item: the first buyer organises, the others join; each has its share of
 * the lot's estimate (100000.00) and its quantity of the item (200 in all), in the order given.
 */
export function jointTenderBody(
  cityId: string,
  parts: { buyerId: string; share: string; quantity: string }[],
  overrides: Record<string, unknown> = {},
  secondsToDeadline = 3600,
) {
  const joint = { jointBuyerIds: parts.slice(1).map((p) => p.buyerId), ...overrides };
  const body = tenderBody(cityId, joint, secondsToDeadline) as any;
  body.lots[0].shares = parts.map((p) => ({ buyerId: p.buyerId, amount: p.share }));
  body.lots[0].items[0].quantities = parts.map((p) => ({ buyerId: p.buyerId, quantity: p.quantity }));
  return body;
}

/** Drives tenders through the real HTTP API. */
export class TenderFlows {
  constructor(private readonly app: INestApplication) {}

  private get http() {
    return request(this.app.getHttpServer());
  }

  /** Each joint buyer reads the draft and confirms its part of that revision, by the actor made for it. */
  async confirmJointBuyers(tenderId: string, buyerIds: string[]): Promise<void> {
    for (const buyerId of buyerIds) {
      const actor = actorOf(buyerId);
      if (!actor) throw new Error(`no test actor for joint buyer ${buyerId}`);
      const draft = await this.http.get(`/api/v1/tenders/${tenderId}/draft`).set(auth(actor));
      if (draft.status !== 200) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
      const res = await this.http
        .post(`/api/v1/tenders/${tenderId}/participation`)
        .set(auth(actor))
        .send({ revision: draft.body.revision });
      if (res.status !== 204) throw new Error(`participation: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  async publish(buyer: Actor, body: Record<string, unknown>): Promise<any> {
    const draft = await this.http.post('/api/v1/tenders').set(auth(buyer)).send(body);
    if (draft.status !== 201) throw new Error(`create: ${draft.status} ${JSON.stringify(draft.body)}`);
    await this.confirmJointBuyers(draft.body.id, (body.jointBuyerIds as string[] | undefined) ?? []);
    const published = await request(this.app.getHttpServer())
      .post(`/api/v1/tenders/${draft.body.id}/publish`)
      .set(auth(buyer));
    if (published.status !== 200)
      throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    return published.body;
  }

  async bid(
    supplier: Actor,
    tender: any,
    prices: string[],
    documents?: { title: string; url: string; sha256: string }[],
  ): Promise<any> {
    const res = await request(this.app.getHttpServer())
      .post(`/api/v1/tenders/${tender.id}/bids`)
      .set(auth(supplier))
      .send({
        currency: tender.currency,
        lots: prices.map((price, i) => ({ lotId: tender.lots[i].id, price })),
        ...(documents ? { documents } : {}),
      });
    if (res.status !== 201) throw new Error(`bid: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Accepts the tender's pending award as its organiser; returns the contracts the acceptance created. */
  async acceptAward(buyer: Actor, tender: any): Promise<any[]> {
    const http = () => request(this.app.getHttpServer());
    const awards = (await http().get(`/api/v1/tenders/${tender.id}/awards`)).body.items as any[];
    const pending = awards.find((a) => a.status === 'pending');
    if (!pending) throw new Error(`no pending award: ${JSON.stringify(awards)}`);
    const res = await http()
      .post(`/api/v1/tenders/${tender.id}/awards/${pending.id}/accept`)
      .set(auth(buyer));
    if (res.status !== 204) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
    const contracts = (await http().get(`/api/v1/tenders/${tender.id}/contracts`)).body.items as any[];
    return contracts.filter((c) => c.awardId === pending.id);
  }

  /**
   * Waits for the deadline, closes due tenders the way the worker does, and waits until the tender has left
   * active.tendering: a worker running in the same test may hold the row (SKIP LOCKED) and close it itself.
   */
  async closeAfterDeadline(tender: any): Promise<void> {
    const wait = new Date(tender.tenderPeriod.endDate).getTime() - Date.now() + 50;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const db = this.app.get(DataSource);
    await eventually(async () => {
      await this.app.get(TenderClosingService).closeDue(100, [tender.id]);
      const [row] = await db.query<{ status: string }[]>('SELECT status FROM tenders WHERE id = $1', [
        tender.id,
      ]);
      return row?.status === 'active.tendering' ? undefined : true;
    }, 10_000);
  }
}

export const auth = (actor: Actor) => ({ Authorization: `Bearer ${actor.accessToken}` });
