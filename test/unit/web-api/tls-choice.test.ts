/** The portal window's certificate choice (electron/app/tls/client-cert-choice.ts). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { ClientCertMemory, chooseClientCertificate, tlsCandidates, type PlatformCertificate } from '../../../electron/app/tls/client-cert-choice';
import { parseModutilList } from '../../../electron/app/tls/nss-modules';
import { makePki, type Pki } from '../../integration/web-api/fixtures';

let pki: Pki;
let platform: PlatformCertificate[];
beforeAll(() => {
  pki = makePki();
  platform = Object.values(pki.keys).map((k) => ({ data: readFileSync(k.certPath, 'utf8'), subjectName: k.name, issuerName: 'Fixture CA' }));
});
afterAll(() => pki.cleanup());

const views = () => Object.values(pki.keys).map((k) => k.view);

describe('tlsCandidates', () => {
  it('keeps only authentication certificates that are on a Signet token', () => {
    expect(tlsCandidates(platform, views()).map((c) => c.view.label).sort()).toEqual(['auth-ec', 'auth-rsa', 'both-rsa']);
    expect(tlsCandidates(platform, views().filter((v) => v.label !== 'auth-ec')).map((c) => c.view.label).sort()).toEqual(['auth-rsa', 'both-rsa']);
    expect(tlsCandidates([{ data: 'garbage', subjectName: '', issuerName: '' }], views())).toEqual([]);
  });
});

describe('chooseClientCertificate', () => {
  it('asks once per origin, remembers the pick, asks again after switch identity or when the card is gone', async () => {
    const memory = new ClientCertMemory();
    const asked: string[][] = [];
    const ask = async (_o: string, c: { label: string; uri: string }[]): Promise<string | undefined> => {
      asked.push(c.map((x) => x.label).sort());
      return c.find((x) => x.label === 'auth-ec')?.uri;
    };
    const first = await chooseClientCertificate({ origin: 'https://portal.example', platformList: platform, tokenCerts: views(), memory, ask });
    expect(first?.subjectName).toBe('auth-ec');
    const second = await chooseClientCertificate({ origin: 'https://portal.example', platformList: platform, tokenCerts: views(), memory, ask });
    expect(second?.subjectName).toBe('auth-ec');
    expect(asked).toHaveLength(1);
    await chooseClientCertificate({ origin: 'https://other.example', platformList: platform, tokenCerts: views(), memory, ask });
    expect(asked).toHaveLength(2);
    memory.forget('https://portal.example');
    await chooseClientCertificate({ origin: 'https://portal.example', platformList: platform, tokenCerts: views(), memory, ask });
    expect(asked).toHaveLength(3);
    // The remembered card was pulled: ask again rather than fail silently.
    const withoutEc = views().filter((v) => v.label !== 'auth-ec');
    const none = await chooseClientCertificate({ origin: 'https://portal.example', platformList: platform, tokenCerts: withoutEc, memory, ask });
    expect(none).toBeUndefined();
    expect(asked).toHaveLength(4);
    expect(memory.recall('https://portal.example')).toBeUndefined();
  });

  it('continues without a certificate when the user declines', async () => {
    const r = await chooseClientCertificate({ origin: 'https://p.example', platformList: platform, tokenCerts: views(), memory: new ClientCertMemory(), ask: async () => undefined });
    expect(r).toBeUndefined();
  });
});

describe('parseModutilList', () => {
  it('reads module names, libraries and tokens', () => {
    const text = `
Listing of PKCS #11 Modules
-----------------------------------------------------------
  1. NSS Internal PKCS #11 Module
\t   uri: pkcs11:library-manufacturer=Mozilla%20Foundation
\t slots: 2 slots attached
\t status: loaded

\t slot: NSS User Private Key and Certificate Services
\ttoken: NSS Certificate DB

  2. Signet: OpenSC
\tlibrary name: /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so
\t slots: 1 slot attached
\t slot: Reader 0
\ttoken: My Card
-----------------------------------------------------------`;
    expect(parseModutilList(text)).toEqual([
      { name: 'NSS Internal PKCS #11 Module', tokens: ['NSS Certificate DB'] },
      { name: 'Signet: OpenSC', library: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', tokens: ['My Card'] },
    ]);
  });
});

describe('consentPicker', () => {
  it('asks through the consent queue with the portal origin and returns the pick, or nothing', async () => {
    const { ConsentBroker } = await import('../../../electron/web-api/consent/broker');
    const { consentPicker } = await import('../../../electron/app/tls/consent-picker');
    const broker = new ConsentBroker({ timeoutMs: 100 });
    const pick = consentPicker(broker);
    const candidates = views().filter((v) => v.purposes.includes('authentication'));
    broker.once('request', (v) => {
      expect(v).toMatchObject({ origin: 'https://portal.example', operation: 'authenticate' });
      broker.respond(v.requestId, { approve: true, certUri: candidates[1]!.uri });
    });
    expect(await pick('https://portal.example', candidates)).toBe(candidates[1]!.uri);
    broker.once('request', (v) => broker.respond(v.requestId, { approve: false }));
    expect(await pick('https://portal.example', candidates)).toBeUndefined();
    expect(await pick('https://portal.example', candidates)).toBeUndefined(); // nobody answers: timeout
  });
});
