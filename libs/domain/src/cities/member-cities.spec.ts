import { MEMBER_CITIES } from './member-cities';

const zoneOf = (code: string) => MEMBER_CITIES.find((city) => city.code === code)?.timeZone;

describe('MEMBER_CITIES', () => {
  it('has at least 30 cities', () => {
    expect(MEMBER_CITIES.length).toBeGreaterThanOrEqual(30);
  });

  it('has unique lowercase ASCII slug codes', () => {
    const codes = MEMBER_CITIES.map((city) => city.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('uses time zones the runtime knows', () => {
    for (const { timeZone } of MEMBER_CITIES) {
      expect(() => new Intl.DateTimeFormat(undefined, { timeZone })).not.toThrow();
      expect(timeZone).toMatch(/^(Europe|Asia)\/[A-Za-z_]+$/);
    }
  });

  it('uses ISO 3166-1 alpha-2 countries and fills every name', () => {
    for (const city of MEMBER_CITIES) {
      expect(city.country).toMatch(/^[A-Z]{2}$/);
      expect(city.nameRu.trim()).not.toBe('');
      expect(city.nameEn.trim()).not.toBe('');
      expect(city.region.trim()).not.toBe('');
    }
  });

  it('includes the required cities', () => {
    const required = [
      'moscow',
      'saint-petersburg',
      'novosibirsk',
      'yekaterinburg',
      'kazan',
      'nizhny-novgorod',
      'omsk',
      'samara',
      'ufa',
      'rostov-on-don',
      'ryazan',
      'yaroslavl',
      'orenburg',
      'magadan',
      'vladivostok',
      'krasnoyarsk',
      'irkutsk',
      'khabarovsk',
      'kaliningrad',
      'volgograd',
      'perm',
      'chelyabinsk',
      'astana',
      'almaty',
      'shymkent',
      'minsk',
      'mogilev',
      'gomel',
      'brest',
      'bishkek',
      'osh',
      'yerevan',
      'gyumri',
      'chisinau',
      'balti',
      'dushanbe',
      'khujand',
      'tashkent',
      'samarkand',
    ];
    expect(MEMBER_CITIES.map((city) => city.code)).toEqual(expect.arrayContaining(required));
  });

  it.each([
    ['moscow', 'Europe/Moscow'],
    ['novosibirsk', 'Asia/Novosibirsk'],
    ['magadan', 'Asia/Magadan'],
    ['samara', 'Europe/Samara'],
    ['orenburg', 'Asia/Yekaterinburg'],
    ['ufa', 'Asia/Yekaterinburg'],
    ['omsk', 'Asia/Omsk'],
    ['volgograd', 'Europe/Volgograd'],
    ['kaliningrad', 'Europe/Kaliningrad'],
    ['khabarovsk', 'Asia/Vladivostok'],
    ['astana', 'Asia/Almaty'],
    ['osh', 'Asia/Bishkek'],
    ['khujand', 'Asia/Dushanbe'],
    ['samarkand', 'Asia/Samarkand'],
    ['balti', 'Europe/Chisinau'],
  ])('puts %s in %s', (code, timeZone) => {
    expect(zoneOf(code)).toBe(timeZone);
  });
});
