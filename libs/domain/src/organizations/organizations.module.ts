import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { OrganizationsService } from './organizations.service';

@Module({ imports: [AccountsModule], providers: [OrganizationsService], exports: [OrganizationsService] })
export class OrganizationsModule {}
