/**
 * Reads the caller's region from a SigV4 `Authorization` header, so that one local
 * endpoint can host resources of several regions as the real regional endpoints do.
 * Signatures are not verified: the local endpoints trust every caller.
 */

const CREDENTIAL = /Credential=([^,\s]+)/;

/**
 * The region of the credential scope `<key>/<date>/<region>/<service>/aws4_request`,
 * or `fallback` when the header is missing or not SigV4.
 *
 * @example
 * regionFromAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/events/aws4_request, SignedHeaders=host, Signature=abc', 'us-east-1');
 * // 'eu-west-1'
 */
export function regionFromAuthorization(header: string | undefined, fallback: string): string {
  const scope = header === undefined ? undefined : CREDENTIAL.exec(header)?.[1]?.split('/');
  const region = scope?.length === 5 ? scope[2] : undefined;
  return region === undefined || region === '' ? fallback : region;
}

/**
 * A syntactically valid SigV4 header for calls a local endpoint makes to another local
 * server that only checks the header's shape (dynalite).
 *
 * @example
 * localAuthorization('us-east-1', 'dynamodb'); // 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, ...'
 */
export function localAuthorization(region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=local/20000101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=local`;
}
