import { Module } from '@nestjs/common';
import { LoginThrottleService } from './login-throttle.service';
import { RegistrationThrottleService } from './registration-throttle.service';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

@Module({
  providers: [UsersService, SessionsService, LoginThrottleService, RegistrationThrottleService],
  exports: [UsersService, SessionsService, LoginThrottleService, RegistrationThrottleService],
})
export class AccountsModule {}
