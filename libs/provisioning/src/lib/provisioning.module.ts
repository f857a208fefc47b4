import { Module } from '@nestjs/common';

/**
 * The provisioning service. Its features (seed 002: enrollment, identity proofs, credentials, lifecycle and transfers (issue: Provisioning service)) are
 * added as feature modules here; the app and the platform already boot it with the shared
 * database, event bus, token validation, /health, /metrics and /docs.
 */
@Module({})
export class ProvisioningModule {}
