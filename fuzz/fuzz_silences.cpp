// libFuzzer target for the silences file (silences.json beside the history): any bytes as its
// content. Besides "never crashes":
//
//  1. A file that loads writes back as JSON that loads again to the same silences and
//     acknowledgements (a restart never loses or invents one).
#include "core/alerting/silence_list.h"
#include "fuzz/fuzz_support.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using pulse::fuzz::violated;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto loaded = pulse::SilenceList::fromJson(text);
    if (!loaded)
        return 0;
    const std::string written = loaded->toJson();
    const auto again = pulse::SilenceList::fromJson(written);
    if (!again)
        violated("what toJson wrote does not load");
    if (again->silences().size() != loaded->silences().size() || again->acknowledged() != loaded->acknowledged())
        violated("a round trip changed the silences or acknowledgements");
    if (again->toJson() != written)
        violated("a second round trip wrote different JSON");
    return 0;
}
