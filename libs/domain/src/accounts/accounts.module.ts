import { Module } from '@nestjs/common';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordResetThrottleService } from './password-reset-throttle.service';
import { PasswordsService } from './passwords.service';
import { RegistrationThrottleService } from './registration-throttle.service';
import { SessionsService } from './sessions.service';
import { UserAccountsService } from './user-accounts.service';
import { UsersService } from './users.service';

@Module({
  providers: [
    UsersService,
    SessionsService,
    LoginThrottleService,
    RegistrationThrottleService,
    PasswordResetThrottleService,
    PasswordsService,
    UserAccountsService,
  ],
  exports: [
    UsersService,
    SessionsService,
    LoginThrottleService,
    RegistrationThrottleService,
    PasswordResetThrottleService,
    PasswordsService,
    UserAccountsService,
  ],
})
export class AccountsModule {}
