// Syntax checks shared by the config readers: metric and label names, JSON pointers, credential-like
// key names, and "did you mean" hints. Private to core.
#pragma once

#include "core/base/labels.h" // isValidMetricName, isValidLabelName
#include "core/config/secret.h"

#include <span>
#include <string>
#include <string_view>

namespace pulse::detail {

using ::pulse::looksLikeCredentialName; // core/config/secret.h

/// isValidJsonPointer checks RFC 6901 syntax: empty, or "/"-separated tokens with ~0 and ~1 escapes.
bool isValidJsonPointer(std::string_view pointer);
/// suggestion formats "; did you mean 'x'?" for the closest of `candidates`, or nothing.
std::string suggestion(std::string_view word, std::span<const std::string_view> candidates);

} // namespace pulse::detail
