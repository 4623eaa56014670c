import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** The OCDS 1.1.5 schemas and codelists, copied into the project with their attribution (test/fixtures/). */
export const OCDS_DIR = join(__dirname, '..', 'fixtures', 'ocds-1.1');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const readJson = (...path: string[]): JsonObject => JSON.parse(readFileSync(join(OCDS_DIR, ...path), 'utf8'));

/** JSON Merge Patch (RFC 7386): objects merge recursively, null removes, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The first column of a codelist CSV: its codes. */
function readCodelist(file: string): Set<string> {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
  return new Set(lines.filter((l) => l.trim() !== '').map((l) => l.split(',')[0]!.replace(/^"|"$/g, '')));
}

export interface CodelistProblem {
  path: string;
  codelist: string;
  value: string;
}

/**
 * Draft-04 validators for release packages, record packages and single releases, with the bids extension
 * merged into the release schema, and a schema-driven check that every codelist-typed value (open codelists
 * included) is a code of its CSV.
 */
export class OcdsValidator {
  readonly releaseSchema: JsonObject;
  private readonly ajv: Ajv;
  private readonly codelists = new Map<string, Set<string>>();
  /** Codelists that at least one checked value belonged to. */
  readonly codelistsSeen = new Set<string>();
  readonly releasePackage: ValidateFunction;
  readonly recordPackage: ValidateFunction;
  readonly release: ValidateFunction;

  constructor() {
    this.releaseSchema = mergePatch(
      readJson('release-schema.json'),
      readJson('extensions', 'bids', 'release-schema.json'),
    ) as JsonObject;
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.releaseSchema);
    this.ajv.addSchema(readJson('versioned-release-validation-schema.json'));
    this.releasePackage = this.ajv.compile(readJson('release-package-schema.json'));
    this.recordPackage = this.ajv.compile(readJson('record-package-schema.json'));
    this.release = this.ajv.getSchema(this.releaseSchema.id as string)!;
    for (const dir of [join(OCDS_DIR, 'codelists'), join(OCDS_DIR, 'extensions', 'bids', 'codelists')]) {
      for (const file of readdirSync(dir)) this.codelists.set(file, readCodelist(join(dir, file)));
    }
  }

  /** Schema errors of a validation, readably (empty when valid). */
  errors(validate: ValidateFunction, data: unknown): string[] {
    if (validate(data)) return [];
    return (validate.errors ?? []).map(
      (e: ErrorObject) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }

  /** Every value of a release whose field names a codelist, checked against that codelist's CSV. */
  codelistProblems(release: unknown): CodelistProblem[] {
    const problems: CodelistProblem[] = [];
    this.walk(this.releaseSchema, release, '$', problems);
    return problems;
  }

  private resolve(schema: JsonObject): JsonObject {
    const ref = schema.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      const definitions = this.releaseSchema.definitions as JsonObject;
      return this.resolve(definitions[ref.slice('#/definitions/'.length)] as JsonObject);
    }
    return schema;
  }

  private walk(rawSchema: JsonObject, data: unknown, path: string, problems: CodelistProblem[]): void {
    const schema = this.resolve(rawSchema);
    if (typeof schema.codelist === 'string') this.checkCodes(schema.codelist, data, path, problems);
    if (Array.isArray(data) && isObject(schema.items)) {
      data.forEach((item, i) => this.walk(schema.items as JsonObject, item, `${path}[${i}]`, problems));
    } else if (isObject(data) && isObject(schema.properties)) {
      for (const [key, value] of Object.entries(data)) {
        const child = schema.properties[key];
        if (isObject(child)) this.walk(child, value, `${path}.${key}`, problems);
      }
    }
  }

  private checkCodes(codelist: string, data: unknown, path: string, problems: CodelistProblem[]): void {
    const codes = this.codelists.get(codelist);
    if (!codes) return;
    const values = Array.isArray(data) ? data : [data];
    for (const value of values) {
      if (typeof value !== 'string') continue;
      this.codelistsSeen.add(codelist);
      if (!codes.has(value)) problems.push({ path, codelist, value });
    }
  }
}

/** Paths of every empty string, empty object, empty array and null in a value. */
export function emptyPaths(value: unknown, path = '$'): string[] {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return [path];
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((v, i) => emptyPaths(v, `${path}[${i}]`));
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyPaths(v, `${path}.${k}`));
  }
  return [];
}
