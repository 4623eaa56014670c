import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  City,
  makeValidTaxId,
  Organization,
  type OrganizationKind,
  OrganizationsService,
  type Role,
  ROLES,
  TAX_ID_SCHEME_COUNTRY,
  type TaxIdScheme,
} from '@app/domain';

let sequence = Math.floor(Math.random() * 100_000);
export const nextSeq = () => ++sequence;

export interface Actor {
  organization: Organization;
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Every actor made in this test file, by organisation: flows act for a joint tender's other buyers with them. */
const actorsByOrganization = new Map<string, Actor>();

/** The actor made for an organisation (the last one, if several), or undefined. */
export const actorOf = (organizationId: string): Actor | undefined =>
  actorsByOrganization.get(organizationId);

/** The tax id scheme each member country issues. */
const SCHEME_OF_COUNTRY = new Map(
  Object.entries(TAX_ID_SCHEME_COUNTRY).map(([scheme, country]) => [country, scheme as TaxIdScheme]),
);

/** Builds organisations and signed-in users through the real services and the real login endpoint. */
export class ActorFactory {
  constructor(private readonly app: INestApplication) {}

  city(code = 'moscow'): Promise<City> {
    return this.app.get(DataSource).getRepository(City).findOneOrFail({ where: { code } });
  }

  async organizationInput(cityCode = 'moscow') {
    const city = await this.city(cityCode);
    const scheme = SCHEME_OF_COUNTRY.get(city.country) ?? 'RU-INN';
    const n = nextSeq();
    return {
      legalName: `Test organisation ${n}`,
      taxId: { scheme, id: makeValidTaxId(scheme, n) },
      country: city.country,
      cityId: city.id,
      sme: n % 2 === 0,
    };
  }

  userInput() {
    const n = nextSeq();
    return {
      email: `user${n}@example.test`,
      fullName: `Test User ${n}`,
      password: `password-${n}-long-enough`,
    };
  }

  /** An organisation of the given kind with one signed-in user; active unless told otherwise. */
  async actor(
    kind: Exclude<OrganizationKind, 'operator'> | 'operator',
    options: { status?: 'pending' | 'active' | 'suspended'; cityCode?: string } = {},
  ): Promise<Actor> {
    const service = this.app.get(OrganizationsService);
    const user = this.userInput();
    let organization: Organization;
    let userId: string;
    if (kind === 'operator') {
      const created = await service.ensureOperator(user);
      userId = created.user.id;
      organization = await service.get(created.user.organizationId);
    } else {
      const created = await service.createByOperator(
        kind,
        await this.organizationInput(options.cityCode),
        user,
      );
      organization = created.organization;
      userId = created.user.id;
    }
    const tokens = await this.login(user.email, user.password);
    // Set in the database after signing in, so that a suspended actor holds tokens (an operator's suspension
    // would end them) and each service's own check of the status is what a test meets.
    const status = options.status ?? 'active';
    if (kind !== 'operator' && organization.status !== status) {
      await this.app.get(DataSource).getRepository(Organization).update({ id: organization.id }, { status });
      organization.status = status;
    }
    const actor = { organization, userId, email: user.email, password: user.password, ...tokens };
    actorsByOrganization.set(organization.id, actor);
    return actor;
  }

  /** An access token of a new actor of every role. */
  async tokenPerRole(): Promise<Record<Role, string>> {
    const tokens = {} as Record<Role, string>;
    for (const role of ROLES) tokens[role] = (await this.actor(role)).accessToken;
    return tokens;
  }

  async login(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const res = await request(this.app.getHttpServer()).post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { accessToken: string; refreshToken: string };
  }
}
