import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CatalogActor } from '../common/actor';
import { CatalogPage, decodeCatalogCursor, toCatalogPage } from '../common/cursor';
import { ClassificationService } from '../classification/classification.service';
import { CPV_SCHEME } from '../classification/cpv-code';
import { SearchIndexWriter } from '../search/search-index.writer';
import { CatalogItemVersion, FieldChanges } from './catalog-item-version.entity';
import {
  assertActiveProposer,
  assertPublic,
  CatalogItemRepository,
  isPublicItem,
} from './catalog-item.repository';
import { CatalogItem, CatalogItemStatus, Characteristic, DocumentLink } from './catalog-item.entity';
import {
  CatalogItemNotFoundError,
  CatalogItemNotOwnedError,
  CatalogItemStatusConflictError,
  CatalogItemUnitConflictError,
  DraftsNotReadableError,
  UnitUnknownError,
} from './catalog-item.errors';
import { diffFields } from './item-changes';
import { findUnit } from './units';

export interface CatalogItemInput {
  titleRu: string;
  titleEn?: string | null;
  descriptionRu: string;
  descriptionEn?: string | null;
  cpvCode: string;
  unitCode: string;
  characteristics?: Characteristic[];
  imageUrls?: string[];
  documents?: DocumentLink[];
}

export type CatalogItemPatch = Partial<CatalogItemInput>;

export interface ProposalFilter {
  status?: CatalogItemStatus;
  limit: number;
  cursor?: string;
}

/** Fields a version records; the search document depends on the first four and the CPV code. */
type EditableFields = Pick<
  CatalogItem,
  | 'titleRu'
  | 'titleEn'
  | 'descriptionRu'
  | 'descriptionEn'
  | 'classificationCode'
  | 'unitCode'
  | 'characteristics'
  | 'imageUrls'
  | 'documents'
>;

const MODERATORS = new Set(['operator']);
const READERS_OF_PROPOSALS = new Set(['operator', 'auditor']);

/**
 * Catalogue items: proposals and edits by suppliers and buyers (and operators), reading, and the version
 * history. Moderation is in CatalogItemWorkflowService.
 */
