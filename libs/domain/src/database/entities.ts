import { CATALOG_ENTITIES } from '@app/catalog';
import { PasswordReset } from '../accounts/password-reset.entity';
import { RefreshToken } from '../accounts/refresh-token.entity';
import { User } from '../accounts/user.entity';
import { City } from '../cities/city.entity';
import { WorkingCalendarYearRow } from '../cities/working-calendar-year.entity';
import { Organization } from '../organizations/organization.entity';
import { ExchangeRate } from '../analytics/exchange-rate.entity';
import { PriceComparison } from '../analytics/price-comparison.entity';
import { PriceStat } from '../analytics/price-stat.entity';
import { ContractedItem } from '../analytics/contracted-item.entity';
import { PriceStatsChange } from '../analytics/price-stats-change.entity';
import { PriceStatsPartRow } from '../analytics/price-stats-part.entity';
import { AnalyticsCursor, RedFlag, RedFlagRun } from '../analytics/red-flag.entity';
import { Award, Contract } from '../award/award.entity';
import { Complaint } from '../award/complaint.entity';
import { Bid, BidLot } from '../bid/bid.entity';
import { DealEvent } from '../deal-log/deal-event.entity';
import { LogEntry, LogFreshHead, LogNode, LogPage, LogTreeHead } from '../deal-log/log.entity';
import { Tender } from '../tender/tender.entity';
import { TenderSearchDocument } from '../tender/tender-search-document.entity';
import {
  Lot,
  LotBuyerShare,
  TenderAmendment,
  TenderBuyer,
  TenderDocument,
  TenderItem,
  TenderItemQuantity,
  TenderQuestion,
} from '../tender/tender-parts.entity';

/** Every entity of the marketplace; the migrations must describe exactly these (a test checks it). */
export const PROCUREMENT_ENTITIES = [
  Tender,
  TenderSearchDocument,
  TenderBuyer,
  Lot,
  LotBuyerShare,
  TenderItem,
  TenderItemQuantity,
  TenderDocument,
  TenderQuestion,
  TenderAmendment,
  Bid,
  BidLot,
  Award,
  Complaint,
  Contract,
  DealEvent,
  LogEntry,
  LogNode,
  LogPage,
  LogTreeHead,
  LogFreshHead,
  RedFlag,
  RedFlagRun,
  AnalyticsCursor,
  ExchangeRate,
  PriceStat,
  PriceStatsPartRow,
  ContractedItem,
  PriceStatsChange,
  PriceComparison,
];

export const ENTITIES = [
  City,
  WorkingCalendarYearRow,
  Organization,
  User,
  RefreshToken,
  PasswordReset,
  ...CATALOG_ENTITIES,
  ...PROCUREMENT_ENTITIES,
];
