// Reading the YAML config file into a Config, reporting every problem with its file position; and
// writing a Config back as normalized YAML (config_dump.cpp).
#pragma once

#include "core/base/error.h"
#include "core/config/config.h"
#include "core/config/secret.h"

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// ConfigDiagnostic is one problem found in a config file. line and column are 1-based; both are 0
/// when the problem concerns the whole file (it cannot be read).
struct ConfigDiagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;
    friend bool operator==(const ConfigDiagnostic &, const ConfigDiagnostic &) = default;
};

/// ConfigEnvironment is what loading may consult besides the text itself.
struct ConfigEnvironment {
    /// lookupEnv expands `${VAR}` in secrets; empty = the process environment.
    EnvLookup lookupEnv;
    /// baseDirectory anchors relative file paths (secret files, ca_file, log paths), as Prometheus
    /// resolves them against the config file's directory. Empty = keep relative paths as written.
    std::string baseDirectory;
};

/// ConfigLoadResult is the typed config, or every problem found, sorted by position.
using ConfigLoadResult = std::expected<Config, std::vector<ConfigDiagnostic>>;

/// loadConfig parses and validates `yamlText`; `fileName` only labels the diagnostics. It reports all
/// problems in one pass. Messages never contain a secret's value.
ConfigLoadResult loadConfig(std::string_view yamlText, std::string_view fileName, const ConfigEnvironment &env = {});

/// loadConfigFile reads `path` and loads it; unless env.baseDirectory is set, relative paths in the
/// file resolve against the file's directory. An unreadable file gives one diagnostic at line 0:
/// "cannot read: <reason>".
ConfigLoadResult loadConfigFile(const std::string &path, const ConfigEnvironment &env = {});

/// formatDiagnostic renders `FILE:LINE:COL: message`, or `FILE: message` for whole-file problems.
std::string formatDiagnostic(const ConfigDiagnostic &diagnostic);

/// dumpConfig renders `config` as normalized YAML that loadConfig reads back: fixed key order,
/// defaults written out, durations in their shortest form, and every secret value as `<secret>`.
std::string dumpConfig(const Config &config);

/// dumpDashboards renders only the `dashboards:` section, as dumpConfig would.
std::string dumpDashboards(const std::vector<DashboardConfig> &dashboards);

/// replaceTopLevelSection returns `original` with the top-level block `key:` replaced by `section`
/// (YAML text starting with `key:`), every other byte — comments included — kept as it was; the
/// section is appended when the file has none. Comment lines at column 0 just before the next
/// top-level key stay with that key. It fails for files whose top level is not a block mapping it
/// can follow (flow style, several documents, a block scalar or anchor at the top level).
Result<std::string> replaceTopLevelSection(std::string_view original, std::string_view key, std::string_view section);

} // namespace pulse
