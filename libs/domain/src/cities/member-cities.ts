/**
 * Seed list of member cities. City names, countries (ISO 3166-1 alpha-2), first-level regions and IANA time
 * zones are public geographic facts. Regions are the English names of the first-level division; a city that is
 * itself a first-level division (a capital or a city of republican/federal significance) is its own region.
 *
 * Kazakhstan moved to a single UTC+5 offset in March 2024; the IANA database keeps Asia/Almaty as the zone for
 * Almaty, Astana and Shymkent.
 */

export interface MemberCitySeed {
  /** Stable lowercase ASCII slug. */
  code: string;
  nameRu: string;
  nameEn: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** First-level administrative division, in English. */
  region: string;
  /** IANA time zone name. */
  timeZone: string;
}

export const MEMBER_CITIES: readonly MemberCitySeed[] = [
  // Russia
  {
    code: 'moscow',
    nameRu: 'Москва',
    nameEn: 'Moscow',
    country: 'RU',
    region: 'Moscow',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'saint-petersburg',
    nameRu: 'Санкт-Петербург',
    nameEn: 'Saint Petersburg',
    country: 'RU',
    region: 'Saint Petersburg',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'novosibirsk',
    nameRu: 'Новосибирск',
    nameEn: 'Novosibirsk',
    country: 'RU',
    region: 'Novosibirsk Oblast',
    timeZone: 'Asia/Novosibirsk',
  },
  {
    code: 'yekaterinburg',
    nameRu: 'Екатеринбург',
    nameEn: 'Yekaterinburg',
    country: 'RU',
    region: 'Sverdlovsk Oblast',
    timeZone: 'Asia/Yekaterinburg',
  },
  {
    code: 'kazan',
    nameRu: 'Казань',
    nameEn: 'Kazan',
    country: 'RU',
    region: 'Republic of Tatarstan',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'nizhny-novgorod',
    nameRu: 'Нижний Новгород',
    nameEn: 'Nizhny Novgorod',
    country: 'RU',
    region: 'Nizhny Novgorod Oblast',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'omsk',
    nameRu: 'Омск',
    nameEn: 'Omsk',
    country: 'RU',
    region: 'Omsk Oblast',
    timeZone: 'Asia/Omsk',
  },
  {
    code: 'samara',
    nameRu: 'Самара',
    nameEn: 'Samara',
    country: 'RU',
    region: 'Samara Oblast',
    timeZone: 'Europe/Samara',
  },
  {
    code: 'ufa',
    nameRu: 'Уфа',
    nameEn: 'Ufa',
    country: 'RU',
    region: 'Republic of Bashkortostan',
    timeZone: 'Asia/Yekaterinburg',
  },
  {
    code: 'rostov-on-don',
    nameRu: 'Ростов-на-Дону',
    nameEn: 'Rostov-on-Don',
    country: 'RU',
    region: 'Rostov Oblast',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'ryazan',
    nameRu: 'Рязань',
    nameEn: 'Ryazan',
    country: 'RU',
    region: 'Ryazan Oblast',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'yaroslavl',
    nameRu: 'Ярославль',
    nameEn: 'Yaroslavl',
    country: 'RU',
    region: 'Yaroslavl Oblast',
    timeZone: 'Europe/Moscow',
  },
  {
    code: 'orenburg',
    nameRu: 'Оренбург',
    nameEn: 'Orenburg',
    country: 'RU',
    region: 'Orenburg Oblast',
    timeZone: 'Asia/Yekaterinburg',
  },
  {
    code: 'magadan',
    nameRu: 'Магадан',
    nameEn: 'Magadan',
    country: 'RU',
    region: 'Magadan Oblast',
    timeZone: 'Asia/Magadan',
  },
  {
    code: 'vladivostok',
    nameRu: 'Владивосток',
    nameEn: 'Vladivostok',
    country: 'RU',
    region: 'Primorsky Krai',
    timeZone: 'Asia/Vladivostok',
  },
  {
    code: 'krasnoyarsk',
    nameRu: 'Красноярск',
    nameEn: 'Krasnoyarsk',
    country: 'RU',
    region: 'Krasnoyarsk Krai',
    timeZone: 'Asia/Krasnoyarsk',
  },
  {
    code: 'irkutsk',
    nameRu: 'Иркутск',
    nameEn: 'Irkutsk',
    country: 'RU',
    region: 'Irkutsk Oblast',
    timeZone: 'Asia/Irkutsk',
  },
  {
    code: 'khabarovsk',
    nameRu: 'Хабаровск',
    nameEn: 'Khabarovsk',
    country: 'RU',
    region: 'Khabarovsk Krai',
    timeZone: 'Asia/Vladivostok',
  },
  {
    code: 'kaliningrad',
    nameRu: 'Калининград',
    nameEn: 'Kaliningrad',
    country: 'RU',
    region: 'Kaliningrad Oblast',
    timeZone: 'Europe/Kaliningrad',
  },
  {
    code: 'volgograd',
    nameRu: 'Волгоград',
    nameEn: 'Volgograd',
    country: 'RU',
    region: 'Volgograd Oblast',
    timeZone: 'Europe/Volgograd',
  },
  {
    code: 'perm',
    nameRu: 'Пермь',
    nameEn: 'Perm',
    country: 'RU',
    region: 'Perm Krai',
    timeZone: 'Asia/Yekaterinburg',
  },
  {
    code: 'chelyabinsk',
    nameRu: 'Челябинск',
    nameEn: 'Chelyabinsk',
    country: 'RU',
    region: 'Chelyabinsk Oblast',
    timeZone: 'Asia/Yekaterinburg',
  },

  // Kazakhstan
  {
    code: 'astana',
    nameRu: 'Астана',
    nameEn: 'Astana',
    country: 'KZ',
    region: 'Astana',
    timeZone: 'Asia/Almaty',
  },
  {
    code: 'almaty',
    nameRu: 'Алматы',
    nameEn: 'Almaty',
    country: 'KZ',
    region: 'Almaty',
    timeZone: 'Asia/Almaty',
  },
  {
    code: 'shymkent',
    nameRu: 'Шымкент',
    nameEn: 'Shymkent',
    country: 'KZ',
    region: 'Shymkent',
    timeZone: 'Asia/Almaty',
  },

  // Belarus
  {
    code: 'minsk',
    nameRu: 'Минск',
    nameEn: 'Minsk',
    country: 'BY',
    region: 'Minsk',
    timeZone: 'Europe/Minsk',
  },
  {
    code: 'mogilev',
    nameRu: 'Могилёв',
    nameEn: 'Mogilev',
    country: 'BY',
    region: 'Mogilev Region',
    timeZone: 'Europe/Minsk',
  },
  {
    code: 'gomel',
    nameRu: 'Гомель',
    nameEn: 'Gomel',
    country: 'BY',
    region: 'Gomel Region',
    timeZone: 'Europe/Minsk',
  },
  {
    code: 'brest',
    nameRu: 'Брест',
    nameEn: 'Brest',
    country: 'BY',
    region: 'Brest Region',
    timeZone: 'Europe/Minsk',
  },

  // Kyrgyzstan
  {
    code: 'bishkek',
    nameRu: 'Бишкек',
    nameEn: 'Bishkek',
    country: 'KG',
    region: 'Bishkek',
    timeZone: 'Asia/Bishkek',
  },
  { code: 'osh', nameRu: 'Ош', nameEn: 'Osh', country: 'KG', region: 'Osh', timeZone: 'Asia/Bishkek' },

  // Armenia
  {
    code: 'yerevan',
    nameRu: 'Ереван',
    nameEn: 'Yerevan',
    country: 'AM',
    region: 'Yerevan',
    timeZone: 'Asia/Yerevan',
  },
  {
    code: 'gyumri',
    nameRu: 'Гюмри',
    nameEn: 'Gyumri',
    country: 'AM',
    region: 'Shirak Province',
    timeZone: 'Asia/Yerevan',
  },

  // Moldova
  {
    code: 'chisinau',
    nameRu: 'Кишинёв',
    nameEn: 'Chisinau',
    country: 'MD',
    region: 'Chisinau',
    timeZone: 'Europe/Chisinau',
  },
  {
    code: 'balti',
    nameRu: 'Бельцы',
    nameEn: 'Balti',
    country: 'MD',
    region: 'Balti',
    timeZone: 'Europe/Chisinau',
  },

  // Tajikistan
  {
    code: 'dushanbe',
    nameRu: 'Душанбе',
    nameEn: 'Dushanbe',
    country: 'TJ',
    region: 'Dushanbe',
    timeZone: 'Asia/Dushanbe',
  },
  {
    code: 'khujand',
    nameRu: 'Худжанд',
    nameEn: 'Khujand',
    country: 'TJ',
    region: 'Sughd Region',
    timeZone: 'Asia/Dushanbe',
  },

  // Uzbekistan
  {
    code: 'tashkent',
    nameRu: 'Ташкент',
    nameEn: 'Tashkent',
    country: 'UZ',
    region: 'Tashkent',
    timeZone: 'Asia/Tashkent',
  },
  {
    code: 'samarkand',
    nameRu: 'Самарканд',
    nameEn: 'Samarkand',
    country: 'UZ',
    region: 'Samarkand Region',
    timeZone: 'Asia/Samarkand',
  },
];
