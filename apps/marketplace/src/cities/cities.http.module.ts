import { Module } from '@nestjs/common';
import { CitiesModule } from '@app/domain';
import { CalendarsController } from './calendars.controller';
import { CitiesController } from './cities.controller';

@Module({ imports: [CitiesModule], controllers: [CitiesController, CalendarsController] })
export class CitiesHttpModule {}
