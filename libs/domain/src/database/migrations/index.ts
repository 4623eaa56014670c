import { Foundation1764090000000 } from './1764090000000-Foundation';
import { Catalogue1764200000000 } from './1764200000000-Catalogue';
import { Procurement1764300000000 } from './1764300000000-Procurement';
import { DealLog1764400000000 } from './1764400000000-DealLog';
import { FixDealLogWatermark1764450000000 } from './1764450000000-FixDealLogWatermark';
import { AuditIndexes1764500000000 } from './1764500000000-AuditIndexes';
import { Analytics1764600000000 } from './1764600000000-Analytics';
import { ExchangeRates1764700000000 } from './1764700000000-ExchangeRates';
import { AnalyticsWatermarks1764750000000 } from './1764750000000-AnalyticsWatermarks';
import { PriceComparisons1764800000000 } from './1764800000000-PriceComparisons';
import { ReferencePriceByCharacteristics1764820000000 } from './1764820000000-ReferencePriceByCharacteristics';
import { TenderItemCharacteristics1764850000000 } from './1764850000000-TenderItemCharacteristics';
import { PriceStatsKeys1764860000000 } from './1764860000000-PriceStatsKeys';
import { PriceQuantileShortcuts1764870000000 } from './1764870000000-PriceQuantileShortcuts';
import { PriceStatsParts1764880000000 } from './1764880000000-PriceStatsParts';
import { ContractedItems1764890000000 } from './1764890000000-ContractedItems';
import { TenderItemsByTender1764895000000 } from './1764895000000-TenderItemsByTender';
import { PriceStatsChanges1764897000000 } from './1764897000000-PriceStatsChanges';
import { LogPages1764900000000 } from './1764900000000-LogPages';
import { SearchWordLexemes1764910000000 } from './1764910000000-SearchWordLexemes';
import { OfferPriceBands1764920000000 } from './1764920000000-OfferPriceBands';
import { SearchEntryPartitions1764930000000 } from './1764930000000-SearchEntryPartitions';
import { InactiveSuppliers1764940000000 } from './1764940000000-InactiveSuppliers';
import { OfferKeysInDocument1764950000000 } from './1764950000000-OfferKeysInDocument';
import { TenderingDue1764960000000 } from './1764960000000-TenderingDue';
import { RoomToOpenBids1764970000000 } from './1764970000000-RoomToOpenBids';
import { TenderSearchDocuments1764980000000 } from './1764980000000-TenderSearchDocuments';
import { SnapshotWatermark1764990000000 } from './1764990000000-SnapshotWatermark';
import { FreshTreeHead1765000000000 } from './1765000000000-FreshTreeHead';
import { WorkingCalendars1765010000000 } from './1765010000000-WorkingCalendars';
import { RetrySafeQuestionsAndAmendments1765020000000 } from './1765020000000-RetrySafeQuestionsAndAmendments';
import { ListIndexes1765030000000 } from './1765030000000-ListIndexes';
import { Complaints1765040000000 } from './1765040000000-Complaints';
import { RedFlagFilterIndexes1765050000000 } from './1765050000000-RedFlagFilterIndexes';
import { BuyerTendersByCreation1765060000000 } from './1765060000000-BuyerTendersByCreation';
import { TenderListsPaged1765070000000 } from './1765070000000-TenderListsPaged';
import { TenderValue1765080000000 } from './1765080000000-TenderValue';
import { ComplaintsByFiling1765090000000 } from './1765090000000-ComplaintsByFiling';
import { ExchangeRatesByDay1765100000000 } from './1765100000000-ExchangeRatesByDay';
import { RecomputeRedFlags1765110000000 } from './1765110000000-RecomputeRedFlags';
import { ContractCancellation1765120000000 } from './1765120000000-ContractCancellation';
import { AmendmentKeysPerOrganiser1765130000000 } from './1765130000000-AmendmentKeysPerOrganiser';
import { TenderDeadlines1765140000000 } from './1765140000000-TenderDeadlines';
import { JointContractUnitPrices1765150000000 } from './1765150000000-JointContractUnitPrices';
import { JointBuyerConsent1765160000000 } from './1765160000000-JointBuyerConsent';
import { BidIdempotencyRequest1765170000000 } from './1765170000000-BidIdempotencyRequest';
import { BidsPlacedAt1765180000000 } from './1765180000000-BidsPlacedAt';
import { SingleItemLotUnitPrices1765190000000 } from './1765190000000-SingleItemLotUnitPrices';
import { PriceStatsPerPurchase1765200000000 } from './1765200000000-PriceStatsPerPurchase';
import { RefreshTokenSuccessor1765210000000 } from './1765210000000-RefreshTokenSuccessor';
import { PasswordResets1765220000000 } from './1765220000000-PasswordResets';
import { DirectPurchases1765230000000 } from './1765230000000-DirectPurchases';
import { UsersByOrganization1765240000000 } from './1765240000000-UsersByOrganization';
import { ContractsByParty1765250000000 } from './1765250000000-ContractsByParty';
import { AwardDeclines1765260000000 } from './1765260000000-AwardDeclines';
import { ElectronicAuctions1765270000000 } from './1765270000000-ElectronicAuctions';

/** Migrations in order; a new migration is appended here as `<timestamp>-PascalCase.ts`. */
export const MIGRATIONS: (new () => object)[] = [
  Foundation1764090000000,
  Catalogue1764200000000,
  Procurement1764300000000,
  DealLog1764400000000,
  FixDealLogWatermark1764450000000,
  AuditIndexes1764500000000,
  Analytics1764600000000,
  ExchangeRates1764700000000,
  AnalyticsWatermarks1764750000000,
  PriceComparisons1764800000000,
  ReferencePriceByCharacteristics1764820000000,
  TenderItemCharacteristics1764850000000,
  PriceStatsKeys1764860000000,
  PriceQuantileShortcuts1764870000000,
  PriceStatsParts1764880000000,
  ContractedItems1764890000000,
  TenderItemsByTender1764895000000,
  PriceStatsChanges1764897000000,
  LogPages1764900000000,
  SearchWordLexemes1764910000000,
  OfferPriceBands1764920000000,
  SearchEntryPartitions1764930000000,
  InactiveSuppliers1764940000000,
  OfferKeysInDocument1764950000000,
  TenderingDue1764960000000,
  RoomToOpenBids1764970000000,
  TenderSearchDocuments1764980000000,
  SnapshotWatermark1764990000000,
  FreshTreeHead1765000000000,
  WorkingCalendars1765010000000,
  RetrySafeQuestionsAndAmendments1765020000000,
  ListIndexes1765030000000,
  Complaints1765040000000,
  RedFlagFilterIndexes1765050000000,
  BuyerTendersByCreation1765060000000,
  TenderListsPaged1765070000000,
  TenderValue1765080000000,
  ComplaintsByFiling1765090000000,
  ExchangeRatesByDay1765100000000,
  RecomputeRedFlags1765110000000,
  ContractCancellation1765120000000,
  AmendmentKeysPerOrganiser1765130000000,
  TenderDeadlines1765140000000,
  JointContractUnitPrices1765150000000,
  JointBuyerConsent1765160000000,
  BidIdempotencyRequest1765170000000,
  BidsPlacedAt1765180000000,
  SingleItemLotUnitPrices1765190000000,
  PriceStatsPerPurchase1765200000000,
  RefreshTokenSuccessor1765210000000,
  PasswordResets1765220000000,
  DirectPurchases1765230000000,
  UsersByOrganization1765240000000,
  ContractsByParty1765250000000,
  AwardDeclines1765260000000,
  ElectronicAuctions1765270000000,
];
