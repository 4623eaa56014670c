import { Body, Controller, Get, Header, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  OrganizationNotFoundError,
  OrganizationsService,
  PasswordsService,
  RegistrationThrottleService,
  UserAccountsService,
  ValidationFailedError,
} from '@app/domain';
import { PageQueryDto } from '../common/pagination.dto';
import { ApiErrors } from '../common/api-errors.decorator';
import { AuthUser, CurrentUser, Public, Roles } from '../common/auth.decorators';
import { IssuePasswordResetDto } from '../auth/dto/login.dto';
import { PasswordResetIssuedDto } from '../auth/dto/token-response.dto';
import { uuidParam } from '../common/validation';
import {
  CreateOrganizationDto,
  RegisterSupplierDto,
  SetStatusDto,
  SetUserActiveDto,
  UserInputDto,
} from './dto/organization-input.dto';
import {
  AdminOrganizationQueryDto,
  CreatedUserDto,
  OrganizationAdminDto,
  OrganizationAdminPageDto,
  OrganizationPageDto,
  OrganizationProfileDto,
  PublicOrganizationQueryDto,
  RegistrationResponseDto,
  UserAccountDto,
  UserAccountPageDto,
} from './dto/organization.dto';

@ApiTags('organizations')
@Controller()
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly passwords: PasswordsService,
    private readonly registrations: RegistrationThrottleService,
    private readonly accounts: UserAccountsService,
  ) {}

  @Post('organizations/register')
  @Public()
  @ApiCreatedResponse({ type: RegistrationResponseDto, description: 'The supplier starts pending' })
  @ApiErrors(400, 409, 413, 429)
  async register(@Body() body: RegisterSupplierDto, @Req() req: Request): Promise<RegistrationResponseDto> {
    await this.registrations.take(req.ip ?? 'unknown');
    const { organization, user } = await this.organizations.registerSupplier(
      { ...body.organization, sme: body.organization.sme ?? false },
      body.user,
    );
    return { organization: OrganizationAdminDto.from(organization), user: CreatedUserDto.from(user) };
  }

  @Get('organizations')
  @Public()
  @ApiOkResponse({ type: OrganizationPageDto, description: 'Active organisations, newest first' })
  @ApiErrors(400)
  async listPublic(@Query() query: PublicOrganizationQueryDto): Promise<OrganizationPageDto> {
    const page = await this.organizations.list({ ...query, status: 'active' });
    return { items: page.items.map((o) => OrganizationProfileDto.from(o)), nextCursor: page.nextCursor };
  }

  @Get('organizations/:id')
  @Public()
  @ApiOkResponse({ type: OrganizationProfileDto })
  @ApiErrors(400, 404)
  async profile(@Param('id', uuidParam('id')) id: string): Promise<OrganizationProfileDto> {
    const organization = await this.organizations.get(id);
    // A self-registration no operator has verified yet is not published (the public list leaves it out too). A
    // suspended organisation stays public, with its status: it may have taken part in deals that are.
    if (organization.status === 'pending') {
      throw new OrganizationNotFoundError('No organisation with this id', { id });
    }
    return OrganizationProfileDto.from(organization);
  }

  @Post('admin/organizations')
  @Roles('operator')
  @ApiCreatedResponse({ type: RegistrationResponseDto })
  @ApiErrors(400, 409)
  async create(@Body() body: CreateOrganizationDto): Promise<RegistrationResponseDto> {
    const { organization, user } = await this.organizations.createByOperator(
      body.kind,
      { ...body.organization, sme: body.organization.sme ?? false },
      body.user,
    );
    return { organization: OrganizationAdminDto.from(organization), user: CreatedUserDto.from(user) };
  }

  @Get('admin/organizations')
  @Roles('operator')
  @ApiOkResponse({ type: OrganizationAdminPageDto })
  @ApiErrors(400)
  async listAdmin(@Query() query: AdminOrganizationQueryDto): Promise<OrganizationAdminPageDto> {
    const page = await this.organizations.list(query);
    return { items: page.items.map((o) => OrganizationAdminDto.from(o)), nextCursor: page.nextCursor };
  }

  @Patch('admin/organizations/:id/status')
  @Roles('operator')
  @ApiOkResponse({ type: OrganizationAdminDto })
  @ApiErrors(400, 404, 409)
  async setStatus(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: SetStatusDto,
  ): Promise<OrganizationAdminDto> {
    if (body.status === 'suspended' && !body.reason) {
      throw new ValidationFailedError('reason: a reason is required to suspend an organisation', {
        fields: [{ field: 'reason', messages: ['reason is required when suspending'] }],
      });
    }
    return OrganizationAdminDto.from(
      await this.organizations.setStatus(id, body.status, body.reason ?? null),
    );
  }

  @Post('admin/organizations/:id/users')
  @Roles('operator')
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiErrors(400, 404, 409)
  async addUser(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UserInputDto,
  ): Promise<CreatedUserDto> {
    return CreatedUserDto.from(await this.organizations.addUser(id, body));
  }

  @Get('admin/organizations/:id/users')
  @Roles('operator')
  @ApiOkResponse({ type: UserAccountPageDto })
  @ApiErrors(400, 404)
  listUsers(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: PageQueryDto,
  ): Promise<UserAccountPageDto> {
    return this.accounts.listOfOrganization(id, query.limit, query.cursor);
  }

  /**
   * Turns a user account off (its sessions and access tokens end at once, its pending password resets are spent,
   * it cannot sign in) or back on. An operator's own account is refused (409 CANNOT_DEACTIVATE_SELF); another
   * operator's is allowed, so that a lost or misused operator account can be stopped.
   */
  @Patch('admin/users/:id/status')
  @Roles('operator')
  @ApiOkResponse({ type: UserAccountDto })
  @ApiErrors(400, 403, 404, 409)
  setUserActive(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: SetUserActiveDto,
  ): Promise<UserAccountDto> {
    return this.accounts.setActive(caller.userId, id, body.active);
  }

  /**
   * An operator issues a one-time password reset for a user who cannot sign in; the platform sends no email, so
   * the operator hands the token over. The user's password and sessions change only when the token is used. An
   * operator's account is refused (403 OPERATOR_RESET_NOT_ALLOWED).
   */
  @Post('admin/password-resets')
  @Roles('operator')
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: PasswordResetIssuedDto })
  @ApiErrors(400, 403, 404)
  async issuePasswordReset(
    @CurrentUser() caller: AuthUser,
    @Body() body: IssuePasswordResetDto,
  ): Promise<PasswordResetIssuedDto> {
    const issued = await this.passwords.issueReset(caller.userId, body.email);
    return { ...issued, expiresAt: issued.expiresAt.toISOString() };
  }
}
