// LogBlockCodec: records of a log block in two zstd frames, the second with the first as its prefix
// (see log_block_codec.h).
#include "storage/log_block_codec.h"

#include "core/base/varint.h"
#include "storage/log_record_codec.h"

#include <zstd.h>

#include <algorithm>
#include <memory>
#include <new>

namespace pulse::storage {

namespace {

constexpr char kFormat = 1;
// Level 1: zstd's fastest with its full match finder. Measured on the bench's nginx blocks, higher
// levels shrink them by a few per cent for twice the writer's time and more.
constexpr int kLevel = 1;
// A block's records before compression are bounded by the tailer's record cap (configurable; 256
// KiB by default, three copies at most: raw, message, fields) times the block's lines; a frame
// claiming more is not a block (and what it claims is allocated only up to this).
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

// Reader walks decompressed records; every read checks the bounds.
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

// compressFrame appends plain as one zstd frame, with prefix (if not empty) as raw content it may
// refer to, and a checksum: a flipped bit in stored data is an error when read, not other text
// (retention hands a block's lines back to the index to delete them, which must be the same text).
Result<void> compressFrame(std::string &out, std::string_view plain, std::string_view prefix)
{
    ZSTD_CCtx *context = compressor();
    ZSTD_CCtx_reset(context, ZSTD_reset_session_only);
    ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, kLevel);
    ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
    if (!prefix.empty())
        ZSTD_CCtx_refPrefix(context, prefix.data(), prefix.size()); // raw content, this frame only
    const std::size_t at = out.size();
    out.resize(at + ZSTD_compressBound(plain.size()));
    const std::size_t written = ZSTD_compress2(context, out.data() + at, out.size() - at, plain.data(), plain.size());
    // With a destination of ZSTD_compressBound only an allocation failure is left.
    if (ZSTD_isError(written))
        return fail(std::string("cannot compress a log block: ") + ZSTD_getErrorName(written));
    out.resize(at + written);
    return {};
}

// contentSize is what a frame holds decompressed, read from its header.
Result<std::size_t> contentSize(std::string_view frame)
{
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxDecodedBytes)
        return fail("a stored log block is corrupt (no valid zstd frame)");
    return static_cast<std::size_t>(size);
}

// decompressFrame writes one whole frame (frame is exactly it) to out[0, size), checking its
// checksum; with a prefix, that is the prefixSize bytes right before out (raw content, as
// compressFrame had it).
Result<void> decompressFrame(std::string_view frame, char *out, std::size_t size, std::size_t prefixSize)
{
    ZSTD_DCtx *context = decompressor();
    if (prefixSize != 0)
        ZSTD_DCtx_refPrefix(context, out - prefixSize, prefixSize);
    const std::size_t got = ZSTD_decompressDCtx(context, out, size, frame.data(), frame.size());
    if (ZSTD_isError(got))
        return fail(std::string("a stored log block is corrupt (") + ZSTD_getErrorName(got) + ")");
    if (got != size)
        return fail("a stored log block is corrupt (frame cut short)");
    return {};
}

// Frames are a block's two frames, split.
struct Frames {
    std::string_view a, b;
};

Result<Frames> splitFrames(std::string_view data)
{
    if (data.empty() || data[0] != kFormat)
        return fail("a stored log block has an unknown format");
    std::size_t pos = 1;
    std::uint64_t lengthA = 0;
    if (!readVarint(data, pos, lengthA) || lengthA > data.size() - pos)
        return fail("a stored log block is corrupt (cut short)");
    return Frames{data.substr(pos, static_cast<std::size_t>(lengthA)), data.substr(pos + lengthA)};
}

} // namespace

Result<std::string> LogBlockCodec::encode(const LogRecord *first, const LogRecord *last)
{
    std::string plainA, plainB;
    std::size_t sizeA = 0, sizeB = 0;
    for (const LogRecord *r = first; r != last; ++r) {
        sizeA += r->raw.size() + 32;
        sizeB += r->message.size() + encodedLogFieldsSize(r->fields) + 8;
    }
    plainA.reserve(sizeA);
    plainB.reserve(sizeB);
    std::int64_t previousTime = 0;
    const LogRecord *previous = nullptr;
    for (const LogRecord *r = first; r != last; ++r) {
        appendVarint(plainA, zigzag(r->timestampMs - previousTime));
        previousTime = r->timestampMs;
        for (auto member : {&LogRecord::target, &LogRecord::file}) {
            const std::string &text = r->*member;
            if (previous && previous->*member == text) {
                appendVarint(plainA, 0);
            } else {
                appendVarint(plainA, text.size() + 1);
                plainA += text;
            }
        }
        appendVarint(plainA, r->offset);
        plainA += static_cast<char>(r->level);
        plainA += static_cast<char>(logRecordFlags(*r));
        appendBytes(plainA, r->raw);
        appendBytes(plainB, r->message);
        appendVarint(plainB, encodedLogFieldsSize(r->fields));
        appendLogFields(plainB, r->fields);
        previous = r;
    }
    std::string frameA;
    if (auto done = compressFrame(frameA, plainA, {}); !done)
        return std::unexpected(done.error());
    std::string out(1, kFormat);
    appendVarint(out, frameA.size());
    out += frameA;
    if (auto done = compressFrame(out, plainB, plainA); !done)
        return std::unexpected(done.error());
    return out;
}

