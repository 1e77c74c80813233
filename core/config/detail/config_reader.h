// ConfigReader: typed, position-aware reads from a yaml-cpp tree that collect diagnostics instead of
// stopping at the first problem. Private to core: it exposes yaml-cpp, so only core's .cpp files may
// include it.
#pragma once

#include "core/base/error.h"

#include "core/config/config_loader.h"
#include "core/config/detail/config_checks.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::detail {

/// MapEntry is one key of a mapping together with its value.
struct MapEntry {
    YAML::Node key;
    YAML::Node value;
};

/// ConfigReader reads values out of mappings by key. Every read method reports what is wrong at the
/// offending node as "PATH: message" and returns false (or nothing); an absent key is not an error
/// unless a `require` method says so. Paths look like `targets[2].expect.status`.
class ConfigReader {
public:
    /// Explain, given a key not in the allowed list, may return a better message than "unknown key".
    using Explain = std::function<std::optional<std::string>(std::string_view key)>;

    ConfigReader(std::string fileName, const ConfigEnvironment &env);

    void reportAt(const YAML::Mark &mark, std::string message);
    void report(const YAML::Node &at, std::string_view path, std::string_view message);
    void report(const MapEntry &at, std::string_view path, std::string_view message);
    /// adopt takes problems found in another file (a rule file the config names); they are listed
    /// after this file's, by file and position.
    void adopt(std::vector<ConfigDiagnostic> diagnostics);
    /// takeDiagnostics returns the problems sorted by position, with known secret values masked.
    std::vector<ConfigDiagnostic> takeDiagnostics();
    bool hasErrors() const { return !m_diagnostics.empty(); }
    std::size_t errorCount() const { return m_diagnostics.size(); }

    bool expectMapping(const YAML::Node &node, std::string_view path);
    bool expectList(const YAML::Node &node, std::string_view path);
    /// checkKeys reports keys of `map` missing from `allowed` (with a did-you-mean) and repeated keys.
    void checkKeys(const YAML::Node &map, std::string_view path, std::span<const std::string_view> allowed,
                   const Explain &explain = {});
    /// checkUniqueKeys reports non-string keys and repeated keys of a mapping whose keys are free-form
    /// (labels, headers, extract). checkKeys does this too.
    void checkUniqueKeys(const YAML::Node &map, std::string_view path);

    std::optional<MapEntry> find(const YAML::Node &map, std::string_view key) const;
    /// require reports "missing required key" at the mapping when `key` is absent.
    std::optional<MapEntry> require(const YAML::Node &map, std::string_view key, std::string_view path);

    /// scalar returns the text of a scalar value, reporting "expected <what>" for anything else.
    std::optional<std::string> scalar(const MapEntry &entry, std::string_view path, std::string_view what);
    /// ScalarAt is a key's entry, its dotted path and its text, for reporting at the value.
    struct ScalarAt {
        MapEntry entry;
        std::string where;
        std::string text;
    };
    /// scalarAt finds `key` and reads its scalar (reporting "expected <what>"); nothing when the key
    /// is absent or not a scalar.
    std::optional<ScalarAt> scalarAt(const YAML::Node &map, std::string_view key, std::string_view path,
                                     std::string_view what);

    bool read(const YAML::Node &map, std::string_view key, std::string_view path, std::string &out);
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, std::optional<std::string> &out);
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, bool &out);
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, std::uint64_t &out);
    /// readByteSize reads a size such as 2GiB or 500MB (parseByteSize).
    bool readByteSize(const YAML::Node &map, std::string_view key, std::string_view path, std::uint64_t &out);
    /// read for a Duration rejects zero unless `allowZero`.
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, Duration &out,
              bool allowZero = false);
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, std::optional<Duration> &out);
    /// read for Labels checks label names (Prometheus syntax, no reserved `__` prefix).
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, Labels &out);
    bool read(const YAML::Node &map, std::string_view key, std::string_view path, KeyValueList &out);

    bool readDouble(const MapEntry &entry, std::string_view path, double &out);
    /// readUrl accepts http(s) URLs with a host and without user info (credentials go in basic_auth).
    bool readUrl(const YAML::Node &map, std::string_view key, std::string_view path, std::string &out);
    /// readPath reads a file path and anchors a relative one at the base directory.
    bool readPath(const YAML::Node &map, std::string_view key, std::string_view path, std::string &out);
    /// readSecret reads `valueKey` (with ${VAR} expansion) or `fileKey` (a path), not both.
    bool readSecret(const YAML::Node &map, std::string_view valueKey, std::string_view fileKey, std::string_view path,
                    Secret &out);
    /// readEnum reads one of `names` (reporting a did-you-mean otherwise) and returns its index.
    std::optional<std::size_t> readEnum(const YAML::Node &map, std::string_view key, std::string_view path,
                                        std::span<const std::string_view> names, std::string_view what);

    /// markSensitive makes every scalar under `node` a value that must not appear in a diagnostic.
    void markSensitive(const YAML::Node &node);

    /// baseDirectory anchors relative paths (empty: keep them as written).
    const std::string &baseDirectory() const { return m_baseDirectory; }

    static std::string join(std::string_view path, std::string_view key);
    static std::string indexed(std::string_view path, std::size_t index);
    /// markOf is where a problem with an entry's value is shown: the value, or the key when the value
    /// is empty (yaml-cpp puts an empty value's mark on the next line).
    static YAML::Mark markOf(const MapEntry &entry);
    static int lineOf(const YAML::Node &node) { return node.Mark().line + 1; }

private:
    std::string m_fileName;
    EnvLookup m_lookupEnv;
    std::string m_baseDirectory;
    std::vector<ConfigDiagnostic> m_diagnostics;
    std::vector<std::string> m_sensitive;
};

/// readWholeFile reads a file a person wrote (the config, a rule file): at most maxBytes, else "file
/// is larger than N MiB"; a directory or unreadable file is its errno text.
Result<std::string> readWholeFile(const std::string &path, std::size_t maxBytes);

/// quoted puts a value in single quotes for a diagnostic.
std::string quoted(std::string_view text);
/// typeName describes a node's type for "expected X, got Y" messages.
std::string_view typeName(const YAML::Node &node);

} // namespace pulse::detail
