// InputText: the bytes `parse-metrics` parses, from a file or a stream.
//
// A regular file is read with read(2) into one buffer of its size: anonymous memory asked to use huge
// pages, not zero-filled by us first (a std::string would be zeroed, then copied into, and fault in
// page by page — twice the parse time for a large exposition). The file itself is not mmap'ed: a file
// that shrinks while mapped raises SIGBUS (lnav's rule, ../shared/STYLE.md); a file that changes while
// it is read just gives the bytes read.
#pragma once

#include "core/base/error.h"

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace pulse::cli {

/// UnmapBuffer releases the anonymous memory a regular file is read into.
struct UnmapBuffer {
    std::size_t size = 0;
    void operator()(char *p) const;
};

class InputText {
public:
    /// fromFile reads a file (a regular file into a buffer of its size; a pipe or device to its end).
    static Result<InputText> fromFile(const std::string &path);
    /// fromStream reads a stream to its end.
    static Result<InputText> fromStream(std::istream &in, std::string_view name);

    InputText(InputText &&other) noexcept = default;
    InputText &operator=(InputText &&) = delete;
    InputText(const InputText &) = delete;
    ~InputText() = default;

    std::string_view text() const { return m_buffer ? std::string_view(m_buffer.get(), m_size) : m_read; }

private:
    InputText() = default;

    std::unique_ptr<char, UnmapBuffer> m_buffer; ///< a regular file's bytes, or null when m_read holds them
    std::size_t m_size = 0;
    std::string m_read;
};

} // namespace pulse::cli
