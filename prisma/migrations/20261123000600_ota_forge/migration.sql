-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "ota";

-- CreateEnum
CREATE TYPE "ota"."action_state" AS ENUM ('scheduled', 'retrieved', 'running', 'downloading', 'downloaded', 'finished', 'failed', 'canceling', 'canceled');

-- CreateEnum
CREATE TYPE "ota"."software_category" AS ENUM ('device_bound', 'application');

-- CreateEnum
CREATE TYPE "ota"."action_type" AS ENUM ('forced', 'soft', 'downloadonly');

-- CreateEnum
CREATE TYPE "ota"."policy_status" AS ENUM ('active', 'paused', 'aborted', 'deleted');

-- CreateTable
CREATE TABLE "ota"."targets" (
    "controller_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "org_root_id" TEXT,
    "maker_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "security_token_hash" CHAR(64),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "type" TEXT NOT NULL,
    "type_folded" TEXT NOT NULL,
    "model" TEXT,
    "model_folded" TEXT,
    "revision" TEXT,
    "revision_key" TEXT COLLATE "C",
    "manufacturer" TEXT NOT NULL,
    "manufacturer_folded" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "serial_key" TEXT COLLATE "C" NOT NULL,
    "firmware_version" TEXT,
    "firmware_version_key" TEXT COLLATE "C",
    "capabilities" TEXT[],
    "timezone" TEXT,
    "config_data" JSONB NOT NULL DEFAULT '{}',
    "request_config_data" BOOLEAN NOT NULL DEFAULT true,
    "last_event_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "targets_pkey" PRIMARY KEY ("controller_id")
);

