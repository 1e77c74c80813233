// For StoreWriter's .cpp files only: its prepared statements (SQL text in StoreWriter::prepare).
#pragma once

#include "storage/sqlite_db.h"
#include "storage/store_writer.h"

namespace pulse::storage {

struct StoreWriter::Statements {
    Statement insertSeries, insertLabel, insertChunk, insertRollup;
    Statement upsertHead, deleteHead, upsertRollupHead, deleteRollupHead;
    Statement deleteRawBefore, deleteRollupBefore, expiredRaw, deleteRaw;
    Statement insertLog, deleteLogBefore;
    // Pruning (store_retention.cpp).
    Statement seriesRow, hasChunk, hasRollup, deleteLabel, deleteSeries, notePruned;
};

} // namespace pulse::storage
