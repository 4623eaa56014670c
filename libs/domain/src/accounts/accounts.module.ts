import { Module } from '@nestjs/common';
import { LoginThrottleService } from './login-throttle.service';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

@Module({
  providers: [UsersService, SessionsService, LoginThrottleService],
  exports: [UsersService, SessionsService, LoginThrottleService],
})
export class AccountsModule {}
