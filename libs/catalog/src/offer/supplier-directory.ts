import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AreaCity } from './delivery-area';

export interface SupplierFacts {
  id: string;
  kind: string;
  status: string;
  cityId: string;
  country: string;
}

/**
 * What the catalogue reads of organisations and cities, by plain SQL: the catalogue does not depend on the
 * domain library, and it only ever reads these tables.
 */
@Injectable()
export class SupplierDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async organization(id: string, m: EntityManager = this.dataSource.manager): Promise<SupplierFacts | null> {
    const [row] = await m.query<SupplierFacts[]>(
      `SELECT id, kind, status, city_id AS "cityId", country FROM organizations WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async city(id: string): Promise<AreaCity | null> {
    const [row] = await this.dataSource.query<AreaCity[]>(
      `SELECT id, country, region FROM cities WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The ids among these that are member cities. */
  async knownCities(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM cities WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Regions ("country:region") and countries that have at least one member city. */
  async knownRegionsAndCountries(): Promise<{ regions: Set<string>; countries: Set<string> }> {
    const rows: { country: string; region: string }[] = await this.dataSource.query(
      `SELECT DISTINCT country, region FROM cities`,
    );
    return {
      regions: new Set(rows.map((r) => `${r.country}:${r.region}`)),
      countries: new Set(rows.map((r) => r.country)),
    };
  }
}
