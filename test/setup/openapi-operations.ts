import type { Role } from '@app/domain';
import type { TestApp } from './app-factory';

/** An id that fills every path parameter: well formed, and of nothing that exists. */
export const ANY_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The path with every parameter filled with ANY_ID. */
  path: string;
  isPublic: boolean;
  roles: Role[] | undefined;
  /** The operation object of the OpenAPI document. */
  spec: Record<string, unknown>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the app's OpenAPI document, with the access it declares. */
export function operations(t: TestApp): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(t.openapi.paths)) {
    for (const method of METHODS) {
      const spec = (item as Record<string, Record<string, unknown> | undefined>)[method];
      if (!spec) continue;
      ops.push({
        method,
        path: path.replace(/\{[^}]+\}/g, ANY_ID),
        isPublic: spec['x-public'] === true,
        roles: spec['x-roles'] as Role[] | undefined,
        spec,
      });
    }
  }
  return ops;
}
