import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A member city of the marketplace; deadlines of its buyers are shown in its time zone. */
@Entity({ name: 'cities' })
export class City {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_cities_code', { unique: true })
  @Column({ type: 'text' })
  code: string;

  @Column({ name: 'name_ru', type: 'text' })
  nameRu: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  /** ISO 3166-1 alpha-2. */
  @Index('ix_cities_country')
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text' })
  region: string;

  /** IANA time zone name. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
