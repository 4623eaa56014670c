import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { eventually } from '../setup/eventually';
import { Actor, ActorFactory } from './actors';
import { auth, jointTenderBody, TenderFlows, tenderBody } from './tenders';

/** Signed contracts through the real HTTP API: a one-item tender, one bid, closing, award, both signatures. */
export class ContractFactory {
  private readonly actors: ActorFactory;
  private readonly flows: TenderFlows;

  constructor(private readonly app: INestApplication) {
    this.actors = new ActorFactory(app);
    this.flows = new TenderFlows(app);
  }

  /**
   * A contract at `price` for 200 packs of paper delivered to the city (`item` overrides fields of the tender's
   * item, such as its catalogItemId), signed by the buyer and confirmed by the supplier. Returns its id.
   */
  async signed(
    cityCode: string,
    cityId: string,
    price: string,
    item: Record<string, unknown> = {},
  ): Promise<string> {
    const buyer = await this.actors.actor('buyer', { cityCode });
    const supplier = await this.actors.actor('supplier');
    const body = tenderBody(cityId, {}, 2);
    Object.assign(body.lots[0]!.items[0]!, item);
    const tender = await this.flows.publish(buyer, body);
    const [contractId] = await this.award(tender, price, buyer, supplier, [buyer]);
    return contractId!;
  }

  /**
   * A contract at `price` for one lot of several items delivered to the city, each the tender's paper item with
   * the fields given (such as its quantity), signed and confirmed. Returns its id.
   */
  async signedItems(
    cityCode: string,
    cityId: string,
    price: string,
    items: Record<string, unknown>[],
  ): Promise<string> {
    const buyer = await this.actors.actor('buyer', { cityCode });
    const supplier = await this.actors.actor('supplier');
    const body = tenderBody(cityId, {}, 2);
    const [item] = body.lots[0]!.items;
    body.lots[0]!.items = items.map((fields) => ({ ...item!, ...fields }));
    const tender = await this.flows.publish(buyer, body);
    const [contractId] = await this.award(tender, price, buyer, supplier, [buyer]);
    return contractId!;
  }

  /**
   * A joint purchase of 200 packs of paper delivered to the city: two buyers, each with its quantity and its share
   * of the 100,000.00 estimate, one bid at `price`, one contract per buyer, each signed and confirmed. Returns the
   * contract ids.
   */
  async signedJoint(
    cityId: string,
    price: string,
    parts: [
      { cityCode: string; quantity: string; share: string },
      { cityCode: string; quantity: string; share: string },
    ],
  ): Promise<string[]> {
    const buyers = await Promise.all(parts.map((p) => this.actors.actor('buyer', { cityCode: p.cityCode })));
    const supplier = await this.actors.actor('supplier');
    const body = jointTenderBody(
      cityId,
      parts.map((p, i) => ({ buyerId: buyers[i]!.organization.id, share: p.share, quantity: p.quantity })),
      {},
      2,
    );
    const tender = await this.flows.publish(buyers[0]!, body);
    return this.award(tender, price, buyers[0]!, supplier, buyers);
  }

  /** One bid at `price`, the closing, the award accepted by the organiser, each contract signed by its buyer. */
  private async award(
    tender: { id: string; lots: { id: string }[] },
    price: string,
    organiser: Actor,
    supplier: Actor,
    buyers: Actor[],
  ): Promise<string[]> {
    const http = () => request(this.app.getHttpServer());
    await this.flows.bid(supplier, tender, [price]);
    await this.flows.closeAfterDeadline(tender);
    // A worker's closing sweep may be closing it at the same moment: wait for the award either way.
    const award = await eventually(async () => {
      const res = await http().get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
      return res.body.items[0] as { id: string } | undefined;
    }, 10_000);
    await http()
      .post(`/api/v1/tenders/${tender.id}/awards/${award.id}/accept`)
      .set(auth(organiser))
      .expect(204);
    const contracts = await http().get(`/api/v1/tenders/${tender.id}/contracts`).expect(200);
    const ids: string[] = [];
    for (const contract of contracts.body.items as { id: string; buyerId: string }[]) {
      const buyer = buyers.find((b) => b.organization.id === contract.buyerId)!;
      // Signing opens after the one-second test stand-still.
      await eventually(async () => {
        const res = await http().post(`/api/v1/contracts/${contract.id}/sign`).set(auth(buyer));
        return res.status === 204 ? true : undefined;
      }, 10_000);
      await http().post(`/api/v1/contracts/${contract.id}/confirm`).set(auth(supplier)).expect(204);
      ids.push(contract.id);
    }
    return ids;
  }
}
