import { Module } from '@nestjs/common';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordsService } from './passwords.service';
import { RegistrationThrottleService } from './registration-throttle.service';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

@Module({
  providers: [
    UsersService,
    SessionsService,
    LoginThrottleService,
    RegistrationThrottleService,
    PasswordsService,
  ],
  exports: [
    UsersService,
    SessionsService,
    LoginThrottleService,
    RegistrationThrottleService,
    PasswordsService,
  ],
})
export class AccountsModule {}
