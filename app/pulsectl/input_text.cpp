// InputText: a regular file read into anonymous memory of its size, or bytes read from anything else
// (see input_text.h).
#include "app/pulsectl/input_text.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <istream>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pulse::cli {

namespace {

// readAll appends everything fd has to out.
bool readAll(int fd, std::string &out)
{
    constexpr std::size_t kChunk = 1 << 16;
    for (;;) {
        const std::size_t used = out.size();
        out.resize(used + kChunk);
        const ssize_t n = ::read(fd, out.data() + used, kChunk);
        if (n < 0 && errno == EINTR) {
            out.resize(used);
            continue;
        }
        out.resize(used + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        if (n <= 0)
            return n == 0;
    }
}

} // namespace

Result<InputText> InputText::fromFile(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("cannot open " + path + ": " + std::strerror(errno));
    InputText input;
    struct stat info = {};
    bool ok = true;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
        const auto size = static_cast<std::size_t>(info.st_size);
        // Anonymous memory, with huge pages where the kernel gives them: a 64 MiB exposition then
        // costs a few dozen page faults instead of sixteen thousand.
        void *memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) {
            ::close(fd);
            return fail("cannot read " + path + ": " + std::strerror(ENOMEM));
        }
        ::madvise(memory, size, MADV_HUGEPAGE);
        input.m_buffer = std::unique_ptr<char, UnmapBuffer>(static_cast<char *>(memory), UnmapBuffer{size});
        while (ok && input.m_size < size) {
            const ssize_t n = ::read(fd, input.m_buffer.get() + input.m_size, size - input.m_size);
            if (n < 0 && errno == EINTR)
                continue;
            ok = n >= 0;
            if (n <= 0)
                break; // the file shrank: parse what there is
            input.m_size += static_cast<std::size_t>(n);
        }
        if (ok && input.m_size == size) {
            // The file may have grown since fstat: keep reading, into the string, if it did.
            std::string more;
            ok = readAll(fd, more);
            if (ok && !more.empty()) {
                input.m_read.assign(input.m_buffer.get(), input.m_size);
                input.m_read += more;
                input.m_buffer.reset();
                input.m_size = 0;
            }
        }
    } else {
        ok = readAll(fd, input.m_read); // not a regular file (or empty): read to the end
    }
    const int error = errno;
    ::close(fd);
    if (!ok)
        return fail("cannot read " + path + ": " + std::strerror(error));
    return input;
}

Result<InputText> InputText::fromStream(std::istream &in, std::string_view name)
{
    InputText input;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        input.m_read.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (in.bad())
        return fail("cannot read " + std::string(name));
    return input;
}

void UnmapBuffer::operator()(char *p) const
{
    ::munmap(p, size);
}

} // namespace pulse::cli
