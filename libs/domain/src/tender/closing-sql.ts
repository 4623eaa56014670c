import { EAEU_COUNTRIES } from '../procurement/rules/ranking';

const EAEU = EAEU_COUNTRIES.map((c) => `'${c}'`).join(', ');

/**
 * Whether the supplier of a bid (alias b) is local to the buyer of a tender (alias d: discount, scope, and the
 * organiser's city_id, region and upper-case country) as rankLot's isLocal decides; looked up only where a
 * preference applies (a discount above zero).
 */
export const LOCAL_SUPPLIER = `coalesce(d.discount > 0 AND (
           SELECT CASE d.scope
                    WHEN 'city' THEN c.id = d.city_id
                    WHEN 'region' THEN upper(c.country) = d.country AND c.region = d.region
                    WHEN 'country' THEN upper(c.country) = d.country
                    WHEN 'eaeu' THEN upper(c.country) IN (${EAEU})
                    ELSE false END
             FROM organizations o JOIN cities c ON c.id = o.city_id WHERE o.id = b.supplier_id), false)`;
