-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "registry";

-- CreateTable
CREATE TABLE "registry"."devices" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "client_attributes" JSONB NOT NULL DEFAULT '{}',
    "access_token_hash" CHAR(64) NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry"."latest_telemetry" (
    "device_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "latest_telemetry_pkey" PRIMARY KEY ("device_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "devices_access_token_hash_key" ON "registry"."devices"("access_token_hash");

-- CreateIndex
CREATE INDEX "devices_account_id_idx" ON "registry"."devices"("account_id");

-- AddForeignKey
ALTER TABLE "registry"."latest_telemetry" ADD CONSTRAINT "latest_telemetry_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "registry"."devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
