-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "marketplace";

-- CreateEnum
CREATE TYPE "marketplace"."listing_status" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "marketplace"."software_category" AS ENUM ('device_bound', 'application');

-- CreateEnum
CREATE TYPE "marketplace"."version_scoping" AS ENUM ('all', 'major', 'exact');

-- CreateEnum
CREATE TYPE "marketplace"."license_trigger" AS ENUM ('on_install', 'on_activation', 'on_download', 'on_install_validated');

-- CreateEnum
CREATE TYPE "marketplace"."grant_scope" AS ENUM ('account', 'org');

-- CreateEnum
CREATE TYPE "marketplace"."grant_status" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateTable
CREATE TABLE "marketplace"."listings" (
    "id" TEXT NOT NULL,
    "developer_account_id" TEXT NOT NULL,
    "software_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" "marketplace"."software_category" NOT NULL,
    "compatible_devices" TEXT NOT NULL,
    "version_scoping" "marketplace"."version_scoping" NOT NULL,
    "license_software_type" TEXT NOT NULL,
    "license_type" TEXT NOT NULL,
    "license_trigger" "marketplace"."license_trigger" NOT NULL,
    "status" "marketplace"."listing_status" NOT NULL DEFAULT 'DRAFT',
    "latest_version" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "listings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace"."listing_versions" (
    "id" TEXT NOT NULL,
    "listing_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "release_notes" TEXT NOT NULL,
    "published_by" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listing_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace"."grants" (
    "id" TEXT NOT NULL,
    "listing_id" TEXT NOT NULL,
    "grantee_account_id" TEXT NOT NULL,
    "scope" "marketplace"."grant_scope" NOT NULL,
    "org_root_account_id" TEXT,
    "version_scoping" "marketplace"."version_scoping" NOT NULL,
    "granted_version" TEXT NOT NULL,
    "coverage" TEXT NOT NULL,
    "status" "marketplace"."grant_status" NOT NULL DEFAULT 'ACTIVE',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" TEXT,

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "marketplace"."accounts" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "parent_id" TEXT,
    "org_root_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "listings_developer_account_id_software_id_key" ON "marketplace"."listings"("developer_account_id", "software_id");

-- CreateIndex
CREATE INDEX "listings_status_published_at_idx" ON "marketplace"."listings"("status", "published_at");

-- CreateIndex
CREATE UNIQUE INDEX "listing_versions_listing_id_version_key" ON "marketplace"."listing_versions"("listing_id", "version");

-- CreateIndex
CREATE INDEX "grants_listing_id_status_idx" ON "marketplace"."grants"("listing_id", "status");

-- CreateIndex
CREATE INDEX "grants_grantee_account_id_idx" ON "marketplace"."grants"("grantee_account_id");

-- CreateIndex
CREATE INDEX "grants_org_root_account_id_idx" ON "marketplace"."grants"("org_root_account_id");

-- AddForeignKey
ALTER TABLE "marketplace"."listing_versions" ADD CONSTRAINT "listing_versions_listing_id_fkey" FOREIGN KEY ("listing_id") REFERENCES "marketplace"."listings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "marketplace"."grants" ADD CONSTRAINT "grants_listing_id_fkey" FOREIGN KEY ("listing_id") REFERENCES "marketplace"."listings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below (Prisma's schema language cannot express it).

-- seed 000 §3: a second "Get" of what an active grant already covers is the same grant.
CREATE UNIQUE INDEX "grants_one_active_per_coverage" ON "marketplace"."grants"("listing_id", "grantee_account_id", "scope", "coverage") WHERE "status" = 'ACTIVE';
