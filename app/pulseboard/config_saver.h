// savedConfigText: what File → Save Config writes — the user's own file with only the dashboards
// section replaced, or, when that is not possible, the whole config rendered from the typed model.
#pragma once

#include "core/base/error.h"
#include "core/config/config.h"

#include <optional>
#include <string>

namespace pulse {

/// savedConfigText edits `original` (the file as it is on disk now; nullopt when there is none) so
/// that its dashboards become `config.dashboards`, keeping every other byte — comments, ${VAR}
/// references, key order. The edit is checked by loading it back; if the file cannot be edited in
/// place, the whole config is rendered instead, unless it holds credentials (which would be written
/// as <secret>): then it fails and says so.
Result<std::string> savedConfigText(const Config &config, const std::optional<std::string> &original,
                                    const std::string &fileName);

} // namespace pulse
