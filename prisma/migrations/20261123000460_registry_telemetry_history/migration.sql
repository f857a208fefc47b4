-- CreateTable
CREATE TABLE "registry"."telemetry_history" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "telemetry_type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "telemetry_history_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "telemetry_history_device_id_account_id_telemetry_type_ts_idx" ON "registry"."telemetry_history"("device_id", "account_id", "telemetry_type", "ts");
