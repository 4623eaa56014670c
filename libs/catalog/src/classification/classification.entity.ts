import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One code of a classification scheme (CPV today; ОКПД2 or КТРУ can be added as further schemes).
 * Reference data loaded by a migration; never written by the application.
 */
@Entity({ name: 'classifications' })
@Index('ix_classifications_parent', ['scheme', 'parentCode'])
// Prefix search over codes (text_pattern_ops) and word search over both names (GIN): defined in the migration.
@Index('ix_classifications_code_pattern', { synchronize: false })
@Index('ix_classifications_names_fts', { synchronize: false })
export class Classification {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_classifications' })
  scheme: string;

  /** For CPV, eight digits and the check digit: `30197630-1`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_classifications' })
  code: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode: string | null;

  @Column({ type: 'smallint' })
  level: number;

  @Column({ name: 'name_ru', type: 'text' })
  nameRu: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;
}
