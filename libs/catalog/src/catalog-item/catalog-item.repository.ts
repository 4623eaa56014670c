import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CatalogActor } from '../common/actor';
import type { CatalogItemAction, FieldChanges } from './catalog-item-version.entity';
import { CatalogItem } from './catalog-item.entity';
import { CatalogItemNotFoundError, ProposerNotActiveError } from './catalog-item.errors';

/**
 * Writes of catalogue items inside a caller's transaction. Invariant: every change of an item bumps its version
 * and appends the version row (who, what, why) in the same transaction.
 */
@Injectable()
export class CatalogItemRepository {
  /** The item, locked against concurrent changes until the transaction ends. */
  async lock(m: EntityManager, id: string): Promise<CatalogItem> {
    const item = await m
      .getRepository(CatalogItem)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!item) throw new CatalogItemNotFoundError('No catalogue item with this id', { id });
    return item;
  }

  /** Whether an item has offers not withdrawn: their prices are per its unit. */
  async hasOffers(m: EntityManager, id: string): Promise<boolean> {
    const [row] = await m.query<{ has: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM catalog_offers WHERE item_id = $1 AND status <> 'withdrawn') AS has`,
      [id],
    );
    return row?.has === true;
  }

  load(m: EntityManager, id: string): Promise<CatalogItem> {
    return m.getRepository(CatalogItem).findOneOrFail({ where: { id } });
  }

  /** Applies the change and returns the item's new version number. */
  async change(m: EntityManager, id: string, set: QueryDeepPartialEntity<CatalogItem>): Promise<number> {
    await m.getRepository(CatalogItem).update({ id }, { ...set, version: () => 'version + 1' });
    const [row] = await m.query<{ version: number }[]>(`SELECT version FROM catalog_items WHERE id = $1`, [
      id,
    ]);
    return row?.version ?? 0;
  }

  async record(
    m: EntityManager,
    itemId: string,
    version: number,
    action: CatalogItemAction,
    actor: CatalogActor,
    changes: FieldChanges,
    reason: string | null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO catalog_item_versions
         (item_id, version, action, actor_user_id, actor_organization_id, actor_role, changes, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [
        itemId,
        version,
        action,
        actor.userId,
        actor.organizationId,
        actor.role,
        JSON.stringify(changes),
        reason,
      ],
    );
  }
}

/**
 * A proposer's organisation must be active to propose, edit or submit an item, as to offer a price: a pending
 * (not yet verified) or suspended organisation cannot fill the moderation queue. Share-locked until the
 * transaction ends, so a suspension waits for the change or sees it. Operators moderate whatever their status.
 */
export async function assertActiveProposer(m: EntityManager, actor: CatalogActor): Promise<void> {
  if (actor.role === 'operator') return;
  const [org] = await m.query<{ status: string }[]>(
    `SELECT status FROM organizations WHERE id = $1 FOR SHARE`,
    [actor.organizationId],
  );
  if (org?.status !== 'active') {
    throw new ProposerNotActiveError('Only an active organisation may propose or edit catalogue items', {
      status: org?.status ?? null,
    });
  }
}

/** Active items, and archived ones that once were, are public; the rest is its proposer's and the moderators'. */
export function isPublicItem(item: CatalogItem): boolean {
  return item.status === 'active' || (item.status === 'archived' && item.publishedAt !== null);
}

/**
 * Another organisation's item that was never published is answered as an unknown id: refusing it as not owned
 * would tell that it exists.
 */
export function assertPublic(item: CatalogItem): void {
  if (!isPublicItem(item))
    throw new CatalogItemNotFoundError('No catalogue item with this id', { id: item.id });
}
