import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ALLOWED_ROLES, IS_PUBLIC } from './auth.decorators';

/**
 * Refuses to boot if any route declares neither Public nor Roles, so no endpoint can be left unguarded
 * by forgetting a decorator.
 */
@Injectable()
export class RouteAudit implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const unclassified: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as () => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const targets = [handler, wrapper.metatype as () => unknown];
        const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
        const roles = this.reflector.getAllAndOverride<string[]>(ALLOWED_ROLES, targets);
        if (!isPublic && !roles) unclassified.push(`${wrapper.name}.${name}`);
      }
    }
    if (unclassified.length > 0) {
      throw new Error(`Routes without @Public() or @Roles(): ${unclassified.join(', ')}`);
    }
  }
}
