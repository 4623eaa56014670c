/** A percent-encoding, and the characters RFC 3986 allows as they are in a host name or a userinfo. */
const PCT = '%[0-9A-Fa-f]{2}';
const UNRESERVED_OR_SUB = "A-Za-z0-9\\-._~!$&'()*+,;=";
/** One character of a path segment (pchar). */
const PCHAR = `(?:[${UNRESERVED_OR_SUB}:@]|${PCT})`;

/**
 * An http(s) URL that is a URI as RFC 3986 writes it (JSON Schema's `format: uri`, which OCDS gives
 * Document.url): brackets only around an IPv6 host, one #, nothing outside ASCII.
 */
const HTTP_URI = new RegExp(
  `^https?://(?:(?:[${UNRESERVED_OR_SUB}:]|${PCT})*@)?` +
    `(?:\\[[0-9A-Fa-f:.]+\\]|(?:[${UNRESERVED_OR_SUB}]|${PCT})*)(?::\\d*)?` +
    `(?:/${PCHAR}*)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`,
  'i',
);

/** A character a path, a query or a fragment may not hold as it is, or a % that starts no percent-encoding. */
const NOT_IN_PART = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]|%(?![0-9A-Fa-f]{2})/g;

/**
 * An http(s) link in the form OCDS publishes: a URI already is kept as it was sent; any other link that parses
 * as a URL gets its international domain name in punycode and every other character percent-encoded (a
 * Cyrillic path, a space, |^{}, brackets in a query, a second #, a bare %). Anything else is returned as it
 * is, for a validator to refuse.
 */
export function asciiUrl(value: unknown): unknown {
  if (typeof value !== 'string' || HTTP_URI.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return value;
  const encode = (part: string) => part.replace(NOT_IN_PART, (c) => encodeURIComponent(c));
  const userinfo = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  const fragment = url.hash ? `#${encode(url.hash.slice(1))}` : '';
  return `${url.protocol}//${userinfo}${url.host}${encode(url.pathname)}${encode(url.search)}${fragment}`;
}
