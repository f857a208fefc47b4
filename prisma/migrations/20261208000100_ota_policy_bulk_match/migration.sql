-- A policy's bulk match runs in chunks of targets (in controller id order), each its own
-- transaction, so a policy over a million targets neither holds one transaction for minutes nor
-- loses its progress when the process stops: the next chunk starts after "bulk_match_after".
-- NULL there: no bulk match pending.
ALTER TABLE "ota"."policies" ADD COLUMN "bulk_match_after" TEXT;
-- Candidates gone through so far and counted at the start (progress; wave ranks across chunks).
ALTER TABLE "ota"."policies" ADD COLUMN "bulk_match_done" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ota"."policies" ADD COLUMN "bulk_match_candidates" INTEGER;

-- The matcher's claim: only the policies with a chunk left.
CREATE INDEX "policies_bulk_match_pending_idx" ON "ota"."policies"("id") WHERE "bulk_match_after" IS NOT NULL;
