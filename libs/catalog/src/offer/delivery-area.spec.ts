import fc from 'fast-check';
import { deliveryAreaKeys, describeDeliveryArea, keysReachingCity } from './delivery-area';

const moscow = { id: '4d8cf46a-6000-4a08-a546-7802309f53f2', country: 'RU', region: 'Moscow' };

describe('delivery area', () => {
  it('turns cities, regions and countries into keys and back', () => {
    const area = {
      cityIds: [moscow.id],
      regions: [{ country: 'KZ', region: 'Almaty Region' }],
      countries: ['BY'],
    };
    const keys = deliveryAreaKeys(area);
    expect(keys).toEqual(['c:4d8cf46a-6000-4a08-a546-7802309f53f2', 'k:BY', 'r:KZ:Almaty Region']);
    expect(describeDeliveryArea(keys)).toEqual(area);
  });

  it('drops duplicates', () => {
    expect(
      deliveryAreaKeys({ countries: ['RU', 'RU'], cityIds: [moscow.id, moscow.id.toUpperCase()] }),
    ).toHaveLength(2);
  });

  it('reaches a city through the city itself, its region or its country', () => {
    const reach = keysReachingCity(moscow);
    for (const area of [
      { cityIds: [moscow.id] },
      { regions: [{ country: 'RU', region: 'Moscow' }] },
      { countries: ['RU'] },
    ]) {
      expect(deliveryAreaKeys(area).some((k) => reach.includes(k))).toBe(true);
    }
    expect(deliveryAreaKeys({ countries: ['KZ'] }).some((k) => reach.includes(k))).toBe(false);
  });

  it('round-trips any area', () => {
    const region = fc.record({
      country: fc.stringMatching(/^[A-Z]{2}$/),
      region: fc.string({ minLength: 1, maxLength: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.uuid()),
        fc.array(region),
        fc.array(fc.stringMatching(/^[A-Z]{2}$/)),
        (cityIds, regions, countries) => {
          const keys = deliveryAreaKeys({ cityIds, regions, countries });
          expect(deliveryAreaKeys(describeDeliveryArea(keys))).toEqual(keys);
        },
      ),
    );
  });
});
