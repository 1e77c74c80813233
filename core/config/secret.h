// Secret: a credential from the config (bearer token, password) that must never reach logs, dumps
// or diagnostics; and the ${VAR} expansion that fills secrets from the environment.
#pragma once

#include "core/base/error.h"

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

class QDebug;

namespace pulse {

/// Secret holds either an inline value or the path of a file holding the value (`bearer_token_file:`).
/// The value can only be read through reveal(), so every place that uses it is easy to find; there is
/// no conversion to a string, and printing one always writes `<secret>`.
class Secret {
public:
    Secret() = default;

    static Secret fromValue(std::string value);
    /// fromFile makes a secret read from `path` each time it is revealed, so a rotated token is picked
    /// up without reloading the config (as Prometheus does).
    static Secret fromFile(std::string path);

    /// isSet is false for a default-constructed Secret (no credential configured).
    bool isSet() const { return m_fromFile || !m_value.empty(); }
    bool isFile() const { return m_fromFile; }
    /// filePath is the file a file-backed secret is read from; a path is not itself secret.
    const std::string &filePath() const { return m_path; }

    /// reveal returns the value: the inline one, or the named file's content without its trailing
    /// newline. Call it only where the credential is put on the wire.
    Result<std::string> reveal() const;
    /// Two secrets are equal when they hold the same inline value or name the same file: a rotated
    /// inline credential makes its target a different target on reload.
    friend bool operator==(const Secret &, const Secret &) = default;

private:
    std::string m_value;
    std::string m_path;
    bool m_fromFile = false;
};

std::ostream &operator<<(std::ostream &os, const Secret &secret);
QDebug operator<<(QDebug debug, const Secret &secret);

/// looksLikeCredentialName is true for keys and header names whose values are credentials wherever
/// they appear (Authorization, Cookie, *token*, *password*, *secret*, *auth*, *session*, *-key, ...):
/// such values are masked in diagnostics and dumps, and such headers do not follow a redirect to
/// another origin. A guess by name: when in doubt, it says yes.
bool looksLikeCredentialName(std::string_view name);

/// redactUrlSecrets returns `url` with its user-info and the values of query parameters that hold a
/// credential (looksLikeCredentialName, or sig, pass, pwd, auth) replaced by `<secret>`, for showing
/// a URL in a tooltip, an error or a printed config: "https://h/m?token=abc&x=1" reads
/// "https://h/m?token=<secret>&x=1".
std::string redactUrlSecrets(std::string_view url);

/// EnvLookup returns an environment variable's value, or nothing when it is unset. Injectable so tests
/// and the GUI do not depend on the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// processEnvLookup reads the process environment (getenv).
EnvLookup processEnvLookup();

/// expandEnvReferences replaces each `${NAME}` in `text` by the variable's value and `$$` by `$`; a `$`
/// followed by anything else stays as written. Errors name the variable, never a value, so they are
/// safe to show: "environment variable PROM_TOKEN is not set". An empty `lookup` reads the process
/// environment.
Result<std::string> expandEnvReferences(std::string_view text, const EnvLookup &lookup);

} // namespace pulse