@Injectable()
export class CatalogItemsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classifications: ClassificationService,
    private readonly searchIndex: SearchIndexWriter,
    private readonly items: CatalogItemRepository,
  ) {}

  async propose(actor: CatalogActor, input: CatalogItemInput, submit: boolean): Promise<CatalogItem> {
    const fields = await this.checkedFields(input);
    return this.dataSource.transaction(async (m) => {
      await assertActiveProposer(m, actor);
      const item = m.create(CatalogItem, {
        ...fields,
        status: submit ? 'pending' : 'draft',
        classificationScheme: CPV_SCHEME,
        proposedByOrganizationId: actor.organizationId,
        proposedByUserId: actor.userId,
        mergedIntoId: null,
        rejectionReason: null,
        publishedAt: null,
        version: 1,
      });
      const result = await m.insert(CatalogItem, item);
      item.id = (result.identifiers[0] as { id: string }).id;
      const created: FieldChanges = { status: { from: null, to: item.status } };
      for (const [key, value] of Object.entries(fields)) created[key] = { from: null, to: value };
      await this.items.record(m, item.id, 1, 'proposed', actor, created, null);
      return this.items.load(m, item.id);
    });
  }

  /** The proposer edits while the item is a draft or pending; an operator may edit any item not archived. */
  async update(actor: CatalogActor, id: string, patch: CatalogItemPatch): Promise<CatalogItem> {
    const fields = await this.checkedFields(patch);
    return this.dataSource.transaction(async (m) => {
      const item = await this.items.lock(m, id);
      const moderator = MODERATORS.has(actor.role);
      if (!moderator && item.proposedByOrganizationId !== actor.organizationId) {
        assertPublic(item);
        throw new CatalogItemNotOwnedError(
          'Only the proposing organisation or an operator may edit this item',
        );
      }
      await assertActiveProposer(m, actor);
      const editable = moderator ? item.status !== 'archived' : ['draft', 'pending'].includes(item.status);
      if (!editable) {
        throw new CatalogItemStatusConflictError(
          `An item that is ${item.status} cannot be edited by a ${actor.role}`,
          {
            status: item.status,
          },
        );
      }
      const changes = diffFields<EditableFields>(item, fields);
      if (Object.keys(changes).length === 0) return item;
      if (changes.unitCode && (await this.items.hasOffers(m, id))) {
        throw new CatalogItemUnitConflictError(
          `The item's offers are priced per ${item.unitCode}: its unit changes only once they are withdrawn`,
          { unitCode: item.unitCode },
        );
      }
      const version = await this.items.change(m, id, fields);
      await this.items.record(m, id, version, 'edited', actor, changes, null);
      if (item.status === 'active') await this.searchIndex.index(m, id);
      return this.items.load(m, id);
    });
  }

  /**
   * Active and archived items are public; pending items only to their proposer and the moderation's readers, drafts
   * only to their proposer and operators (seesProposal).
   */
  async get(actor: CatalogActor | null, id: string): Promise<CatalogItem> {
    const item = await this.dataSource.getRepository(CatalogItem).findOne({ where: { id } });
    if (!item || !this.canSee(actor, item)) {
      throw new CatalogItemNotFoundError('No catalogue item with this id', { id });
    }
    return item;
  }

  /**
   * Operators and auditors see the moderation queue (oldest first, pending unless told otherwise; drafts are for
   * operators only);
   * suppliers and buyers see their own organisation's items, newest first.
   */
  async listProposals(actor: CatalogActor, filter: ProposalFilter): Promise<CatalogPage<CatalogItem>> {
    const queue = READERS_OF_PROPOSALS.has(actor.role);
    const tag = queue ? 'queue' : 'own';
    const qb = this.dataSource
      .getRepository(CatalogItem)
      .createQueryBuilder('i')
      .addSelect(`(extract(epoch from i.created_at) * 1000000)::int8`, 'cursor_us')
      .take(filter.limit + 1);
    const after = queue ? '>' : '<';
    if (queue) {
      const status = filter.status ?? 'pending';
      if (status === 'draft' && !MODERATORS.has(actor.role)) {
        throw new DraftsNotReadableError("Drafts are their proposers' and the operators' alone", {
          field: 'status',
        });
      }
      qb.where('i.status = :status', { status }).orderBy('i.createdAt', 'ASC').addOrderBy('i.id', 'ASC');
    } else {
      qb.where('i.proposedByOrganizationId = :org', { org: actor.organizationId })
        .orderBy('i.createdAt', 'DESC')
        .addOrderBy('i.id', 'DESC');
      if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    }
    if (filter.cursor) {
      const [us, lastId] = decodeCatalogCursor(filter.cursor, tag, ['bigint', 'uuid']);
      qb.andWhere(
        `(i.created_at, i.id) ${after} (timestamptz 'epoch' + :us * interval '1 microsecond', :lastId::uuid)`,
        { us, lastId },
      );
    }
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_us: string }>();
    const keys = new Map(entities.map((e, i) => [e.id, Number(raw[i]?.cursor_us)]));
    return toCatalogPage(entities, filter.limit, tag, (e) => [keys.get(e.id) ?? 0, e.id]);
  }

  /**
   * The history of an item, oldest change first. What a proposal said before its first approval stays its
   * proposer's and the moderators': anyone else sees those versions' action, organisation and time, with no
   * changes and no reason (a draft may hold text never meant to be published, a rejection may quote it), and
   * the first approval without the rejection reason it cleared.
   */
  async versions(
    actor: CatalogActor | null,
    id: string,
    page: { limit: number; cursor?: string },
  ): Promise<CatalogPage<CatalogItemVersion>> {
    const item = await this.get(actor, id);
    const privateBefore = this.seesProposal(actor, item) ? 0 : await this.firstApproval(id);
    const qb = this.dataSource
      .getRepository(CatalogItemVersion)
      .createQueryBuilder('v')
      .where('v.itemId = :id', { id })
      .orderBy('v.version', 'ASC')
      .take(page.limit + 1);
    if (page.cursor) {
      const [version] = decodeCatalogCursor(page.cursor, 'versions', ['int']);
      qb.andWhere('v.version > :version', { version });
    }
    const versions = (await qb.getMany()).map((v) => {
      if (v.version < privateBefore) return Object.assign(v, { changes: {}, reason: null });
      if (v.version === privateBefore) {
        // What the moderator told the proposer before approving stays between them.
        const { rejectionReason: _told, ...changes } = v.changes;
        return Object.assign(v, { changes });
      }
      return v;
    });
    return toCatalogPage(versions, page.limit, 'versions', (v) => [v.version]);
  }

  /** The version that first approved the item; an item never approved is private throughout. */
  private async firstApproval(id: string): Promise<number> {
    const [row] = await this.dataSource.query<{ version: number | null }[]>(
      `SELECT min(version) AS version FROM catalog_item_versions WHERE item_id = $1 AND action = 'approved'`,
      [id],
    );
    return row?.version ?? Number.MAX_SAFE_INTEGER;
  }

  /**
   * Active items, and archived ones that once were, are public. A draft or pending item, also once archived or
   * merged without ever being approved, stays its proposer's and the moderators'.
   */
  private canSee(actor: CatalogActor | null, item: CatalogItem): boolean {
    return isPublicItem(item) || this.seesProposal(actor, item);
  }

  /**
   * The proposing organisation and the moderation's readers see a proposal as it was written; a draft (never
   * submitted, or rejected and not submitted again) is its proposer's and the moderators' alone: auditors read
   * what reached the queue.
   */
  private seesProposal(actor: CatalogActor | null, item: CatalogItem): boolean {
    if (!actor) return false;
    if (item.proposedByOrganizationId === actor.organizationId) return true;
    return item.status === 'draft' ? MODERATORS.has(actor.role) : READERS_OF_PROPOSALS.has(actor.role);
  }

  private async checkedFields(input: CatalogItemPatch): Promise<Partial<EditableFields>> {
    const fields: Partial<EditableFields> = {};
    if (input.cpvCode !== undefined) {
      fields.classificationCode = await this.classifications.assertCpv(input.cpvCode, 'cpvCode');
    }
    if (input.unitCode !== undefined) {
      if (!findUnit(input.unitCode)) {
        throw new UnitUnknownError('unitCode is not a supported UN/ECE Recommendation 20 unit', {
          field: 'unitCode',
        });
      }
      fields.unitCode = input.unitCode;
    }
    if (input.titleRu !== undefined) fields.titleRu = input.titleRu.trim();
    if (input.titleEn !== undefined) fields.titleEn = input.titleEn?.trim() || null;
    if (input.descriptionRu !== undefined) fields.descriptionRu = input.descriptionRu.trim();
    if (input.descriptionEn !== undefined) fields.descriptionEn = input.descriptionEn?.trim() || null;
    if (input.characteristics !== undefined) {
      fields.characteristics = input.characteristics.map((c) => this.checkedCharacteristic(c));
    }
    if (input.imageUrls !== undefined) fields.imageUrls = input.imageUrls;
    if (input.documents !== undefined)
      fields.documents = input.documents.map((d) => ({ title: d.title, url: d.url }));
    return fields;
  }

  private checkedCharacteristic(c: Characteristic): Characteristic {
    if (c.unit !== undefined && !findUnit(c.unit)) {
      throw new UnitUnknownError('characteristics.unit is not a supported UN/ECE Recommendation 20 unit', {
        field: 'characteristics.unit',
      });
    }
    return c.unit === undefined
      ? { name: c.name, value: c.value }
      : { name: c.name, value: c.value, unit: c.unit };
  }
}