-- CreateTable
CREATE TABLE "ota"."accounts" (
    "id" TEXT NOT NULL,
    "parent_id" TEXT,
    "org_root_id" TEXT NOT NULL,
    "path" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."listings" (
    "id" TEXT NOT NULL,
    "developer_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "category" "ota"."software_category" NOT NULL,
    "version_scoping" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."grants" (
    "id" TEXT NOT NULL,
    "listing_id" TEXT NOT NULL,
    "grantee_account_id" TEXT,
    "scope" TEXT,
    "org_root_account_id" TEXT,
    "version_scoping" TEXT,
    "granted_version" TEXT,
    "granted_major" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."software_modules" (
    "id" BIGSERIAL NOT NULL,
    "owner_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "vendor" TEXT,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "software_modules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."artifacts" (
    "id" BIGSERIAL NOT NULL,
    "software_module_id" BIGINT NOT NULL,
    "filename" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha1" CHAR(40) NOT NULL,
    "md5" CHAR(32) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."distribution_sets" (
    "id" BIGSERIAL NOT NULL,
    "owner_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "distribution_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."distribution_set_modules" (
    "distribution_set_id" BIGINT NOT NULL,
    "software_module_id" BIGINT NOT NULL,

    CONSTRAINT "distribution_set_modules_pkey" PRIMARY KEY ("distribution_set_id","software_module_id")
);

-- CreateTable
CREATE TABLE "ota"."policies" (
    "id" UUID NOT NULL,
    "owner_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "target_expression" TEXT NOT NULL,
    "distribution_set_id" BIGINT NOT NULL,
    "listing_id" TEXT,
    "category" "ota"."software_category" NOT NULL,
    "action_type" "ota"."action_type" NOT NULL,
    "min_battery" INTEGER,
    "require_idle" BOOLEAN NOT NULL DEFAULT false,
    "window_start" TEXT,
    "window_end" TEXT,
    "max_concurrent" INTEGER,
    "wave_percentages" INTEGER[],
    "wave_success_threshold" INTEGER,
    "wave_error_threshold" INTEGER,
    "current_wave" INTEGER NOT NULL DEFAULT 0,
    "retry_max_attempts" INTEGER NOT NULL DEFAULT 1,
    "retry_backoff_seconds" INTEGER NOT NULL DEFAULT 60,
    "retry_backoff_multiplier" DOUBLE PRECISION NOT NULL DEFAULT 2,
    "status" "ota"."policy_status" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."actions" (
    "id" BIGSERIAL NOT NULL,
    "target_id" TEXT NOT NULL,
    "policy_id" UUID NOT NULL,
    "distribution_set_id" BIGINT NOT NULL,
    "owner_account_id" TEXT NOT NULL,
    "listing_id" TEXT,
    "software_name" TEXT NOT NULL,
    "software_version" TEXT NOT NULL,
    "status" "ota"."action_state" NOT NULL DEFAULT 'scheduled',
    "wave" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "not_before" TIMESTAMPTZ(3),
    "deferred_reason" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."action_status_history" (
    "id" BIGSERIAL NOT NULL,
    "action_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "messages" TEXT[],
    "code" INTEGER,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "action_status_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ota"."target_software" (
    "target_id" TEXT NOT NULL,
    "owner_account_id" TEXT NOT NULL,
    "software_name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "version_key" TEXT COLLATE "C" NOT NULL,
    "listing_id" TEXT,
    "action_id" BIGINT NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "target_software_pkey" PRIMARY KEY ("target_id","owner_account_id","software_name")
);

-- CreateIndex
CREATE UNIQUE INDEX "targets_security_token_hash_key" ON "ota"."targets"("security_token_hash");

-- CreateIndex
CREATE INDEX "targets_account_id_idx" ON "ota"."targets"("account_id");

-- CreateIndex
CREATE INDEX "targets_org_root_id_idx" ON "ota"."targets"("org_root_id");

-- CreateIndex
CREATE INDEX "targets_maker_account_id_idx" ON "ota"."targets"("maker_account_id");

-- CreateIndex
CREATE INDEX "targets_type_folded_model_folded_revision_key_idx" ON "ota"."targets"("type_folded", "model_folded", "revision_key");

-- CreateIndex
CREATE INDEX "targets_manufacturer_folded_idx" ON "ota"."targets"("manufacturer_folded");

-- CreateIndex
CREATE INDEX "targets_serial_idx" ON "ota"."targets"("serial");

-- CreateIndex
CREATE INDEX "targets_serial_key_idx" ON "ota"."targets"("serial_key");

-- CreateIndex
CREATE INDEX "targets_firmware_version_key_idx" ON "ota"."targets"("firmware_version_key");

-- CreateIndex
CREATE INDEX "targets_timezone_idx" ON "ota"."targets"("timezone");

-- CreateIndex
CREATE INDEX "targets_enabled_idx" ON "ota"."targets"("enabled");

-- CreateIndex
CREATE INDEX "targets_capabilities_idx" ON "ota"."targets" USING GIN ("capabilities");

-- CreateIndex
CREATE INDEX "accounts_org_root_id_idx" ON "ota"."accounts"("org_root_id");

-- CreateIndex
CREATE INDEX "listings_developer_account_id_idx" ON "ota"."listings"("developer_account_id");

-- CreateIndex
CREATE INDEX "grants_listing_id_grantee_account_id_idx" ON "ota"."grants"("listing_id", "grantee_account_id");

-- CreateIndex
CREATE INDEX "grants_listing_id_org_root_account_id_idx" ON "ota"."grants"("listing_id", "org_root_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "software_modules_owner_account_id_name_version_type_key" ON "ota"."software_modules"("owner_account_id", "name", "version", "type");

-- CreateIndex
CREATE UNIQUE INDEX "artifacts_software_module_id_filename_key" ON "ota"."artifacts"("software_module_id", "filename");

-- CreateIndex
CREATE INDEX "artifacts_sha256_idx" ON "ota"."artifacts"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "distribution_sets_owner_account_id_name_version_key" ON "ota"."distribution_sets"("owner_account_id", "name", "version");

-- CreateIndex
CREATE INDEX "distribution_set_modules_software_module_id_idx" ON "ota"."distribution_set_modules"("software_module_id");

-- CreateIndex
CREATE INDEX "policies_owner_account_id_idx" ON "ota"."policies"("owner_account_id");

-- CreateIndex
CREATE INDEX "policies_listing_id_idx" ON "ota"."policies"("listing_id");

-- CreateIndex
CREATE INDEX "policies_status_idx" ON "ota"."policies"("status");

-- CreateIndex
CREATE UNIQUE INDEX "actions_policy_id_distribution_set_id_target_id_attempt_key" ON "ota"."actions"("policy_id", "distribution_set_id", "target_id", "attempt");

-- CreateIndex
CREATE INDEX "actions_target_id_id_idx" ON "ota"."actions"("target_id", "id");

-- CreateIndex
CREATE INDEX "actions_policy_id_status_wave_idx" ON "ota"."actions"("policy_id", "status", "wave");

-- CreateIndex
CREATE INDEX "actions_listing_id_status_idx" ON "ota"."actions"("listing_id", "status");

-- CreateIndex (not in the Prisma schema: partial) — the DDI poll's "open action of this target".
CREATE INDEX "actions_open_by_target_idx" ON "ota"."actions"("target_id", "id")
    WHERE "status" IN ('scheduled', 'retrieved', 'running', 'downloading', 'downloaded', 'canceling');

-- CreateIndex
CREATE INDEX "action_status_history_action_id_id_idx" ON "ota"."action_status_history"("action_id", "id");

-- CreateIndex
CREATE INDEX "action_status_history_status_created_at_idx" ON "ota"."action_status_history"("status", "created_at");

-- AddForeignKey
ALTER TABLE "ota"."artifacts" ADD CONSTRAINT "artifacts_software_module_id_fkey" FOREIGN KEY ("software_module_id") REFERENCES "ota"."software_modules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."distribution_set_modules" ADD CONSTRAINT "distribution_set_modules_distribution_set_id_fkey" FOREIGN KEY ("distribution_set_id") REFERENCES "ota"."distribution_sets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."distribution_set_modules" ADD CONSTRAINT "distribution_set_modules_software_module_id_fkey" FOREIGN KEY ("software_module_id") REFERENCES "ota"."software_modules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."policies" ADD CONSTRAINT "policies_distribution_set_id_fkey" FOREIGN KEY ("distribution_set_id") REFERENCES "ota"."distribution_sets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."actions" ADD CONSTRAINT "actions_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "ota"."targets"("controller_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."actions" ADD CONSTRAINT "actions_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "ota"."policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."actions" ADD CONSTRAINT "actions_distribution_set_id_fkey" FOREIGN KEY ("distribution_set_id") REFERENCES "ota"."distribution_sets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."action_status_history" ADD CONSTRAINT "action_status_history_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "ota"."actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ota"."target_software" ADD CONSTRAINT "target_software_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "ota"."targets"("controller_id") ON DELETE CASCADE ON UPDATE CASCADE;
