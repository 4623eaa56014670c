import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { eventually } from '../setup/eventually';
import { ActorFactory } from './actors';
import { auth, TenderFlows, tenderBody } from './tenders';

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
    const http = () => request(this.app.getHttpServer());
    const buyer = await this.actors.actor('buyer', { cityCode });
    const supplier = await this.actors.actor('supplier');
    const body = tenderBody(cityId, {}, 2);
    Object.assign(body.lots[0]!.items[0]!, item);
    const tender = await this.flows.publish(buyer, body);
    await this.flows.bid(supplier, tender, [price]);
    await this.flows.closeAfterDeadline(tender);
    // A worker's closing sweep may be closing it at the same moment: wait for the award either way.
    const award = await eventually(async () => {
      const res = await http().get(`/api/v1/tenders/${tender.id}/awards`).expect(200);
      return res.body.items[0] as { id: string } | undefined;
    }, 10_000);
    await http().post(`/api/v1/tenders/${tender.id}/awards/${award.id}/accept`).set(auth(buyer)).expect(204);
    const contracts = await http().get(`/api/v1/tenders/${tender.id}/contracts`).expect(200);
    const contractId = contracts.body.items[0].id as string;
    // Signing opens after the one-second test stand-still.
    await eventually(async () => {
      const res = await http().post(`/api/v1/contracts/${contractId}/sign`).set(auth(buyer));
      return res.status === 204 ? true : undefined;
    }, 10_000);
    await http().post(`/api/v1/contracts/${contractId}/confirm`).set(auth(supplier)).expect(204);
    return contractId;
  }
}
