import { Module } from '@nestjs/common';
import { CitiesModule } from '@app/domain';
import { CitiesController } from './cities.controller';

@Module({ imports: [CitiesModule], controllers: [CitiesController] })
export class CitiesHttpModule {}
