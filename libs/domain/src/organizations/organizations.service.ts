import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { roleForOrganization } from '../accounts/role';
import { SessionsService } from '../accounts/sessions.service';
import { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { City } from '../cities/city.entity';
import { isUniqueViolation } from '../database/pg-errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { Organization, OrganizationKind, OrganizationStatus } from './organization.entity';
import {
  CountryMismatchError,
  OrganizationKindNotAllowedError,
  OrganizationNotFoundError,
  OrganizationStatusConflictError,
  TaxIdInvalidError,
  TaxIdTakenError,
  UnknownCityError,
} from './organizations.errors';
import { checkTaxId, TAX_ID_SCHEME_COUNTRY, TaxIdScheme } from './tax-id';

export interface NewOrganization {
  legalName: string;
  taxId: { scheme: string; id: string };
  country: string;
  cityId: string;
  sme: boolean;
}

export interface FirstUser {
  email: string;
  fullName: string;
  password: string;
}

export interface OrganizationFilter {
  kind?: OrganizationKind;
  status?: OrganizationStatus;
  cityId?: string;
  limit?: number;
  cursor?: string;
}

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  /** A supplier registers itself: its organisation starts pending until an operator activates it. */
  registerSupplier(
    org: NewOrganization,
    user: FirstUser,
  ): Promise<{ organization: Organization; user: User }> {
    return this.createWithFirstUser('supplier', 'pending', org, user);
  }

  /** Buyers and auditors are created by an operator and are active at once. */
  createByOperator(
    kind: OrganizationKind,
    org: NewOrganization,
    user: FirstUser,
  ): Promise<{ organization: Organization; user: User }> {
    if (kind === 'operator') {
      throw new OrganizationKindNotAllowedError('Operator organisations are created from the command line', {
        field: 'kind',
      });
    }
    return this.createWithFirstUser(kind, kind === 'supplier' ? 'pending' : 'active', org, user);
  }

  /** Adds a user to an organisation with the organisation's role. */
  async addUser(organizationId: string, user: FirstUser): Promise<User> {
    const org = await this.get(organizationId);
    return this.dataSource.transaction((manager) =>
      this.users.create(manager, { ...user, organizationId: org.id, role: roleForOrganization(org.kind) }),
    );
  }

  /**
   * Creates the platform operator's organisation on first use and an operator user in it.
   * Idempotent on the email: an existing user with that email is returned unchanged.
   */
  async ensureOperator(user: FirstUser, cityCode = 'moscow'): Promise<{ user: User; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(72410002)');
      const existing = await manager.findOne(User, { where: { email: user.email.trim().toLowerCase() } });
      if (existing) return { user: existing, created: false };
      let org = await manager.findOne(Organization, {
        where: { kind: 'operator' },
        order: { createdAt: 'ASC' },
      });
      if (!org) {
        const city = await manager.findOne(City, { where: { code: cityCode } });
        if (!city) throw new UnknownCityError(`No member city with code ${cityCode}`, { field: 'city' });
        org = manager.create(Organization, {
          kind: 'operator',
          legalName: 'Marketplace operator',
          taxScheme: null,
          taxId: null,
          country: city.country,
          cityId: city.id,
          sme: false,
          status: 'active',
        });
        await manager.insert(Organization, org);
      }
      const created = await this.users.create(manager, { ...user, organizationId: org.id, role: 'operator' });
      return { user: created, created: true };
    });
  }

  /**
   * Activates or suspends an organisation (not the operator's). Suspending it signs its users out (see
   * SessionsService.revokeOrganization); what each of them may do is checked by the organisation's status.
   */
  async setStatus(id: string, status: 'active' | 'suspended', reason: string | null): Promise<Organization> {
    const org = await this.get(id);
    if (org.kind === 'operator') {
      throw new OrganizationStatusConflictError('The operator organisation cannot change status', {
        status: org.status,
      });
    }
    if (org.status === status) {
      // A suspension whose signing out failed part-way (Redis down) is finished by asking again.
      if (status === 'suspended') await this.sessions.revokeOrganization(id);
      throw new OrganizationStatusConflictError(`The organisation is already ${status}`, {
        status: org.status,
      });
    }
    // Compare and set: of two changes racing from the same status, one wins and the other is told.
    const { affected } = await this.dataSource
      .getRepository(Organization)
      .update({ id, status: org.status }, { status, statusReason: reason });
    if (affected === 0) {
      const now = await this.get(id);
      throw new OrganizationStatusConflictError(
        `The organisation's status changed meanwhile to ${now.status}`,
        {
          status: now.status,
        },
      );
    }
    // Signed-in users of a suspended organisation are signed out: their sessions and access tokens end now, and
    // sign-in and refresh refuse them while it stays suspended.
    if (status === 'suspended') await this.sessions.revokeOrganization(id);
    return this.get(id);
  }

  async get(id: string): Promise<Organization> {
    const org = await this.dataSource
      .getRepository(Organization)
      .findOne({ where: { id }, relations: { city: true } });
    if (!org) throw new OrganizationNotFoundError('No organisation with this id', { id });
    return org;
  }

  /** Lists organisations newest first with a stable cursor over (created_at, id). */
  async list(filter: OrganizationFilter): Promise<Page<Organization>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .leftJoinAndSelect('o.city', 'c')
      .orderBy('o.createdAt', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .take(limit + 1);
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.cityId) qb.andWhere('o.cityId = :cityId', { cityId: filter.cityId });
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, ['instant', 'uuid']);
      qb.andWhere('(o.createdAt, o.id) < (:createdAt::timestamptz, :id::uuid)', { createdAt, id });
    }
    const rows = await qb.getMany();
    return toPage(rows, limit, (o) => [o.createdAt.toISOString(), o.id]);
  }

  private async createWithFirstUser(
    kind: OrganizationKind,
    status: OrganizationStatus,
    input: NewOrganization,
    firstUser: FirstUser,
  ): Promise<{ organization: Organization; user: User }> {
    const checked = checkTaxId(input.taxId.scheme, input.taxId.id);
    if (!checked.ok) {
      throw new TaxIdInvalidError(checked.message, { field: 'organization.taxId', problem: checked.problem });
    }
    const scheme = input.taxId.scheme as TaxIdScheme;
    return this.dataSource.transaction(async (manager) => {
      const city = await manager.findOne(City, { where: { id: input.cityId } });
      if (!city) throw new UnknownCityError('No member city with this id', { field: 'organization.cityId' });
      this.assertCountries(input.country, city, scheme);
      const organization = manager.create(Organization, {
        kind,
        legalName: input.legalName.trim(),
        taxScheme: scheme,
        taxId: checked.normalized,
        country: input.country,
        cityId: city.id,
        sme: input.sme,
        status,
      });
      await this.insertOrganization(manager, organization);
      organization.city = city;
      const user = await this.users.create(manager, {
        ...firstUser,
        organizationId: organization.id,
        role: roleForOrganization(kind),
      });
      return { organization, user };
    });
  }

  private assertCountries(country: string, city: City, scheme: TaxIdScheme): void {
    if (city.country !== country) {
      throw new CountryMismatchError(`The city is in ${city.country}, not ${country}`, {
        field: 'organization.country',
      });
    }
    if (TAX_ID_SCHEME_COUNTRY[scheme] !== country) {
      throw new CountryMismatchError(`Tax scheme ${scheme} does not belong to ${country}`, {
        field: 'organization.taxId.scheme',
      });
    }
  }

  private async insertOrganization(manager: EntityManager, organization: Organization): Promise<void> {
    try {
      const result = await manager.insert(Organization, organization);
      organization.id = (result.identifiers[0] as { id: string }).id;
    } catch (error) {
      if (isUniqueViolation(error, 'uq_organizations_tax_id')) {
        throw new TaxIdTakenError('An organisation with this tax identifier is already registered', {
          field: 'organization.taxId',
        });
      }
      throw error;
    }
  }
}
