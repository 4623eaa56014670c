/** Who acts on the catalogue, as the HTTP layer read it from a verified token. */
export interface CatalogActor {
  userId: string;
  organizationId: string;
  role: 'buyer' | 'supplier' | 'auditor' | 'operator';
}
