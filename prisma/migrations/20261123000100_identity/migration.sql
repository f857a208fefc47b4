-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "identity";

-- CreateTable
CREATE TABLE "identity"."clients" (
    "id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "permissions" TEXT[],
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "secret_rotated_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."signing_keys" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'ES256',
    "private_jwk" JSONB NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE INDEX "clients_client_id_idx" ON "identity"."clients"("client_id");

-- CreateIndex
CREATE INDEX "clients_account_id_idx" ON "identity"."clients"("account_id");

-- A client id is unique among live clients; a deleted client's id may be issued again.
CREATE UNIQUE INDEX "clients_client_id_live_key" ON "identity"."clients"("client_id") WHERE "deleted_at" IS NULL;

-- At most one active signing key, even when two processes start on an empty database at once.
CREATE UNIQUE INDEX "signing_keys_single_active_key" ON "identity"."signing_keys"("active") WHERE "active";
