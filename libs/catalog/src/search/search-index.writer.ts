import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Keeps the search tables in step with items. Called inside the transaction that changes an item, so a
 * search row exists exactly while its item is active.
 */
@Injectable()
export class SearchIndexWriter {
  /** Writes (or rewrites) the search row of an active item and adds its title words to the typo lexicon. */
  async index(manager: EntityManager, itemId: string): Promise<void> {
    await this.lockRow(manager, itemId);
    await manager.query(
      `INSERT INTO catalog_search_entries (item_id, document, cpv_code, published_at, offer_keys)
       SELECT i.id, catalog_search_document(i.title_ru, i.title_en, i.description_ru, i.description_en,
         c.name_ru, c.name_en), i.classification_code, i.published_at, catalog_offer_keys(i.id)
       FROM catalog_items i
       JOIN classifications c ON c.scheme = i.classification_scheme AND c.code = i.classification_code
       WHERE i.id = $1 AND i.status = 'active'
       ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document, cpv_code = EXCLUDED.cpv_code,
         published_at = EXCLUDED.published_at, offer_keys = EXCLUDED.offer_keys`,
      [itemId],
    );
    await manager.query(
      `INSERT INTO catalog_search_words (word)
       SELECT DISTINCT w FROM catalog_items i,
         regexp_split_to_table(lower(i.title_ru || ' ' || coalesce(i.title_en, '')), '[^[:alpha:]]+') AS w
       WHERE i.id = $1 AND length(w) BETWEEN 3 AND 40
       ON CONFLICT DO NOTHING`,
      [itemId],
    );
  }

  /** Rewrites the offer keys of an item's search row after one of its offers changed. */
  async refreshOffers(manager: EntityManager, itemId: string): Promise<void> {
    await this.lockRow(manager, itemId);
    await manager.query(
      `UPDATE catalog_search_entries SET offer_keys = catalog_offer_keys(item_id) WHERE item_id = $1`,
      [itemId],
    );
  }

  /**
   * Locks the item's search row, if it has one, before the statement that computes its offer keys: that statement
   * then reads the offers with a snapshot taken after every other writer of the row committed. Computed in the
   * statement that waits for the lock, they would come from its snapshot taken before the wait, and a concurrent
   * change to another offer of the item (committed meanwhile) would be lost from the keys, and so from search.
   */
  private async lockRow(manager: EntityManager, itemId: string): Promise<void> {
    await manager.query(`SELECT 1 FROM catalog_search_entries WHERE item_id = $1 FOR UPDATE`, [itemId]);
  }

  async remove(manager: EntityManager, itemId: string): Promise<void> {
    await manager.query(`DELETE FROM catalog_search_entries WHERE item_id = $1`, [itemId]);
  }
}
