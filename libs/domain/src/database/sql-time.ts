/** SQL for a timestamptz column as ISO 8601 text in UTC with microseconds (`2026-11-27T03:20:19.429000Z`). */
export const isoUtc = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
