import { Module } from '@nestjs/common';
import { AccountsModule, OrganizationsModule } from '@app/domain';
import { OrganizationsController } from './organizations.controller';

@Module({ imports: [OrganizationsModule, AccountsModule], controllers: [OrganizationsController] })
export class OrganizationsHttpModule {}
