import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { generate } from 'selfsigned';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

/** A throw-away certificate for 127.0.0.1 and localhost, made when the test starts. */
export async function generateTestCertificate(): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Makes an Azure SDK client trust the test certificate, and nothing else changes. */
export function trustPolicy(certificate: TestCertificate): PipelinePolicy {
  return {
    name: 'trustTestCertificate',
    sendRequest: (request, next) => {
      request.tlsSettings = { ...request.tlsSettings, ca: certificate.cert };
      return next(request);
    },
  };
}
