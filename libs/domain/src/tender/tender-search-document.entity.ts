import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Tender } from './tender.entity';

/**
 * The words of a tender's title and description, for the public list's word search: a table of its own, so that
 * a change of status (publication, closing, award, cancellation) writes no entry of these GIN indexes and
 * computes no text search vector; only a change of the title or the description does.
 * Invariant: kept by triggers on tenders (insert, and an update that changes the title or the description), in
 * the statement that writes the tender, whichever code writes it.
 */
@Entity({ name: 'tender_search_documents' })
// GIN over each vector: defined in the migration.
@Index('ix_tender_search_documents_ru', { synchronize: false })
@Index('ix_tender_search_documents_en', { synchronize: false })
export class TenderSearchDocument {
  @ForeignKey(() => Tender, { name: 'fk_tender_search_documents_tender', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'tender_id', type: 'uuid', primaryKeyConstraintName: 'pk_tender_search_documents' })
  tenderId: string;

  /** to_tsvector('russian', title || ' ' || description). */
  @Column({ name: 'document_ru', type: 'tsvector', select: false })
  documentRu: string;

  /** to_tsvector('english', title || ' ' || description). */
  @Column({ name: 'document_en', type: 'tsvector', select: false })
  documentEn: string;
}
