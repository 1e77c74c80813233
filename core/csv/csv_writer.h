// CSV writing that spreadsheets can't be tricked by (RFC 4180 quoting + formula neutralisation).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace pulse {

/// csvField renders one field. Fields that a spreadsheet would run as a formula (starting with
/// '=', '+', '-', '@', tab or carriage return) get a leading apostrophe, as OWASP recommends — except
/// plain numbers such as "-1.5", which stay numbers. Fields with a comma, quote, CR or LF (or the
/// apostrophe added above) are double-quoted with quotes doubled. Bytes are otherwise kept as given.
std::string csvField(std::string_view value);

/// csvRow joins fields with commas and ends the row with CRLF (RFC 4180).
std::string csvRow(std::span<const std::string> fields);

/// csvNumber renders a value the way spreadsheets and Prometheus both read back: shortest round-trip
/// decimal, "NaN", "+Inf", "-Inf".
std::string csvNumber(double value);

} // namespace pulse
