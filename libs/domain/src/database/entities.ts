import { RefreshToken } from '../accounts/refresh-token.entity';
import { User } from '../accounts/user.entity';
import { City } from '../cities/city.entity';
import { Organization } from '../organizations/organization.entity';

/** Every entity of the marketplace; the migrations must describe exactly these (a test checks it). */
export const ENTITIES = [City, Organization, User, RefreshToken];
