import { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';

/** The certificate a device presented, and how it reached us. */
export type PresentedCertificate =
  | { kind: 'certificate'; certificate: X509Certificate; via: 'tls' | 'proxy' }
  | { kind: 'none' }
  | { kind: 'untrusted_forwarder' }
  | { kind: 'malformed' };

const normalizeAddress = (address: string | undefined) => (address ?? '').replace(/^::ffff:/, '');

/**
 * Where an enrollment's client certificate comes from:
 * - the device TLS listener: the TLS handshake itself (proof of possession done by TLS);
 * - a TLS-terminating proxy: the PEM it forwards, URL-encoded, in DEVICE_CERT_HEADER, believed only
 *   when the connection comes from one of TRUSTED_PROXY_ADDRESSES (anyone else could forge it).
 */
@Injectable()
export class ClientCertificateSource {
  private readonly logger = new Logger(ClientCertificateSource.name);

  constructor(@Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig) {}

  from(request: FastifyRequest): PresentedCertificate {
    const socket = request.raw.socket;
    if (socket instanceof TLSSocket) {
      const peer = socket.getPeerCertificate(false);
      if (!peer || !peer.raw || peer.raw.length === 0) return { kind: 'none' };
      try {
        return { kind: 'certificate', certificate: new X509Certificate(peer.raw), via: 'tls' };
      } catch {
        return { kind: 'malformed' };
      }
    }
    const header = request.headers[this.config.DEVICE_CERT_HEADER];
    const forwarded = Array.isArray(header) ? header[0] : header;
    if (!forwarded) return { kind: 'none' };
    const from = normalizeAddress(socket.remoteAddress);
    if (!this.config.TRUSTED_PROXY_ADDRESSES.map(normalizeAddress).includes(from)) {
      this.logger.warn({ from }, 'client certificate header from an address that is not a trusted proxy; ignored');
      return { kind: 'untrusted_forwarder' };
    }
    try {
      return { kind: 'certificate', certificate: new X509Certificate(decodeURIComponent(forwarded)), via: 'proxy' };
    } catch {
      return { kind: 'malformed' };
    }
  }
}
