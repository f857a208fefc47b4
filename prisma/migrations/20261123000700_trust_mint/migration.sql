-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "trust_mint";

-- CreateEnum
CREATE TYPE "trust_mint"."license_type" AS ENUM ('TRIAL', 'OFFICIAL');

-- CreateEnum
CREATE TYPE "trust_mint"."license_status" AS ENUM ('ACTIVE', 'REVOKED', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "trust_mint"."ledger_operation" AS ENUM ('ISSUED', 'REVOKED', 'SUPERSEDED', 'TRANSFERRED', 'UPGRADE_REQUESTED', 'UPGRADE_APPROVED', 'UPGRADE_REFUSED');

-- CreateEnum
CREATE TYPE "trust_mint"."upgrade_status" AS ENUM ('PENDING', 'APPROVED', 'REFUSED');

-- CreateEnum
CREATE TYPE "trust_mint"."upgrade_route" AS ENUM ('WEBHOOK', 'AUTO_APPROVE', 'ADMIN_REVIEW');

-- CreateEnum
CREATE TYPE "trust_mint"."delivery_status" AS ENUM ('PENDING', 'SENDING', 'SUCCEEDED', 'DEAD');

-- CreateEnum
CREATE TYPE "trust_mint"."fact_kind" AS ENUM ('INSTALLED', 'DOWNLOADED', 'VALIDATED', 'ACTIVATED');

-- CreateTable
CREATE TABLE "trust_mint"."subscriptions" (
    "account_id" TEXT NOT NULL,
    "roles" TEXT[],
    "permissions" TEXT[],
    "overridden" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "trust_mint"."devices" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "enrolled_account_id" TEXT NOT NULL,
    "attributes" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."listings" (
    "id" TEXT NOT NULL,
    "developer_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "latest_version" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "version_scoping" TEXT NOT NULL,
    "software_type" TEXT NOT NULL,
    "policy_license_type" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "listings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."licenses" (
    "id" TEXT NOT NULL,
    "serial_number" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "device_id" TEXT,
    "software_id" TEXT NOT NULL,
    "software_version" TEXT,
    "type" "trust_mint"."license_type" NOT NULL,
    "policy_license_type" TEXT,
    "trigger" TEXT NOT NULL,
    "status" "trust_mint"."license_status" NOT NULL DEFAULT 'ACTIVE',
    "certificate_pem" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "superseded_by_id" TEXT,
    "source_key" TEXT NOT NULL,

    CONSTRAINT "licenses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."license_ledger" (
    "seq" BIGSERIAL NOT NULL,
    "id" TEXT NOT NULL,
    "operation" "trust_mint"."ledger_operation" NOT NULL,
    "license_id" TEXT,
    "upgrade_request_id" TEXT,
    "account_id" TEXT NOT NULL,
    "device_id" TEXT,
    "software_id" TEXT NOT NULL,
    "license_type" "trust_mint"."license_type" NOT NULL,
    "actor" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "license_ledger_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "trust_mint"."upgrade_requests" (
    "id" TEXT NOT NULL,
    "license_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "device_id" TEXT,
    "software_id" TEXT NOT NULL,
    "status" "trust_mint"."upgrade_status" NOT NULL DEFAULT 'PENDING',
    "route" "trust_mint"."upgrade_route" NOT NULL,
    "requested_by" TEXT NOT NULL,
    "note" TEXT,
    "reason" TEXT,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "issued_license_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upgrade_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."webhook_subscribers" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT[],
    "secret" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_subscribers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."webhook_deliveries" (
    "id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "trust_mint"."delivery_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "round_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_latency_ms" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "dead_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."webhook_attempts" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "outcome" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trust_mint"."signing_keys" (
    "purpose" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "private_key_pem" TEXT NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "certificate_pem" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("purpose")
);

-- CreateTable
CREATE TABLE "trust_mint"."issuance_facts" (
    "id" TEXT NOT NULL,
    "kind" "trust_mint"."fact_kind" NOT NULL,
    "device_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "listing_id" TEXT NOT NULL,
    "software_version" TEXT,
    "passed" BOOLEAN,
    "details" JSONB,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "license_id" TEXT,

    CONSTRAINT "issuance_facts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "devices_account_id_idx" ON "trust_mint"."devices"("account_id");

-- CreateIndex
CREATE INDEX "devices_enrolled_at_idx" ON "trust_mint"."devices"("enrolled_at");

-- CreateIndex
CREATE INDEX "listings_developer_account_id_idx" ON "trust_mint"."listings"("developer_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "licenses_serial_number_key" ON "trust_mint"."licenses"("serial_number");

-- CreateIndex
CREATE UNIQUE INDEX "licenses_source_key_key" ON "trust_mint"."licenses"("source_key");

-- CreateIndex
CREATE INDEX "licenses_account_id_issued_at_idx" ON "trust_mint"."licenses"("account_id", "issued_at");

-- CreateIndex
CREATE INDEX "licenses_software_id_status_idx" ON "trust_mint"."licenses"("software_id", "status");

-- CreateIndex
CREATE INDEX "licenses_device_id_software_id_idx" ON "trust_mint"."licenses"("device_id", "software_id");

-- CreateIndex
CREATE UNIQUE INDEX "license_ledger_id_key" ON "trust_mint"."license_ledger"("id");

-- CreateIndex
CREATE INDEX "license_ledger_license_id_idx" ON "trust_mint"."license_ledger"("license_id");

-- CreateIndex
CREATE INDEX "license_ledger_account_id_occurred_at_idx" ON "trust_mint"."license_ledger"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "license_ledger_software_id_occurred_at_idx" ON "trust_mint"."license_ledger"("software_id", "occurred_at");

-- CreateIndex
CREATE INDEX "license_ledger_occurred_at_idx" ON "trust_mint"."license_ledger"("occurred_at");

-- CreateIndex
CREATE INDEX "upgrade_requests_account_id_created_at_idx" ON "trust_mint"."upgrade_requests"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "upgrade_requests_status_route_idx" ON "trust_mint"."upgrade_requests"("status", "route");

-- CreateIndex
CREATE INDEX "webhook_subscribers_account_id_idx" ON "trust_mint"."webhook_subscribers"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_subscriber_id_event_id_key" ON "trust_mint"."webhook_deliveries"("subscriber_id", "event_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "trust_mint"."webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_account_id_created_at_idx" ON "trust_mint"."webhook_deliveries"("account_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_attempts_delivery_id_number_key" ON "trust_mint"."webhook_attempts"("delivery_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "signing_keys_kid_key" ON "trust_mint"."signing_keys"("kid");

-- CreateIndex
CREATE INDEX "issuance_facts_listing_id_device_id_idx" ON "trust_mint"."issuance_facts"("listing_id", "device_id");

-- AddForeignKey
ALTER TABLE "trust_mint"."webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "trust_mint"."webhook_subscribers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trust_mint"."webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "trust_mint"."webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below (Prisma's schema language cannot express these).

-- seed 001: one open upgrade request per license, so a repeated request finds the pending one.
CREATE UNIQUE INDEX "upgrade_requests_one_pending_per_license" ON "trust_mint"."upgrade_requests"("license_id") WHERE "status" = 'PENDING';

-- The license ledger is append-only: every operation is a new row, and no row ever changes.
CREATE FUNCTION "trust_mint"."license_ledger_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'trust_mint.license_ledger is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "license_ledger_no_update_or_delete" BEFORE UPDATE OR DELETE ON "trust_mint"."license_ledger"
  FOR EACH ROW EXECUTE FUNCTION "trust_mint"."license_ledger_is_append_only"();

CREATE TRIGGER "license_ledger_no_truncate" BEFORE TRUNCATE ON "trust_mint"."license_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION "trust_mint"."license_ledger_is_append_only"();
