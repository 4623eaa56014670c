import { Module } from '@nestjs/common';
import { OcdsExportService } from './ocds-export.service';
import { OcdsService } from './ocds.service';

/** OCDS 1.1 open data: releases, packages and records from the deal events, and the daily bulk export. */
@Module({ providers: [OcdsService, OcdsExportService], exports: [OcdsService, OcdsExportService] })
export class OcdsModule {}
