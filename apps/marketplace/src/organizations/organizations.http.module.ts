import { Module } from '@nestjs/common';
import { OrganizationsModule } from '@app/domain';
import { OrganizationsController } from './organizations.controller';

@Module({ imports: [OrganizationsModule], controllers: [OrganizationsController] })
export class OrganizationsHttpModule {}
