import type { EntityManager } from 'typeorm';
import { BuyerNotActiveError, SupplierNotActiveError } from './tender.errors';

/**
 * The organisation acting on a tender is still active. Suspension signs its users out, but an access token already
 * checked, or a signing out that failed part-way, must not let a suspended buyer decide awards or a suspended
 * supplier withdraw a bid. The row is share-locked, so a suspension committing meanwhile waits for the action, and
 * an action after it sees it. Take it after the tender's lock, as every action does.
 */
export async function assertActing(
  manager: EntityManager,
  organizationId: string,
  kind: 'buyer' | 'supplier',
): Promise<void> {
  const [org] = await manager.query<{ status: string; kind: string }[]>(
    'SELECT status, kind FROM organizations WHERE id = $1 FOR SHARE',
    [organizationId],
  );
  if (org?.kind === kind && org.status === 'active') return;
  const details = { status: org?.status ?? null };
  if (kind === 'buyer') {
    throw new BuyerNotActiveError(
      'Your organisation is not active; an operator must activate it first',
      details,
    );
  }
  throw new SupplierNotActiveError(
    'Your organisation is not active; an operator must activate it first',
    details,
  );
}
