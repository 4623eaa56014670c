import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogPage, decodeCatalogCursor, toCatalogPage } from '../common/cursor';
import { CatalogValidationError } from '../errors/catalog-error';
import {
  ClassificationNotFoundError,
  CpvCheckDigitError,
  CpvCodeMalformedError,
  CpvCodeUnknownError,
} from './classification.errors';
import { checkCpvCode, CPV_SCHEME, cpvSignificantPrefix } from './cpv-code';

export interface ClassificationRef {
  scheme: string;
  code: string;
  level: number;
  nameRu: string;
  nameEn: string;
}

export interface ClassificationDetail extends ClassificationRef {
  parentCode: string | null;
  /** From the division down to the parent. */
  ancestors: ClassificationRef[];
  children: ClassificationRef[];
}

export interface ClassificationSearch {
  q: string;
  limit: number;
  cursor?: string;
}

const COLUMNS = `scheme, code, level, name_ru AS "nameRu", name_en AS "nameEn"`;
const MAX_QUERY_LENGTH = 200;

/** The CPV classification: lookups, validation of codes wherever one is accepted, and search. */
@Injectable()
export class ClassificationService {
  /** Reference data, loaded once per process: published check digit by eight digits, and names by code. */
  private cpv?: Promise<{ digits: Map<string, number>; byCode: Map<string, ClassificationRef> }>;
  private divisions?: Promise<Map<string, ClassificationRef>>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Checks a CPV code for format, check digit and existence and returns it normalised; throws a 400 error
   * naming the field otherwise.
   */
  async assertCpv(input: unknown, field: string): Promise<string> {
    const digits = await this.publishedCpvDigits();
    const check = checkCpvCode(input, (body) => digits.get(body));
    if (check.ok) return check.code;
    switch (check.problem) {
      case 'BAD_FORMAT':
        throw new CpvCodeMalformedError(`${field} must be a CPV code such as 30197630-1`, { field });
      case 'BAD_CHECK_DIGIT':
        throw new CpvCheckDigitError(`${field}: the CPV check digit is wrong`, { field });
      case 'UNKNOWN':
        throw new CpvCodeUnknownError(`${field} is not a CPV 2008 code`, { field });
    }
  }

  /** The CPV divisions by their two digits, for facet names. */
  async cpvDivisions(): Promise<Map<string, ClassificationRef>> {
    this.divisions ??= this.dataSource
      .query(`SELECT ${COLUMNS} FROM classifications WHERE scheme = $1 AND level = 1`, [CPV_SCHEME])
      .then((rows: ClassificationRef[]) => new Map(rows.map((r) => [r.code.slice(0, 2), r])))
      .catch((error: unknown) => {
        this.divisions = undefined;
        throw error;
      });
    return this.divisions;
  }

  /** A code with its names, ancestors and children: 400 for a malformed code or a wrong check digit, 404 for one not in CPV 2008. */
  async getCpv(code: string): Promise<ClassificationDetail> {
    const digits = await this.publishedCpvDigits();
    const check = checkCpvCode(code, (body) => digits.get(body));
    if (!check.ok && check.problem === 'BAD_FORMAT') {
      throw new CpvCodeMalformedError('code must be a CPV code such as 30197630-1', { field: 'code' });
    }
    if (!check.ok && check.problem === 'BAD_CHECK_DIGIT') {
      throw new CpvCheckDigitError('code: the CPV check digit is wrong', { field: 'code' });
    }
    const [row] = await this.dataSource.query<(ClassificationRef & { parentCode: string | null })[]>(
      `SELECT ${COLUMNS}, parent_code AS "parentCode" FROM classifications WHERE scheme = $1 AND code = $2`,
      [CPV_SCHEME, code.trim()],
    );
    if (!row) throw new ClassificationNotFoundError('No CPV code like this', { code: code.trim() });
    const [ancestors, children] = await Promise.all([
      this.ancestorsOf(row),
      this.dataSource.query<ClassificationRef[]>(
        `SELECT ${COLUMNS} FROM classifications WHERE scheme = $1 AND parent_code = $2 ORDER BY code`,
        [CPV_SCHEME, row.code],
      ),
    ]);
    return { ...row, ancestors, children };
  }

