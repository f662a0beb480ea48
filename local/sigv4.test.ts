import { localAuthorization, regionFromAuthorization } from './sigv4';

describe('regionFromAuthorization', () => {
  it('reads the region of the credential scope', () => {
    // Act
    const region = regionFromAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20240101/ap-southeast-2/events/aws4_request, SignedHeaders=host, Signature=abc', 'us-east-1');

    // Assess
    expect(region).toBe('ap-southeast-2');
  });

  it('falls back when the request is not SigV4-signed', () => {
    // Act
    const regions = [regionFromAuthorization(undefined, 'us-east-1'), regionFromAuthorization('Basic abc', 'us-east-1')];

    // Assess
    expect(regions).toEqual(['us-east-1', 'us-east-1']);
  });

  it('reads back the region of a local authorization header', () => {
    // Act
    const region = regionFromAuthorization(localAuthorization('eu-west-1', 'dynamodb'), 'us-east-1');

    // Assess
    expect(region).toBe('eu-west-1');
  });
});
