import { md5OfBody, md5OfMessageAttributes } from './sqs-md5';

// Reference digests published with the aws-md5-of-message-attributes package (computed by SQS).
const binary = Buffer.from('Hello binary world!').toString('base64');

describe('md5OfBody', () => {
  it('is the hex MD5 of the UTF-8 body', () => {
    // Act
    const digest = md5OfBody('hello');

    // Assess
    expect(digest).toBe('5d41402abc4b2a76b9719d911017c592');
  });
});

describe('md5OfMessageAttributes', () => {
  it('digests a String attribute as SQS does', () => {
    // Act
    const digest = md5OfMessageAttributes({ attribName1: { DataType: 'String', StringValue: 'attribValue 1' } });

    // Assess
    expect(digest).toBe('19e27d4e946b072f3f58da80d94fd778');
  });

  it('digests a custom Number type as a string attribute', () => {
    // Act
    const digest = md5OfMessageAttributes({ customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' } });

    // Assess
    expect(digest).toBe('9fe1b90bbd9965bdf77bac517c7d2495');
  });

  it('digests a Binary attribute from its decoded bytes', () => {
    // Act
    const digest = md5OfMessageAttributes({ binaryAttribute: { DataType: 'Binary', BinaryValue: binary } });

    // Assess
    expect(digest).toBe('31a92b15d92f8db860eda32aceb656c3');
  });

  it('digests several attributes in name order, whatever their order in the map', () => {
    // Act
    const digest = md5OfMessageAttributes({
      customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
      binaryAttribute: { DataType: 'Binary', BinaryValue: binary },
      attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
    });

    // Assess
    expect(digest).toBe('c932db14a896c663f83c260297d594ff');
  });

  it('is undefined without attributes', () => {
    // Act
    const digest = md5OfMessageAttributes({});

    // Assess
    expect(digest).toBeUndefined();
  });
});
