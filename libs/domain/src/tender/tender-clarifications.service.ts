import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../database/prepared-statement';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { IdempotencyKeyReusedError } from '../bid/bid.errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { assertActing } from './acting-organization';
import {
  ClarificationsClosedError,
  LotNotFoundError,
  lotNotActive,
  NotTheBuyerError,
  QuestionAlreadyAnsweredError,
  QuestionNotFoundError,
  SupplierNotActiveError,
  TenderLimitError,
  TenderNotFoundError,
  TenderStateError,
} from './tender.errors';

/** A question as anyone sees it: the asker is never named. */
export interface QuestionView {
  id: string;
  lotId: string | null;
  text: string;
  answer: string | null;
  askedAt: string;
  answeredAt: string | null;
}

const OPEN_FOR_QUESTIONS = ['active.enquiries', 'active.tendering'];

/**
 * At most this many questions of one supplier on one tender. Every question is answered before the tender may
 * close, and is a release of the process's OCDS history: a supplier asking without end would hold the closing
 * and swell the history. A supplier's questions on one tender are counted one at a time (ASK_TURN), so questions
 * sent at the same instant cannot all pass the count together.
 */
export const MAX_QUESTIONS_PER_SUPPLIER = 20;

/** Questions and answers. An unanswered question holds the closing (the closer skips the tender). */
@Injectable()
export class TenderClarificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
  ) {}

  /**
   * One statement after the supplier's turn on the tender: the checks, the question and its event commit together
   * or not at all. The row says which check failed when nothing was inserted.
   */
  async ask(
    supplierId: string,
    tenderId: string,
    text: string,
    lotId: string | null,
    idempotencyKey?: string,
  ): Promise<{ question: QuestionView; replayed: boolean }> {
    // A retry answers with the question it asked, whatever has changed since (the deadline may have passed).
    const earlier = idempotencyKey
      ? await this.askedBefore(supplierId, idempotencyKey, { tenderId, lotId, text })
      : undefined;
    if (earlier) return { question: earlier, replayed: true };
    const [row] = await this.dataSource.transaction(async (manager) => {
      await manager.query(ASK_TURN, [supplierId, tenderId]);
      return ASK.runIn<AskRow>(manager, [supplierId, tenderId, lotId, text, idempotencyKey ?? null]);
    });
    if (!row) throw new Error('the ask statement returned no row');
    if (row.id) return { question: questionOf(row), replayed: false };
    if (idempotencyKey && row.passed) {
      // Every check passed and nothing was inserted: a request with the same key asked it in between.
      const raced = await this.askedBefore(supplierId, idempotencyKey, { tenderId, lotId, text });
      if (raced) return { question: raced, replayed: true };
    }
    if (row.orgKind !== 'supplier' || row.orgStatus !== 'active') {
      throw new SupplierNotActiveError('Only an active supplier may ask questions', {
        status: row.orgStatus,
      });
    }
    if (!row.tenderStatus || row.tenderStatus === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    if (!OPEN_FOR_QUESTIONS.includes(row.tenderStatus)) {
      throw new TenderStateError(
        `The tender is ${row.tenderStatus}; questions are asked during enquiries or tendering`,
        {
          status: row.tenderStatus,
          required: OPEN_FOR_QUESTIONS,
        },
      );
    }
    if (!row.open) throw new ClarificationsClosedError('The clarification deadline has passed');
    if (row.asked >= MAX_QUESTIONS_PER_SUPPLIER) {
      throw new TenderLimitError(
        `A supplier asks at most ${MAX_QUESTIONS_PER_SUPPLIER} questions on one tender`,
        { field: 'questions', limit: MAX_QUESTIONS_PER_SUPPLIER },
      );
    }
    if (row.lotStatus) throw lotNotActive(row.lotStatus, 'lotId', 'asked about');
    throw new LotNotFoundError('No lot with this id in this tender', { field: 'lotId' });
  }

  /**
   * The question this supplier asked with this Idempotency-Key, if the request is the same one; another request
   * under the key is refused (IDEMPOTENCY_KEY_REUSED).
   */
  private async askedBefore(
    supplierId: string,
    key: string,
    asked: { tenderId: string; lotId: string | null; text: string },
  ): Promise<QuestionView | undefined> {
    const [row] = await this.dataSource.query<(QuestionView & { tenderId: string })[]>(
      `SELECT tender_id AS "tenderId", ${QUESTION_COLUMNS} FROM tender_questions
        WHERE asker_id = $1 AND idempotency_key = $2`,
      [supplierId, key],
    );
    if (!row) return undefined;
    if (row.tenderId !== asked.tenderId || row.lotId !== asked.lotId || row.text !== asked.text) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was used for a different request', {
        header: 'Idempotency-Key',
      });
    }
    const { tenderId: _tender, ...question } = row;
    return question;
  }

  async answer(buyerId: string, tenderId: string, questionId: string, answer: string): Promise<QuestionView> {
    return this.dataSource.transaction(async (manager) => {
      const [tender] = await manager.query<{ status: string; organizer_id: string }[]>(
        'SELECT status, organizer_id FROM tenders WHERE id = $1 FOR SHARE',
        [tenderId],
      );
      if (!tender || tender.status === 'draft')
        throw new TenderNotFoundError('No tender with this id', { id: tenderId });
      if (tender.organizer_id !== buyerId)
        throw new NotTheBuyerError('Only the tender’s organiser may answer');
      await assertActing(manager, buyerId, 'buyer');
      // A top-level UPDATE comes back from TypeORM as [rows, affected].
      const [[question]] = await manager.query<[QuestionView[], number]>(
        `UPDATE tender_questions SET answer = $3, answered_at = clock_timestamp()
          WHERE id = $1 AND tender_id = $2 AND answered_at IS NULL RETURNING ${QUESTION_COLUMNS}`,
        [questionId, tenderId, answer],
      );
      if (!question) {
        const [exists] = await manager.query<{ id: string }[]>(
          'SELECT id FROM tender_questions WHERE id = $1 AND tender_id = $2',
          [questionId, tenderId],
        );
        if (exists) throw new QuestionAlreadyAnsweredError('This question has been answered already');
        throw new QuestionNotFoundError('No question with this id in this tender', { id: questionId });
      }
      await this.log.append(manager, {
        type: 'question.answered',
        tenderId,
        actorId: buyerId,
        payload: { questionId, answer },
      });
      return question;
    });
  }

  async list(tenderId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<QuestionView>> {
    const [tender] = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM tenders WHERE id = $1',
      [tenderId],
    );
    if (!tender || tender.status === 'draft')
      throw new TenderNotFoundError('No tender with this id', { id: tenderId });
    const params: unknown[] = [tenderId, limit + 1];
    let after = '';
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['instant', 'uuid']);
      params.push(at, id);
      after = 'AND (asked_at, id) > ($3::timestamptz, $4::uuid)';
    }
    const rows = await this.dataSource.query<QuestionView[]>(
      `SELECT ${QUESTION_COLUMNS} FROM tender_questions WHERE tender_id = $1 ${after} ORDER BY asked_at, id LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (q) => [q.askedAt, q.id]);
  }
}

const QUESTION_COLUMNS = `id, lot_id AS "lotId", text, answer,
  to_char(asked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "askedAt",
  to_char(answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "answeredAt"`;

type AskRow = QuestionView & {
  passed: boolean;
  orgKind: string | null;
  orgStatus: string | null;
  tenderStatus: string | null;
  /** The lot asked about, when it is one of the tender's (null otherwise, or when none is named). */
  lotStatus: string | null;
  open: boolean | null;
  /** How many questions the supplier had asked on the tender before. */
  asked: number;
};

function questionOf(row: AskRow): QuestionView {
  const { id, lotId, text, answer, askedAt, answeredAt } = row;
  return { id, lotId, text, answer, askedAt, answeredAt };
}

/**
 * A supplier's turn to ask on a tender ($1 supplier, $2 tender), held until the transaction ends. ASK counts the
 * questions asked before in its own snapshot, taken when it starts: without the turn, questions sent at the same
 * instant would each count the others as not yet asked.
 */
const ASK_TURN = `SELECT pg_advisory_xact_lock(hashtextextended('ask-question:' || $1 || ':' || $2, 0))`;

/**
 * $1 supplier, $2 tender, $3 lot or null, $4 text, $5 Idempotency-Key or null (a key already used inserts
 * nothing, with every check passed: the service reads what it asked). The tender row is share-locked, as a bid locks it, and then
 * the lot asked about: locked rows are read as they are once the lock is granted, and the clock after the lock,
 * so a question that waited for a lot's cancellation or for a closing sees it.
 */
const ASK = new PreparedStatement(
  'ask-question',
  `
  WITH org AS (
    SELECT kind, status FROM organizations WHERE id = $1
  ), tender AS MATERIALIZED (
    SELECT id, status, clarifications_until, tender_end FROM tenders WHERE id = $2 FOR SHARE
  ), lot AS MATERIALIZED (
    SELECT l.status FROM tender t JOIN lots l ON l.tender_id = t.id WHERE l.id = $3::uuid FOR SHARE OF l
  ), facts AS (
    SELECT (SELECT kind FROM org) AS org_kind, (SELECT status FROM org) AS org_status,
           (SELECT status FROM tender) AS tender_status,
           (SELECT clock_timestamp() < coalesce(clarifications_until, tender_end) FROM tender) AS open,
           ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM lot WHERE status = 'active')) AS lot_ok,
           (SELECT status FROM lot) AS lot_status,
           (SELECT count(*) FROM tender_questions q WHERE q.tender_id = $2 AND q.asker_id = $1)::int AS asked
  ), checks AS (
    SELECT f.*, coalesce(f.org_kind = 'supplier' AND f.org_status = 'active'
      AND f.tender_status IN (${OPEN_FOR_QUESTIONS.map((s) => `'${s}'`).join(', ')}) AND f.open AND f.lot_ok
      AND f.asked < ${MAX_QUESTIONS_PER_SUPPLIER}, false)
      AS passed
    FROM facts f
  ), question AS (
    INSERT INTO tender_questions (tender_id, lot_id, asker_id, text, asked_at, idempotency_key)
    SELECT $2, $3::uuid, $1, $4, clock_timestamp(), $5::text FROM checks WHERE passed
    ON CONFLICT (asker_id, idempotency_key) DO NOTHING
    RETURNING ${QUESTION_COLUMNS}
  ), event AS (
    ${DealLogWriter.insertFrom(
      `SELECT 'question.asked' AS type, $2::uuid AS tender_id, NULL::uuid AS actor_id,
              jsonb_build_object('questionId', q.id, 'lotId', $3::uuid, 'text', $4::text) AS payload,
              NULL::jsonb AS sealed_payload
         FROM question q`,
    )}
  )
  SELECT c.org_kind AS "orgKind", c.org_status AS "orgStatus", c.tender_status AS "tenderStatus", c.open,
         c.lot_status AS "lotStatus", c.asked, c.passed, q.*
    FROM checks c LEFT JOIN question q ON true`,
);
