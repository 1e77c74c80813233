// LogBlockCodec: records of a log block, one after the other, in one zstd frame (see log_block_codec.h).
#include "storage/log_block_codec.h"

#include "core/base/varint.h"
#include "storage/log_record_codec.h"

#include <zstd.h>

#include <algorithm>
#include <memory>

namespace pulse::storage {

namespace {

constexpr char kFormatZstd = 1;
// Level 1: zstd's fastest with its full match finder. Measured on the bench's nginx blocks, higher
// levels shrink them by a few per cent for twice the writer's time and more.
constexpr int kLevel = 1;
// A block's records before compression are bounded by the tailer's line cap (about 1 MiB a line,
// three copies at most: raw, message, fields) times the block's lines; more is not a block.
constexpr std::uint64_t kMaxDecodedBytes = 1ULL << 30;

std::uint64_t zigzag(std::int64_t v)
{
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v)
{
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

void appendBytes(std::string &out, std::string_view bytes)
{
    appendVarint(out, bytes.size());
    out += bytes;
}

// Reader walks the decompressed records; every read checks the bounds.
class Reader {
public:
    explicit Reader(std::string_view in) : m_in(in) {}
    bool atEnd() const { return m_pos >= m_in.size(); }
    bool varint(std::uint64_t &out) { return readVarint(m_in, m_pos, out); }
    bool bytes(std::string_view &out)
    {
        std::uint64_t n = 0;
        if (!varint(n) || n > m_in.size() - m_pos)
            return false;
        out = m_in.substr(m_pos, static_cast<std::size_t>(n));
        m_pos += static_cast<std::size_t>(n);
        return true;
    }
    // sameOr reads a "0: as before, else length + 1" text.
    bool sameOr(std::string_view &current)
    {
        std::uint64_t n = 0;
        if (!varint(n))
            return false;
        if (n == 0)
            return true;
        if (n - 1 > m_in.size() - m_pos)
            return false;
        current = m_in.substr(m_pos, static_cast<std::size_t>(n - 1));
        m_pos += static_cast<std::size_t>(n - 1);
        return true;
    }
    bool byte(std::uint8_t &out)
    {
        if (m_pos >= m_in.size())
            return false;
        out = static_cast<std::uint8_t>(m_in[m_pos++]);
        return true;
    }

private:
    std::string_view m_in;
    std::size_t m_pos = 0;
};

// One context a thread, kept: creating one for every block costs more than compressing a small one.
ZSTD_CCtx *compressor()
{
    thread_local const std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(), &ZSTD_freeCCtx);
    return context.get();
}

ZSTD_DCtx *decompressor()
{
    thread_local const std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    return context.get();
}

Result<std::string> decompress(std::string_view data)
{
    if (data.empty() || data[0] != kFormatZstd)
        return fail("a stored log block has an unknown format");
    const std::string_view frame = data.substr(1);
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxDecodedBytes)
        return fail("a stored log block is corrupt (no valid zstd frame)");
    std::string out(static_cast<std::size_t>(size), '\0');
    const std::size_t got = ZSTD_decompressDCtx(decompressor(), out.data(), out.size(), frame.data(), frame.size());
    if (ZSTD_isError(got) || got != out.size())
        return fail(std::string("a stored log block is corrupt (") +
                    (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame") + ")");
    return out;
}

} // namespace

Result<std::string> LogBlockCodec::encode(const LogRecord *first, const LogRecord *last)
{
    std::string plain;
    std::size_t size = 0;
    for (const LogRecord *r = first; r != last; ++r)
        size += r->raw.size() + r->message.size() + encodedLogFieldsSize(r->fields) + 32;
    plain.reserve(size);
    std::int64_t previousTime = 0;
    const LogRecord *previous = nullptr;
    for (const LogRecord *r = first; r != last; ++r) {
        appendVarint(plain, zigzag(r->timestampMs - previousTime));
        previousTime = r->timestampMs;
        for (auto member : {&LogRecord::target, &LogRecord::file}) {
            const std::string &text = r->*member;
            if (previous && previous->*member == text) {
                appendVarint(plain, 0);
            } else {
                appendVarint(plain, text.size() + 1);
                plain += text;
            }
        }
        appendVarint(plain, r->offset);
        plain += static_cast<char>(r->level);
        plain += static_cast<char>(logRecordFlags(*r));
        appendBytes(plain, r->message);
        appendVarint(plain, encodedLogFieldsSize(r->fields));
        appendLogFields(plain, r->fields);
        appendBytes(plain, r->raw);
        previous = r;
    }
    std::string out(1 + ZSTD_compressBound(plain.size()), '\0');
    out[0] = kFormatZstd;
    const std::size_t written =
        ZSTD_compressCCtx(compressor(), out.data() + 1, out.size() - 1, plain.data(), plain.size(), kLevel);
    // With a destination of ZSTD_compressBound only an allocation failure is left.
    if (ZSTD_isError(written))
        return fail(std::string("cannot compress a log block: ") + ZSTD_getErrorName(written));
    out.resize(1 + written);
    return out;
}

LogRecord LogBlockCodec::Line::record() const
{
    LogRecord r;
    r.timestampMs = timeMs;
    r.storeId = storeId;
    r.target.assign(target);
    r.file.assign(file);
    r.offset = offset;
    r.level = level;
    applyLogRecordFlags(flags, r);
    r.message.assign(message);
    if (auto decoded = decodeLogFields(fields))
        r.fields = std::move(*decoded);
    r.raw.assign(raw);
    return r;
}

Result<void> LogBlockCodec::forEachLine(std::string_view data, std::int64_t blockId,
                                        const std::function<void(const Line &)> &visit)
{
    auto plain = decompress(data);
    if (!plain)
        return std::unexpected(plain.error());
    Reader in(*plain);
    Line line;
    std::size_t index = 0;
    while (!in.atEnd()) {
        std::uint64_t delta = 0;
        std::uint8_t level = 0;
        if (!in.varint(delta) || !in.sameOr(line.target) || !in.sameOr(line.file) || !in.varint(line.offset) ||
            !in.byte(level) || !in.byte(line.flags) || !in.bytes(line.message) || !in.bytes(line.fields) ||
            !in.bytes(line.raw))
            return fail("a stored log block is corrupt (record " + std::to_string(index + 1) + " cut short)");
        line.timeMs += unzigzag(delta);
        line.level = static_cast<LogLevel>(std::min<int>(level, static_cast<int>(LogLevel::Fatal)));
        line.storeId = storeIdOf(blockId, index++);
        visit(line);
    }
    return {};
}

Result<std::vector<LogRecord>> LogBlockCodec::decode(std::string_view data, std::int64_t blockId)
{
    std::vector<LogRecord> out;
    auto done = forEachLine(data, blockId, [&](const Line &line) { out.push_back(line.record()); });
    if (!done)
        return std::unexpected(done.error());
    return out;
}

Result<std::vector<std::string>> LogBlockCodec::raws(std::string_view data)
{
    std::vector<std::string> out;
    auto done = forEachLine(data, 0, [&](const Line &line) { out.emplace_back(line.raw); });
    if (!done)
        return std::unexpected(done.error());
    return out;
}

} // namespace pulse::storage
