import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CatalogActor } from '../common/actor';
import { CatalogValidationError } from '../errors/catalog-error';
import { SearchIndexWriter } from '../search/search-index.writer';
import type { CatalogItemAction, FieldChanges } from './catalog-item-version.entity';
import { CatalogItem, CatalogItemStatus } from './catalog-item.entity';
import {
  CatalogItemNotFoundError,
  CatalogItemNotOwnedError,
  CatalogItemStatusConflictError,
  CatalogItemUnitConflictError,
  CatalogItemVersionConflictError,
  MergeTargetInvalidError,
} from './catalog-item.errors';
import { assertActiveProposer, assertPublic, CatalogItemRepository } from './catalog-item.repository';

const MODERATORS = new Set(['operator']);

/**
 * The life of a catalogue item: draft -> pending -> active -> archived, with rejection back to draft and
 * merging of duplicates. Only operators moderate; transitions are decided under the item's row lock.
 */
@Injectable()
export class CatalogItemWorkflowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly items: CatalogItemRepository,
    private readonly searchIndex: SearchIndexWriter,
  ) {}

  /** A draft (new or rejected) goes to the moderation queue. */
  submit(actor: CatalogActor, id: string): Promise<CatalogItem> {
    return this.transition(actor, id, ['draft'], 'pending', 'submitted', null, { ownerOnly: true });
  }

  /**
   * Publishes a pending item. `version` is the version the operator reviewed: the proposer may still edit a
   * pending item, and an edit made since is not approved unseen (CATALOG_ITEM_VERSION_CONFLICT).
   */
  approve(actor: CatalogActor, id: string, version?: number): Promise<CatalogItem> {
    return this.transition(actor, id, ['pending'], 'active', 'approved', null, {
      moderator: true,
      version,
    });
  }

  /** Back to the proposer as a draft, with the reason; it may be fixed and submitted again. */
  reject(actor: CatalogActor, id: string, reason: string, version?: number): Promise<CatalogItem> {
    return this.transition(actor, id, ['pending'], 'draft', 'rejected', reason, {
      moderator: true,
      version,
    });
  }

  archive(actor: CatalogActor, id: string, reason: string): Promise<CatalogItem> {
    return this.transition(actor, id, ['draft', 'pending', 'active'], 'archived', 'archived', reason, {
      moderator: true,
    });
  }

  /**
   * Merges a duplicate (pending or active) into an active survivor: the duplicate is archived and points to
   * the survivor, its offers move to the survivor, and items merged into it earlier point to the survivor too.
   * An offer's price is per unit of its item: a duplicate with offers merges only into an item of its unit.
   * `reviewed` is the duplicate's version the operator reviewed, as for approve.
   */
  async merge(
    actor: CatalogActor,
    id: string,
    survivorId: string,
    reason: string | null,
    reviewed?: number,
  ): Promise<CatalogItem> {
    this.assertModerator(actor);
    if (id === survivorId) {
      throw new CatalogValidationError('survivorId: an item cannot be merged into itself', {
        field: 'survivorId',
      });
    }
    return this.dataSource.transaction(async (m) => {
      const { duplicate, survivor } = await this.lockPair(m, id, survivorId);
      if (survivor.status !== 'active') {
        throw new MergeTargetInvalidError('The survivor must be an active item', { status: survivor.status });
      }
      if (duplicate.status !== 'pending' && duplicate.status !== 'active') {
        throw new CatalogItemStatusConflictError(`A ${duplicate.status} item cannot be merged`, {
          status: duplicate.status,
        });
      }
      assertReviewed(duplicate, reviewed);
      if (duplicate.unitCode !== survivor.unitCode && (await this.items.hasOffers(m, id))) {
        throw new CatalogItemUnitConflictError(
          `The duplicate's offers are priced per ${duplicate.unitCode} and the survivor is sold per ${survivor.unitCode}: withdraw them first, or merge into an item of the same unit`,
          { unitCode: duplicate.unitCode, survivorUnitCode: survivor.unitCode },
        );
      }
      const version = await this.items.change(m, id, { status: 'archived', mergedIntoId: survivorId });
      // TypeORM answers an UPDATE with [rows, count].
      const [, moved] = await m.query<[unknown[], number]>(
        `UPDATE catalog_offers SET item_id = $2, updated_at = now() WHERE item_id = $1`,
        [id, survivorId],
      );
      const changes: FieldChanges = {
        status: { from: duplicate.status, to: 'archived' },
        mergedIntoId: { from: null, to: survivorId },
        offersMoved: { from: 0, to: moved },
      };
      await this.items.record(m, id, version, 'merged', actor, changes, reason);
      await this.repointEarlierMerges(m, actor, id, survivorId);
      await this.searchIndex.remove(m, id);
      if (moved > 0) await this.searchIndex.refreshOffers(m, survivorId);
      return this.items.load(m, id);
    });
  }

  private async transition(
    actor: CatalogActor,
    id: string,
    from: CatalogItemStatus[],
    to: CatalogItemStatus,
    action: CatalogItemAction,
    reason: string | null,
    rule: { moderator?: boolean; ownerOnly?: boolean; version?: number },
  ): Promise<CatalogItem> {
    if (rule.moderator) this.assertModerator(actor);
    return this.dataSource.transaction(async (m) => {
      const item = await this.items.lock(m, id);
      if (rule.ownerOnly && item.proposedByOrganizationId !== actor.organizationId) {
        assertPublic(item);
        throw new CatalogItemNotOwnedError('Only the proposing organisation may do this');
      }
      if (rule.ownerOnly) await assertActiveProposer(m, actor);
      if (!from.includes(item.status)) {
        throw new CatalogItemStatusConflictError(`The item is ${item.status}, not ${from.join(' or ')}`, {
          status: item.status,
        });
      }
      assertReviewed(item, rule.version);
      const set: QueryDeepPartialEntity<CatalogItem> = { status: to };
      const changes: FieldChanges = { status: { from: item.status, to } };
      if (to === 'draft' && reason !== null) {
        set.rejectionReason = reason;
        changes.rejectionReason = { from: item.rejectionReason, to: reason };
      }
      if (to === 'active') {
        set.rejectionReason = null;
        if (item.rejectionReason !== null) changes.rejectionReason = { from: item.rejectionReason, to: null };
        if (item.publishedAt === null) {
          // The database clock decides when an item was published, once (now(): this transaction's start).
          const [clock] = await m.query<{ now: Date }[]>('SELECT now() AS now');
          set.publishedAt = clock!.now;
          changes.publishedAt = { from: null, to: clock!.now.toISOString() };
        }
      }
      const version = await this.items.change(m, id, set);
      await this.items.record(m, id, version, action, actor, changes, reason);
      if (to === 'active') await this.searchIndex.index(m, id);
      if (item.status === 'active' && to !== 'active') await this.searchIndex.remove(m, id);
      return this.items.load(m, id);
    });
  }

  /** Both rows locked in id order, so that two opposite merges cannot deadlock. */
  private async lockPair(
    m: EntityManager,
    id: string,
    survivorId: string,
  ): Promise<{ duplicate: CatalogItem; survivor: CatalogItem }> {
    const locked = await m
      .getRepository(CatalogItem)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id IN (:...ids)', { ids: [id, survivorId] })
      .orderBy('i.id')
      .getMany();
    const duplicate = locked.find((i) => i.id === id);
    const survivor = locked.find((i) => i.id === survivorId);
    if (!duplicate) throw new CatalogItemNotFoundError('No catalogue item with this id', { id });
    if (!survivor) throw new MergeTargetInvalidError('The survivor does not exist', { survivorId });
    return { duplicate, survivor };
  }

  private async repointEarlierMerges(
    m: EntityManager,
    actor: CatalogActor,
    from: string,
    to: string,
  ): Promise<void> {
    // One statement, however many items were merged into the duplicate: each repointed and its version kept.
    await m.query(
      `WITH repointed AS (
         UPDATE catalog_items SET merged_into_id = $2, version = version + 1, updated_at = now()
          WHERE merged_into_id = $1 RETURNING id, version
       )
       INSERT INTO catalog_item_versions
         (item_id, version, action, actor_user_id, actor_organization_id, actor_role, changes, reason)
       SELECT id, version, 'merged', $3, $4, $5, $6::jsonb, NULL FROM repointed`,
      [
        from,
        to,
        actor.userId,
        actor.organizationId,
        actor.role,
        JSON.stringify({ mergedIntoId: { from, to } }),
      ],
    );
  }

  private assertModerator(actor: CatalogActor): void {
    if (!MODERATORS.has(actor.role)) {
      throw new CatalogItemNotOwnedError('Only an operator moderates the catalogue');
    }
  }
}

/** A moderator's decision about the version it reviewed: a later edit is not decided unseen. */
function assertReviewed(item: CatalogItem, version: number | undefined): void {
  if (version !== undefined && item.version !== version) {
    throw new CatalogItemVersionConflictError(
      `The item changed since version ${version} (it is at version ${item.version}): review it again`,
      { version: item.version, reviewed: version },
    );
  }
}
