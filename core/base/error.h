// Error values shared by every module: errors are returned, never thrown across a module boundary.
#pragma once

#include <expected>
#include <string>

namespace pulse {

/// Error carries a message a user can act on ("line 3: expected '}' after label value").
struct Error {
    std::string message;
};

/// Result is the return type of anything that can fail.
template <class T>
using Result = std::expected<T, Error>;

/// fail makes an unexpected Error from a message, for `return fail("...")`.
inline std::unexpected<Error> fail(std::string message)
{
    return std::unexpected<Error>(Error{std::move(message)});
}

} // namespace pulse