  /**
   * Codes by code prefix (digits) or by words of their Russian or English names, best match first.
   */
  async searchCpv(search: ClassificationSearch): Promise<CatalogPage<ClassificationRef & { score: number }>> {
    const q = search.q.trim();
    if (q.length === 0 || q.length > MAX_QUERY_LENGTH) {
      throw new CatalogValidationError(`q must be 1 to ${MAX_QUERY_LENGTH} characters`, { field: 'q' });
    }
    const digits = /^\d{1,8}(-\d?)?$/.test(q);
    const tag = digits ? 'cpv-code' : 'cpv-words';
    const params: unknown[] = [CPV_SCHEME, search.limit + 1];
    let where: string;
    let score: string;
    if (digits) {
      params.push(q.replace(/-$/, ''));
      where = `code LIKE $3 || '%'`;
      score = '0';
    } else {
      params.push(q);
      const names = `(to_tsvector('russian', name_ru) || to_tsvector('english', name_en))`;
      const tsq = `(websearch_to_tsquery('russian', $3) || websearch_to_tsquery('english', $3))`;
      where = `${names} @@ ${tsq}`;
      score = `(ts_rank(${names}, ${tsq}) * 1000000)::int`;
    }
    let after = '';
    if (search.cursor) {
      const [lastScore, lastCode] = decodeCatalogCursor(search.cursor, tag, ['int', 'code']);
      params.push(lastScore, lastCode);
      after = `AND (score < $4 OR (score = $4 AND code > $5))`;
    }
    const rows: (ClassificationRef & { score: number })[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${COLUMNS}, ${score} AS score FROM classifications
         WHERE scheme = $1 AND ${where}) r
       WHERE true ${after} ORDER BY score DESC, code LIMIT $2`,
      params,
    );
    return toCatalogPage(rows, search.limit, tag, (r) => [r.score, r.code]);
  }

  /** Every code of the subtree below a CPV code starts with this prefix. */
  cpvSubtreePrefix(code: string): string {
    return cpvSignificantPrefix(code.slice(0, 8));
  }

  private async ancestorsOf(row: { parentCode: string | null }): Promise<ClassificationRef[]> {
    if (!row.parentCode) return [];
    return this.dataSource.query(
      `WITH RECURSIVE up AS (
         SELECT scheme, code, parent_code, 1 AS depth FROM classifications WHERE scheme = $1 AND code = $2
         UNION ALL
         SELECT c.scheme, c.code, c.parent_code, up.depth + 1 FROM classifications c
         JOIN up ON c.scheme = up.scheme AND c.code = up.parent_code)
       SELECT c.scheme, c.code, c.level, c.name_ru AS "nameRu", c.name_en AS "nameEn"
       FROM up JOIN classifications c ON c.scheme = up.scheme AND c.code = up.code ORDER BY up.depth DESC`,
      [CPV_SCHEME, row.parentCode],
    );
  }

  /** Names of CPV codes (reference data, held in memory: about 9,500 short rows), for responses. */
  async cpvRefs(codes: readonly string[]): Promise<Map<string, ClassificationRef>> {
    const all = await this.cpvTable();
    return new Map(codes.flatMap((code) => (all.byCode.has(code) ? [[code, all.byCode.get(code)!]] : [])));
  }

  private async publishedCpvDigits(): Promise<Map<string, number>> {
    return (await this.cpvTable()).digits;
  }

  private cpvTable(): Promise<{ digits: Map<string, number>; byCode: Map<string, ClassificationRef> }> {
    this.cpv ??= this.dataSource
      .query(`SELECT ${COLUMNS} FROM classifications WHERE scheme = $1`, [CPV_SCHEME])
      .then((rows: ClassificationRef[]) => ({
        digits: new Map(rows.map((r) => [r.code.slice(0, 8), Number(r.code[9])])),
        byCode: new Map(rows.map((r) => [r.code, r])),
      }))
      .catch((error: unknown) => {
        this.cpv = undefined;
        throw error;
      });
    return this.cpv;
  }
}
