import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches } from 'class-validator';
import { WorkingCalendarsService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';

class CalendarParamsDto {
  @ApiProperty({ example: 'AM', description: 'ISO 3166-1 alpha-2 code of a member country' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;
  @ApiProperty({ example: '2027' })
  @Matches(/^\d{4}$/, { message: 'year must be four digits' })
  year: string;
}

class SetCalendarDto {
  @ApiProperty({
    type: [String],
    example: ['2027-01-01', '2027-01-06'],
    description: 'Monday-to-Friday dates of the year that are not working days (holidays, moved days off)',
  })
  @IsArray()
  @ArrayMaxSize(366)
  @IsString({ each: true })
  daysOff: string[];
  @ApiProperty({
    type: [String],
    example: [],
    description: 'Saturdays and Sundays of the year that a transfer makes working days',
  })
  @IsArray()
  @ArrayMaxSize(366)
  @IsString({ each: true })
  workingWeekendDays: string[];
}

const VIEW = {
  description:
    '{ country, year, daysOff, workingWeekendDays, source: operator | built-in | none, setAt }; none: weekends only',
  schema: { type: 'object' },
};

/**
 * Working-day calendars of the member countries, by which minimum periods in working days are counted. Built in
 * for RU, KZ and BY (2025-2027); operators set any member country's year, which replaces the built-in one.
 */
@ApiTags('cities')
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: WorkingCalendarsService) {}

  @Get(':country/:year')
  @Public()
  @ApiOkResponse(VIEW)
  @ApiErrors(400, 404)
  get(@Param() params: CalendarParamsDto) {
    return this.calendars.get(params.country, Number(params.year));
  }

  @Put(':country/:year')
  @Roles('operator')
  @ApiOkResponse(VIEW)
  @ApiErrors(400, 404)
  set(@CurrentUser() caller: AuthUser, @Param() params: CalendarParamsDto, @Body() body: SetCalendarDto) {
    return this.calendars.set(caller.userId, params.country, {
      year: Number(params.year),
      daysOff: body.daysOff,
      workingWeekendDays: body.workingWeekendDays,
    });
  }
}
