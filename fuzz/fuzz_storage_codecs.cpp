// libFuzzer target for what the history file hands back to the decoders: any bytes as a raw chunk,
// a rollup chunk and a catalogue label set (a damaged or hand-edited file). Besides "never crashes,
// never trips ASan/UBSan":
//
//  1. A chunk that decodes yields as many timestamps as values.
#include "core/base/series_key.h"
#include "fuzz/fuzz_support.h"
#include "storage/chunk_decoder.h"
#include "storage/rollup_codec.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

using pulse::fuzz::violated;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    std::vector<std::int64_t> timestamps;
    std::vector<double> values;
    if (pulse::storage::ChunkDecoder::decodeRange(bytes, INT64_MIN, INT64_MAX, timestamps, values)) {
        if (timestamps.size() != values.size())
            violated("a chunk decoded to different numbers of timestamps and values");
    }
    std::vector<pulse::storage::RollupBucket> buckets;
    (void)pulse::storage::decodeRollups(bytes, INT64_MIN, INT64_MAX, buckets);
    (void)pulse::decodeLabels(bytes);
    return 0;
}
