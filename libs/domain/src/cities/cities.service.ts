import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { City } from './city.entity';

export interface CityFilter {
  country?: string;
  limit?: number;
  cursor?: string;
}

@Injectable()
export class CitiesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Member cities ordered by code, paged by code. */
  async list(filter: CityFilter): Promise<Page<City>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource
      .getRepository(City)
      .createQueryBuilder('c')
      .orderBy('c.code', 'ASC')
      .take(limit + 1);
    if (filter.country) qb.andWhere('c.country = :country', { country: filter.country });
    if (filter.cursor) {
      const [code] = decodeCursor(filter.cursor, ['text']);
      qb.andWhere('c.code > :code', { code });
    }
    return toPage(await qb.getMany(), limit, (c) => [c.code]);
  }

  async get(id: string): Promise<City> {
    const city = await this.dataSource.getRepository(City).findOne({ where: { id } });
    if (!city) throw new NotFoundError('No member city with this id', { id });
    return city;
  }
}
