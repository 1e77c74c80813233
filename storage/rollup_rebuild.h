// rebuildRollups: the data step of schema migration 3, which moved rollup buckets from
// [start, start + resolution) to (start, start + resolution] (rollup_bucket.h) and stopped storing the
// 1-minute buckets of sparse series (rollup_track.h).
//
// Per series and resolution: where raw samples are stored, the buckets are rebuilt from them exactly as
// the writer now builds them (the same RollupTrack); buckets older than the first raw sample R can only
// be kept as they are. The old bucket at L = bucketOf(R) joins the two when it also holds samples whose
// raw chunks expired: it is kept (it holds the raw samples before L + resolution too), the raw sample at
// L + resolution is added to it because the bucket now ends there, and the rebuild starts after that.
// No sample is counted twice or lost; the kept buckets still end one sample early at aligned scrapes.
//
// Runs inside the migration's transaction on the writer's connection (StoreSchema::migrate).
#pragma once

#include "core/base/error.h"
#include "storage/sqlite_db.h"

namespace pulse::storage {

Result<void> rebuildRollups(SqliteDb &db);

} // namespace pulse::storage
