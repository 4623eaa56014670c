import { hash } from 'node:crypto';
import { decodeHexHash, EntryKind, hexHashEquals, type PageItem, readPage } from './log-page';
import { type CheckedPage, DIFFERS, entryLeafHash, NO_JSON } from './verifier-core';

/** The buffers of a checked page that can be handed to another thread rather than copied. */
export const transferables = (page: CheckedPage): ArrayBuffer[] =>
  [page.indexes, page.leaves, page.outcomes, page.commitBytes].map((a) => a.buffer as ArrayBuffer);

/**
 * Reads a page (UTF-8 bytes; see readPage, which also overwrites a byte before each entry) and checks every item
 * on its own: a canonical entry is hashed as served, any other is parsed and canonicalised.
 */
export function checkPage(page: Buffer): CheckedPage {
  const items = readPage(page);
  const count = items.length;
  const checked: CheckedPage = {
    count,
    indexes: new Float64Array(count),
    indexTexts: {},
    leaves: new Uint8Array(count * 32),
    outcomes: new Uint8Array(count),
    notes: {},
    commitPositions: [],
    commitTenders: [],
    commitTimes: [],
    commitBytes: new Uint8Array(0),
    parsedPositions: [],
    parsedEntries: [],
  };
  const commitments: number[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i]!;
    if (typeof item.index === 'number') checked.indexes[i] = item.index;
    else {
      checked.indexes[i] = NaN;
      checked.indexTexts[i] = String(item.index);
    }
    leafOf(item, page, checked, i);
    commitmentOf(item, page, checked, i, commitments);
  }
  checked.commitBytes = new Uint8Array(commitments.length * 32);
  for (let k = 0; k < commitments.length; k++)
    decodeHexHash(page, commitments[k]!, checked.commitBytes, k * 32);
  return checked;
}

/** The item's leaf hash into `checked.leaves`, and its outcome. */
function leafOf(item: PageItem, page: Buffer, checked: CheckedPage, i: number): void {
  // The hash as a binary string: a Buffer result costs twice as much per call, and calls are most of the cost.
  let leaf: string;
  if (item.canonical) {
    leaf = hash('sha256', item.leaf, 'binary');
  } else {
    try {
      leaf = entryLeafHash(parseEntry(item)).toString('latin1');
    } catch (error) {
      checked.outcomes[i] = NO_JSON;
      checked.notes[i] = (error as Error).message;
      return;
    }
  }
  for (let j = 0; j < 32; j++) checked.leaves[i * 32 + j] = leaf.charCodeAt(j);
  const at = item.leafHashAt;
  const matches =
    at >= 0 ? hexHashEquals(page, at, leaf) : item.leafHash === Buffer.from(leaf, 'latin1').toString('hex');
  if (!matches) {
    checked.outcomes[i] = DIFFERS;
    checked.notes[i] = at >= 0 ? page.toString('latin1', at, at + 64) : String(item.leafHash);
  }
}

/**
 * What the commitment check needs of the item: what the fast scan read suffices, except for an opened bid (its
 * content is hashed), a changed or withdrawn bid (the commitment it retires), a closing (the count of commitments
 * it must have opened is checked there), an auction's start or price (checked against its end), or a tender id that is not a
 * string; those entries, and any the fast scan did not read, go parsed. Only a commitment of 64 lowercase hex
 * digits can match an opened bid's (which must be one).
 */
function commitmentOf(item: PageItem, page: Buffer, checked: CheckedPage, i: number, at: number[]): void {
  if (
    !item.scanned ||
    item.kind === EntryKind.Opens ||
    item.kind === EntryKind.Retires ||
    item.kind === EntryKind.Closes ||
    item.kind === EntryKind.SetsDeadline ||
    item.kind === EntryKind.Auction ||
    (item.kind === EntryKind.Commits && (item.tenderStart < 0 || item.occurredStart < 0))
  ) {
    // An item without an entry has nothing to check.
    if (item.leaf.length > 1) {
      checked.parsedEntries.push(parseEntry(item));
      checked.parsedPositions.push(i);
    }
    return;
  }
  if (item.kind !== EntryKind.Commits || item.commitmentAt < 0) return;
  checked.commitPositions.push(i);
  checked.commitTenders.push(page.toString('latin1', item.tenderStart, item.tenderEnd));
  checked.commitTimes.push(page.toString('latin1', item.occurredStart, item.occurredEnd));
  at.push(item.commitmentAt);
}

/** The value of a served entry (read and checked as JSON already), or undefined when the item has none. */
function parseEntry(item: PageItem): unknown {
  return item.leaf.length <= 1 ? undefined : (JSON.parse(item.leaf.toString('utf8', 1)) as unknown);
}
