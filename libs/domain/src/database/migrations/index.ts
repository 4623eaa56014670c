import { Foundation1764090000000 } from './1764090000000-Foundation';

/** Migrations in order; a new migration is appended here as `<timestamp>-PascalCase.ts`. */
export const MIGRATIONS: (new () => object)[] = [Foundation1764090000000];
