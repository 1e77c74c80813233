// JSON Pointer (RFC 6901) lookups over QJsonDocument, and the number/text views the probes need.
#pragma once

#include "core/base/error.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// parseJsonBody parses a response body, saying where it stopped being JSON.
Result<QJsonDocument> parseJsonBody(const std::string &body);

/// resolveJsonPointer finds the value at `pointer` ("" is the whole document; "/a/0/b~1c" walks
/// member a, element 0, member "b/c"). A miss names the pointer and the first step that failed.
Result<QJsonValue> resolveJsonPointer(const QJsonDocument &doc, std::string_view pointer);

/// jsonNumberAt is the number at `pointer`: numbers as they are, booleans as 0/1, and strings that
/// hold a whole number or decimal ("42", "0.5") as that number, since many APIs quote numbers.
/// Anything else fails naming the pointer and what was found there.
Result<double> jsonNumberAt(const QJsonDocument &doc, std::string_view pointer);

/// JsonNumberMatch is one number a pointer found. For a "*" pointer, `label` is "index" (an array
/// element) or "key" (an object member) and `element` says which; both are empty otherwise.
struct JsonNumberMatch {
    std::string label;
    std::string element;
    double value = 0;
};

/// jsonNumbersAt is jsonNumberAt for pointers that may hold one "*" token: "/queues/*/depth" takes
/// /depth inside every element of the array (or every member of the object) at /queues, in order.
/// An empty array or object gives no match; a miss or non-number inside any element fails the whole
/// lookup, naming that element's pointer ("/queues/2/depth"). Without "*" it is one match.
Result<std::vector<JsonNumberMatch>> jsonNumbersAt(const QJsonDocument &doc, std::string_view pointer);

/// jsonValueText is how `json_pointer_equals` compares: a string's content, numbers in shortest
/// form (200, 0.5), true/false/null, objects and arrays as compact JSON.
std::string jsonValueText(const QJsonValue &value);

} // namespace pulse
