-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "org";

-- CreateEnum
CREATE TYPE "org"."account_kind" AS ENUM ('developer', 'maker', 'member', 'end_user', 'platform');

-- CreateTable
CREATE TABLE "org"."accounts" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "org"."account_kind" NOT NULL,
    "parent_id" TEXT,
    "org_root_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org"."service_users" (
    "client_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "permissions" TEXT[],
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "secret_rotated_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_users_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "org"."devices" (
    "id" TEXT NOT NULL,
    "owner_account_id" TEXT NOT NULL,
    "owner_path" TEXT,
    "serial" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "model" TEXT,
    "revision" TEXT,
    "manufacturer" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "suspended_from" TEXT,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_path_key" ON "org"."accounts"("path");

-- CreateIndex
CREATE INDEX "accounts_parent_id_id_idx" ON "org"."accounts"("parent_id", "id");

-- CreateIndex
CREATE INDEX "accounts_path_prefix_idx" ON "org"."accounts"("path" text_pattern_ops);

-- CreateIndex
CREATE INDEX "service_users_account_id_client_id_idx" ON "org"."service_users"("account_id", "client_id");

-- CreateIndex
CREATE INDEX "devices_owner_account_id_idx" ON "org"."devices"("owner_account_id");

-- CreateIndex
CREATE INDEX "devices_owner_path_prefix_idx" ON "org"."devices"("owner_path" text_pattern_ops);

-- CreateIndex
CREATE INDEX "devices_type_model_idx" ON "org"."devices"("type", "model");

-- AddForeignKey
ALTER TABLE "org"."accounts" ADD CONSTRAINT "accounts_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "org"."accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "org"."service_users" ADD CONSTRAINT "service_users_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "org"."accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
