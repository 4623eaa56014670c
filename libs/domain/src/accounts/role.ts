import type { OrganizationKind } from '../organizations/organization.entity';

/** A user's role is the kind of the organisation it acts for. */
export const ROLES = ['buyer', 'supplier', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export function roleForOrganization(kind: OrganizationKind): Role {
  return kind;
}
