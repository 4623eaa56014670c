import { Module } from '@nestjs/common';
import { CitiesService } from './cities.service';
import { WorkingCalendarsService } from './working-calendars.service';

@Module({
  providers: [CitiesService, WorkingCalendarsService],
  exports: [CitiesService, WorkingCalendarsService],
})
export class CitiesModule {}
