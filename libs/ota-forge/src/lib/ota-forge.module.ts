import { Module } from '@nestjs/common';

/**
 * The ota-forge service. Its features (seed 000 §1-3: artifacts, rollout policies, auto-rollout and the hawkBit-compatible DDI endpoint (issue: OTA Forge)) are
 * added as feature modules here; the app and the platform already boot it with the shared
 * database, event bus, token validation, /health, /metrics and /docs.
 */
@Module({})
export class OtaForgeModule {}
