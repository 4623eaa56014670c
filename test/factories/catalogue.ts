import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Actor } from './actors';

export const PAPER_CPV = '30197630-1';

export interface ItemInput {
  titleRu: string;
  descriptionRu?: string;
  titleEn?: string;
  cpvCode?: string;
  unitCode?: string;
}

export interface OfferInput {
  price?: string;
  currency?: string;
  deliveryArea?: {
    cityIds?: string[];
    regions?: { country: string; region: string }[];
    countries?: string[];
  };
  validFrom?: string;
  validUntil?: string;
  minQuantity?: string;
  leadTimeDays?: number;
  vatIncluded?: boolean;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Catalogue items and offers through the real HTTP API, as their users would create them. */
export class CatalogueFactory {
  constructor(private readonly app: INestApplication) {}

  private get http() {
    return request(this.app.getHttpServer());
  }

  async propose(by: Actor, input: ItemInput, submit = true): Promise<{ id: string; status: string }> {
    const res = await this.http
      .post('/api/v1/catalogue/items')
      .auth(by.accessToken, { type: 'bearer' })
      .send({
        descriptionRu: `${input.titleRu}. Описание для проверки.`,
        cpvCode: PAPER_CPV,
        unitCode: 'XPK',
        ...input,
        submit,
      });
    if (res.status !== 201) throw new Error(`propose: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; status: string };
  }

  /** The version an operator reviews: the item as it reads it now in the moderation view. */
  async version(operator: Actor, id: string): Promise<number> {
    const res = await this.http
      .get(`/api/v1/catalogue/proposals/${id}`)
      .auth(operator.accessToken, { type: 'bearer' });
    if (res.status !== 200) throw new Error(`read: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.version;
  }

  async approve(operator: Actor, id: string): Promise<void> {
    const version = await this.version(operator, id);
    const res = await this.http
      .post(`/api/v1/catalogue/items/${id}/approve`)
      .auth(operator.accessToken, { type: 'bearer' })
      .send({ version });
    if (res.status !== 200) throw new Error(`approve: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** An active item: proposed by `by`, approved by `operator`. */
  async activeItem(by: Actor, operator: Actor, input: ItemInput): Promise<string> {
    const { id } = await this.propose(by, input);
    await this.approve(operator, id);
    return id;
  }

  async offer(supplier: Actor, itemId: string, input: OfferInput = {}): Promise<{ id: string }> {
    const res = await this.http
      .post(`/api/v1/catalogue/items/${itemId}/offers`)
      .auth(supplier.accessToken, { type: 'bearer' })
      .send({
        price: '100.00',
        currency: 'RUB',
        vatIncluded: true,
        leadTimeDays: 3,
        deliveryArea: { countries: [supplier.organization.country] },
        validUntil: inDays(30),
        ...input,
      });
    if (res.status !== 201) throw new Error(`offer: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  }
}

export { inDays };
