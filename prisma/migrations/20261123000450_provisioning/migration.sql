-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "provisioning";

-- CreateTable
CREATE TABLE "provisioning"."accounts" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "parent_id" TEXT,
    "org_root_id" TEXT NOT NULL,
    "path" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning"."devices" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "owner_path" TEXT,
    "manufacturer" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "controller_serial" TEXT,
    "type" TEXT NOT NULL,
    "model" TEXT,
    "revision" TEXT,
    "firmware_version" TEXT,
    "capabilities" TEXT[],
    "timezone" TEXT NOT NULL,
    "priority" TEXT,
    "state" TEXT NOT NULL,
    "suspended_from" TEXT,
    "identity_method" TEXT NOT NULL,
    "m2m_client_id" TEXT,
    "m2m_permissions" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning"."device_history" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "device_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning"."claim_tokens" (
    "id" TEXT NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "token_hint" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "device_type" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "batch_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "used_by_device_id" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning"."manufacturer_cas" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "manufacturer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "manufacturer_cas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning"."platform_keys" (
    "name" TEXT NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "private_key_pem" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_keys_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "provisioning"."idempotency_records" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "state" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_cipher" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("scope","key")
);

-- CreateTable
CREATE TABLE "provisioning"."operation_locks" (
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "acquired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operation_locks_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "devices_account_id_id_idx" ON "provisioning"."devices"("account_id", "id");

-- CreateIndex
CREATE INDEX "devices_manufacturer_serial_idx" ON "provisioning"."devices"("manufacturer", "serial");

-- CreateIndex
CREATE INDEX "devices_manufacturer_controller_serial_idx" ON "provisioning"."devices"("manufacturer", "controller_serial");

-- CreateIndex
CREATE INDEX "devices_owner_path_prefix_idx" ON "provisioning"."devices"("owner_path" text_pattern_ops);

-- CreateIndex (hand-written: Prisma does not model partial indexes). One live device per
-- (manufacturer, serial); rejected attempts and decommissioned devices keep their rows.
CREATE UNIQUE INDEX "devices_live_serial_key" ON "provisioning"."devices"("manufacturer", "serial")
    WHERE "state" NOT IN ('REJECTED', 'DECOMMISSIONED');

-- CreateIndex
CREATE INDEX "device_history_device_id_id_idx" ON "provisioning"."device_history"("device_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "claim_tokens_token_hash_key" ON "provisioning"."claim_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "claim_tokens_account_id_used_at_id_idx" ON "provisioning"."claim_tokens"("account_id", "used_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "manufacturer_cas_fingerprint_key" ON "provisioning"."manufacturer_cas"("fingerprint");

-- CreateIndex
CREATE INDEX "manufacturer_cas_subject_idx" ON "provisioning"."manufacturer_cas"("subject");

-- CreateIndex
CREATE INDEX "manufacturer_cas_account_id_id_idx" ON "provisioning"."manufacturer_cas"("account_id", "id");

-- CreateIndex
CREATE INDEX "idempotency_records_expires_at_idx" ON "provisioning"."idempotency_records"("expires_at");
