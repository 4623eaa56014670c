import { Module } from '@nestjs/common';
import { OcdsModule } from '@app/domain/ocds';
import { OcdsController } from './ocds.controller';

@Module({ imports: [OcdsModule], controllers: [OcdsController] })
export class OcdsHttpModule {}
