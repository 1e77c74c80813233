// RunLog: what `pulsectl run` tells the operator on stderr, one logfmt line per event worth knowing
// (Prometheus's and Alertmanager's log style): `ts=… level=info msg="target state" target=api state=down`.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace pulse::cli {

/// logfmtValue quotes `value` when it must be (empty, spaces, `=`, quotes, control characters) as a
/// JSON string (appendJsonString, core/base/text_encoding.h), so one event is always one line whatever the text.
std::string logfmtValue(std::string_view value);

/// redactUrlCredentials replaces the user-info of every URL in `text` (`scheme://user:pass@host`) by
/// `<secret>`: error texts may quote a URL, and a log must never carry a password.
std::string redactUrlCredentials(std::string_view text);

/// RunLog writes logfmt lines. Thread-safe (one line at a time).
class RunLog {
public:
    using Field = std::pair<std::string_view, std::string>;

    /// nowMs supplies `ts` (injectable for tests); 0 means the system clock.
    explicit RunLog(std::ostream &out, std::int64_t (*nowMs)() = nullptr) : m_out(out), m_nowMs(nowMs) {}

    /// write emits `ts=… level=<level> msg=<msg>` and the fields in order; every value is passed
    /// through redactUrlCredentials and logfmtValue.
    void write(std::string_view level, std::string_view msg, std::initializer_list<Field> fields = {});
    void info(std::string_view msg, std::initializer_list<Field> fields = {}) { write("info", msg, fields); }
    void warn(std::string_view msg, std::initializer_list<Field> fields = {}) { write("warn", msg, fields); }
    void error(std::string_view msg, std::initializer_list<Field> fields = {}) { write("error", msg, fields); }

private:
    std::ostream &m_out;
    std::int64_t (*m_nowMs)();
    std::mutex m_mutex;
};

} // namespace pulse::cli
