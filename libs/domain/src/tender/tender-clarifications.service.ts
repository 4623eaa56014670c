import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import {
  ClarificationsClosedError,
  LotNotFoundError,
  NotTheBuyerError,
  QuestionAlreadyAnsweredError,
  QuestionNotFoundError,
  SupplierNotActiveError,
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

/** Questions and answers. An unanswered question holds the closing (the closer skips the tender). */
@Injectable()
export class TenderClarificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: DealLogWriter,
  ) {}

  async ask(supplierId: string, tenderId: string, text: string, lotId: string | null): Promise<QuestionView> {
    return this.dataSource.transaction(async (manager) => {
      const [org] = await manager.query<{ kind: string; status: string }[]>(
        'SELECT kind, status FROM organizations WHERE id = $1',
        [supplierId],
      );
      if (org?.kind !== 'supplier' || org.status !== 'active') {
        throw new SupplierNotActiveError('Only an active supplier may ask questions', {
          status: org?.status ?? null,
        });
      }
      const [tender] = await manager.query<{ status: string; open: boolean }[]>(
        `SELECT status, clock_timestamp() < coalesce(clarifications_until, tender_end) AS open
           FROM tenders WHERE id = $1 FOR SHARE`,
        [tenderId],
      );
      if (!tender || tender.status === 'draft')
        throw new TenderNotFoundError('No tender with this id', { id: tenderId });
      if (!OPEN_FOR_QUESTIONS.includes(tender.status)) {
        throw new TenderStateError(
          `The tender is ${tender.status}; questions are asked during enquiries or tendering`,
          {
            status: tender.status,
            required: OPEN_FOR_QUESTIONS,
          },
        );
      }
      if (!tender.open) throw new ClarificationsClosedError('The clarification deadline has passed');
      if (lotId) {
        const [lot] = await manager.query<{ id: string }[]>(
          'SELECT id FROM lots WHERE id = $1 AND tender_id = $2',
          [lotId, tenderId],
        );
        if (!lot) throw new LotNotFoundError('No lot with this id in this tender', { field: 'lotId' });
      }
      const [question] = await manager.query<QuestionView[]>(
        `INSERT INTO tender_questions (tender_id, lot_id, asker_id, text, asked_at) VALUES ($1, $2, $3, $4, clock_timestamp())
         RETURNING ${QUESTION_COLUMNS}`,
        [tenderId, lotId, supplierId, text],
      );
      await this.log.append(manager, {
        type: 'question.asked',
        tenderId,
        actorId: null,
        payload: { questionId: question!.id, lotId, text },
      });
      return question!;
    });
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
      const [question] = await manager.query<QuestionView[]>(
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
      const [at, id] = decodeCursor(cursor, 2);
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
