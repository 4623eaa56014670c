import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, OrganizationsService } from '@app/domain';

/** Creates the first operator from BOOTSTRAP_OPERATOR_EMAIL/PASSWORD at start, once; never from the code. */
@Injectable()
export class BootstrapOperator implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapOperator.name);

  constructor(
    private readonly config: AppConfig,
    private readonly organizations: OrganizationsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.BOOTSTRAP_OPERATOR_EMAIL;
    const password = this.config.BOOTSTRAP_OPERATOR_PASSWORD;
    if (!email || !password) return;
    const { user, created } = await this.organizations.ensureOperator({
      email,
      password,
      fullName: 'Platform operator',
    });
    if (created) this.logger.log('created the bootstrap operator account');
    else if (user.role !== 'operator') {
      // Said at every start: the operator the configuration asks for does not exist.
      this.logger.warn(
        `BOOTSTRAP_OPERATOR_EMAIL belongs to a ${user.role}'s account: no operator was created; choose another email`,
      );
    }
  }
}