Result<void> LogBlockCodec::select(std::string_view data, std::int64_t blockId,
                                   const std::function<bool(const Line &)> &want, std::vector<LogRecord> &out)
{
    auto frames = splitFrames(data);
    if (!frames)
        return std::unexpected(frames.error());
    auto sizeA = contentSize(frames->a);
    if (!sizeA)
        return std::unexpected(sizeA.error());
    auto sizeB = contentSize(frames->b);
    if (!sizeB)
        return std::unexpected(sizeB.error());
    // One buffer for both frames, B right after A (decompressFrame); not zeroed first.
    std::string plain;
    try {
        plain.resize_and_overwrite(*sizeA + *sizeB, [](char *, std::size_t n) { return n; });
    } catch (const std::bad_alloc &) {
        return fail("a stored log block is too large to read (" + std::to_string(*sizeA + *sizeB) + " bytes)");
    }
    if (auto done = decompressFrame(frames->a, plain.data(), *sizeA, 0); !done)
        return std::unexpected(done.error());
    const std::string_view plainA(plain.data(), *sizeA);
    Reader in(plainA);
    std::vector<Line> wanted;
    std::vector<std::size_t> wantedIndex;
    Line line;
    std::size_t index = 0;
    while (!in.atEnd()) {
        std::uint64_t delta = 0;
        std::uint8_t level = 0;
        if (!in.varint(delta) || !in.sameOr(line.target) || !in.sameOr(line.file) || !in.varint(line.offset) ||
            !in.byte(level) || !in.byte(line.flags) || !in.bytes(line.raw))
            return fail("a stored log block is corrupt (record " + std::to_string(index + 1) + " cut short)");
        line.timeMs += unzigzag(delta);
        line.level = static_cast<LogLevel>(std::min<int>(level, static_cast<int>(LogLevel::Fatal)));
        if (index >= static_cast<std::size_t>(kIdsPerBlock))
            return fail("a stored log block is corrupt (more than " + std::to_string(kIdsPerBlock) + " records)");
        line.storeId = storeIdOf(blockId, index);
        if (want(line)) {
            wanted.push_back(line);
            wantedIndex.push_back(index);
        }
        ++index;
    }
    if (wanted.empty())
        return {};
    // Frame B only for a block with a wanted line: most blocks a search decodes have none.
    if (auto done = decompressFrame(frames->b, plain.data() + *sizeA, *sizeB, *sizeA); !done)
        return std::unexpected(done.error());
    Reader rest(std::string_view(plain).substr(*sizeA));
    std::size_t next = 0;
    for (std::size_t i = 0; i < index && next < wanted.size(); ++i) {
        std::string_view message, fields;
        if (!rest.bytes(message) || !rest.bytes(fields))
            return fail("a stored log block is corrupt (record " + std::to_string(i + 1) + " cut short)");
        if (wantedIndex[next] != i)
            continue;
        const Line &w = wanted[next++];
        LogRecord r;
        r.timestampMs = w.timeMs;
        r.storeId = w.storeId;
        r.target.assign(w.target);
        r.file.assign(w.file);
        r.offset = w.offset;
        r.level = w.level;
        applyLogRecordFlags(w.flags, r);
        r.message.assign(message);
        auto decoded = decodeLogFields(fields);
        if (!decoded)
            return fail("a stored log block is corrupt (record " + std::to_string(i + 1) + "'s fields)");
        r.fields = std::move(*decoded);
        r.raw.assign(w.raw);
        out.push_back(std::move(r));
    }
    if (next != wanted.size())
        return fail("a stored log block is corrupt (fewer messages than lines)");
    return {};
}

Result<std::vector<std::string>> LogBlockCodec::raws(std::string_view data)
{
    std::vector<std::string> out;
    std::vector<LogRecord> none;
    auto done = select(
        data, 0,
        [&](const Line &line) {
            out.emplace_back(line.raw);
            return false;
        },
        none);
    if (!done)
        return std::unexpected(done.error());
    return out;
}

} // namespace pulse::storage
