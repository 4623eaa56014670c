import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { City } from '../cities/city.entity';

export const ORGANIZATION_KINDS = ['buyer', 'supplier', 'auditor', 'operator'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const ORGANIZATION_STATUSES = ['pending', 'active', 'suspended'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

@Entity({ name: 'organizations' })
@Check('ck_organizations_kind', `"kind" IN ('buyer', 'supplier', 'auditor', 'operator')`)
@Check(
  'ck_organizations_tax_id',
  `"kind" = 'operator' OR ("tax_scheme" IS NOT NULL AND "tax_id" IS NOT NULL)`,
)
@Check('ck_organizations_status', `"status" IN ('pending', 'active', 'suspended')`)
@Index('uq_organizations_tax_id', ['taxScheme', 'taxId'], { unique: true })
@Index('ix_organizations_kind_status_created', ['kind', 'status', 'createdAt', 'id'])
@Index('ix_organizations_status_created', ['status', 'createdAt', 'id'])
@Index('ix_organizations_created', ['createdAt', 'id'])
// Suppliers that are not active (few): partial, defined in the migration; the catalogue search reads it.
@Index('ix_organizations_inactive_suppliers', { synchronize: false })
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  @Column({ name: 'legal_name', type: 'text' })
  legalName: string;

  /** Null only for the platform operator's own organisation. */
  @Column({ name: 'tax_scheme', type: 'text', nullable: true })
  taxScheme: string | null;

  @Column({ name: 'tax_id', type: 'text', nullable: true })
  taxId: string | null;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Index('ix_organizations_city')
  @Column({ name: 'city_id', type: 'uuid' })
  cityId: string;

  @ManyToOne(() => City, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'city_id', foreignKeyConstraintName: 'fk_organizations_city' })
  city?: City;

  @Column({ type: 'boolean', default: false })
  sme: boolean;

  @Column({ type: 'text', default: 'pending' })
  status: OrganizationStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
